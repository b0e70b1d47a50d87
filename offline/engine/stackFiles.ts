// Stack config as the Pulumi CLI hands it to the program: Pulumi.yaml defaults overlaid with a stack file,
// every value a string (objects and lists as JSON). The one loader behind `npm run plan`, the bench and tests.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parse } from "yaml";

/** The project's root folder (where Pulumi.yaml lives). */
export const ROOT = join(__dirname, "..", "..");
/** Pulumi.yaml `name`: the namespace of the project's own config keys. */
export const PROJECT = "istio-multicluster";

/** Config as the CLI passes it: fully qualified keys, string values. */
export type CliConfig = Record<string, string>;

export function asCliString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** `topology` -> `istio-multicluster:topology`; qualified keys (`gcp:project`) stay as they are. */
export function qualify(key: string): string {
  return key.includes(":") ? key : `${PROJECT}:${key}`;
}

/** Project defaults from Pulumi.yaml, keyed `istio-multicluster:<key>`. */
export function projectDefaults(root = ROOT): CliConfig {
  const project = parse(readFileSync(join(root, "Pulumi.yaml"), "utf8")) as {
    config?: Record<string, { default?: unknown }>;
  };
  return Object.fromEntries(
    Object.entries(project.config ?? {})
      .filter(([, decl]) => decl.default !== undefined)
      .map(([key, decl]) => [qualify(key), asCliString(decl.default)]),
  );
}

export function stackFilePath(stack: string, root = ROOT): string {
  return join(root, `Pulumi.${stack}.yaml`);
}

/** The stack name a file stands for: `Pulumi.<name>.yaml` -> `<name>`, else the file name without .yaml. */
export function stackNameOf(path: string): string {
  const file = basename(path);
  return /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1] ?? file.replace(/\.ya?ml$/, "");
}

/** Stacks that have a `Pulumi.<stack>.yaml` next to Pulumi.yaml, sorted. */
export function listStacks(root = ROOT): string[] {
  return readdirSync(root)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

/** The config `pulumi up` would give the program for a stack file anywhere on disk. */
export function configFromFile(path: string, root = ROOT): CliConfig {
  if (!existsSync(path)) throw new Error(`stack file ${path} does not exist`);
  // Merge keys (<<: *anchor) expand as the CLI's YAML parser expands them.
  const file = parse(readFileSync(path, "utf8"), { merge: true }) as { config?: unknown } | null;
  const config = file?.config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new Error(`${path}: \`config\` must be a mapping of keys to values`);
  }
  const values = Object.entries(config).map(([key, value]) => [key, asCliString(value)]);
  return { ...projectDefaults(root), ...Object.fromEntries(values) };
}

/** The config a `pulumi up --stack <stack>` would give the program. */
export function stackConfig(stack: string, root = ROOT): CliConfig {
  const path = stackFilePath(stack, root);
  if (!existsSync(path)) throw new Error(`unknown stack "${stack}": ${path} does not exist`);
  return configFromFile(path, root);
}

/** Project defaults + the given keys (unqualified keys are this project's; `undefined` removes a key). */
export function withOverrides(
  values: Record<string, unknown>,
  base: CliConfig = projectDefaults(),
): CliConfig {
  const merged = new Map(Object.entries(base));
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) merged.delete(qualify(key));
    else merged.set(qualify(key), asCliString(value));
  }
  return Object.fromEntries(merged);
}
