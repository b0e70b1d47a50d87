// Stack config as the Pulumi CLI hands it to the program: Pulumi.yaml defaults overlaid with a stack
// file (or with values built in a test), every value a string, objects and lists as JSON.
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { PROJECT } from "./harness";

export const ROOT = join(__dirname, "..", "..");

function asCliString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Project defaults from Pulumi.yaml, keyed `istio-multicluster:<key>`. */
export function projectDefaults(): Record<string, string> {
  const project = parse(readFileSync(join(ROOT, "Pulumi.yaml"), "utf8")) as {
    config?: Record<string, { default?: unknown }>;
  };
  return Object.fromEntries(
    Object.entries(project.config ?? {})
      .filter(([, decl]) => decl.default !== undefined)
      .map(([key, decl]) => [key.includes(":") ? key : `${PROJECT}:${key}`, asCliString(decl.default)]),
  );
}

export function stackFilePath(stack: string): string {
  return join(ROOT, `Pulumi.${stack}.yaml`);
}

export function listStacks(): string[] {
  return ["dev", "multi-primary", "primary-remote", "shared-control-plane"].filter((s) =>
    existsSync(stackFilePath(s)),
  );
}

/** The config a `pulumi up --stack <stack>` would give the program. */
export function stackConfig(stack: string): Record<string, string> {
  const path = stackFilePath(stack);
  if (!existsSync(path)) throw new Error(`unknown stack "${stack}": ${path} does not exist`);
  const file = parse(readFileSync(path, "utf8")) as { config?: Record<string, unknown> } | null;
  const values = Object.fromEntries(Object.entries(file?.config ?? {}).map(([k, v]) => [k, asCliString(v)]));
  return { ...projectDefaults(), ...values };
}

export interface ClusterSpec {
  name: string;
  location: string;
  network: string;
  role: "primary" | "remote";
  [extra: string]: unknown;
}

/** A config for tests: N clusters spread over regions, roles and networks chosen by topology. */
export function meshConfig(
  topology: "multi-primary" | "primary-remote" | "shared-control-plane",
  n: number,
  overrides: Record<string, unknown> = {},
): Record<string, string> {
  const regions = ["us-east1", "us-central1", "europe-west4", "asia-east1", "us-west1"];
  const clusters: ClusterSpec[] = Array.from({ length: n }, (_, i) => ({
    name: `cluster${i + 1}`,
    location: `${regions[i % regions.length]}-b`,
    network: topology === "shared-control-plane" ? "network1" : `network${i + 1}`,
    role: topology === "multi-primary" || i === 0 ? "primary" : "remote",
  }));
  return withOverrides({ topology, clusters }, overrides);
}

/** Defaults + the given project keys (unqualified) + gcp:project. */
export function withOverrides(
  values: Record<string, unknown>,
  overrides: Record<string, unknown> = {},
): Record<string, string> {
  const merged = new Map(Object.entries({ ...projectDefaults(), "gcp:project": "my-gcp-project" }));
  for (const [key, value] of Object.entries({ ...values, ...overrides })) {
    const full = key.includes(":") ? key : `${PROJECT}:${key}`;
    if (value === undefined) merged.delete(full);
    else merged.set(full, asCliString(value));
  }
  return Object.fromEntries(merged);
}
