// The ESC environment definitions in esc/: a GCP OIDC login with the fields ESC's gcp-login provider takes,
// stack config limited to keys the project declares, references that resolve, no secrets, and an example
// stack file whose imported settings plus its own config pass the program's validation.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { validateMeshConfig } from "../config/validate";
import { PROJECT, ROOT } from "../offline/engine/stackFiles";

const ESC = join(ROOT, "esc");
const LOGIN = "fn::open::gcp-login";
/** What `fn::open::gcp-login` yields (ESC docs: dynamic login credentials for GCP). */
const LOGIN_OUTPUTS = ["project", "accessToken", "tokenType", "expiry"];

interface Environment {
  imports?: string[];
  values: Record<string, unknown> & { pulumiConfig?: Record<string, unknown> };
}

const environments = new Map(
  readdirSync(ESC)
    .filter((f) => f.endsWith(".yaml") && !f.includes(".example."))
    .map((f) => [
      `${PROJECT}/${basename(f, ".yaml")}`,
      parse(readFileSync(join(ESC, f), "utf8")) as Environment,
    ]),
);

/** The environment with its imports merged underneath it (later wins), as ESC evaluates it. */
function merged(name: string): Record<string, unknown> {
  const env = environments.get(name);
  assert.ok(env, `unknown environment ${name}`);
  const base = (env.imports ?? []).reduce<Record<string, unknown>>(
    (acc, i) => ({ ...acc, ...merged(i) }),
    {},
  );
  return { ...base, ...env.values };
}

function lookup(values: Record<string, unknown>, path: string[]): unknown {
  let at: unknown = values;
  for (const [i, part] of path.entries()) {
    if (typeof at !== "object" || at === null) return undefined;
    const record = at as Record<string, unknown>;
    if (LOGIN in record) return LOGIN_OUTPUTS.includes(path.slice(i).join(".")) ? "output" : undefined;
    at = record[part];
  }
  return at;
}

const declaredKeys = () =>
  Object.keys((parse(readFileSync(join(ROOT, "Pulumi.yaml"), "utf8")) as { config: object }).config);

describe("ESC environments", () => {
  it("gcp-login: OIDC through a workload identity pool into a service account, no key material", () => {
    const login = merged(`${PROJECT}/gcp-login`)["gcp"] as Record<string, Record<string, unknown>>;
    const spec = login["login"]![LOGIN] as { project: unknown; oidc: Record<string, string> };
    // ESC wants the numeric project number and short pool/provider ids, not resource names.
    assert.ok(Number.isInteger(spec.project) && (spec.project as number) > 0, "project is a number");
    assert.deepEqual(Object.keys(spec.oidc).sort(), ["providerId", "serviceAccount", "workloadPoolId"]);
    assert.match(spec.oidc["workloadPoolId"]!, /^[a-z0-9-]{4,32}$/);
    assert.match(spec.oidc["providerId"]!, /^[a-z0-9-]{4,32}$/);
    assert.match(
      spec.oidc["serviceAccount"]!,
      /^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z][a-z0-9-]{4,28}[a-z0-9]\.iam\.gserviceaccount\.com$/,
    );
  });

  it("every import and ${...} reference resolves; nothing secret is stored", () => {
    for (const [name, env] of environments) {
      for (const imported of env.imports ?? [])
        assert.ok(environments.has(imported), `${name} imports ${imported}`);
      const text = JSON.stringify(env);
      for (const [, ref] of text.matchAll(/\$\{([^}]+)\}/g)) {
        assert.notEqual(lookup(merged(name), ref!.split(".")), undefined, `${name}: \${${ref}} resolves`);
      }
      assert.ok(
        !/fn::secret|BEGIN [A-Z ]*PRIVATE KEY|"token"\s*:|credentials_json/.test(text),
        `${name} holds no secret`,
      );
    }
  });

  it("pulumiConfig sets gcp:project and only keys Pulumi.yaml declares", () => {
    const declared = new Set(declaredKeys().map((k) => `${PROJECT}:${k}`));
    for (const [name, env] of environments) {
      const keys = Object.keys(env.values.pulumiConfig ?? {});
      for (const key of keys)
        assert.ok(key === "gcp:project" || declared.has(key), `${name}: ${key} is declared`);
    }
    assert.ok(Object.keys(merged(`${PROJECT}/mesh-dev`)["pulumiConfig"] as object).includes("gcp:project"));
  });

  it("the example stack file imports mesh-dev, repeats none of its keys, and validates with them", () => {
    const stack = parse(readFileSync(join(ESC, "stack-file.example.yaml"), "utf8")) as {
      environment: string[];
      config: Record<string, unknown>;
    };
    assert.deepEqual(stack.environment, [`${PROJECT}/mesh-dev`]);
    const fromEnv = stack.environment.reduce<Record<string, unknown>>(
      (acc, env) => ({ ...acc, ...(merged(env)["pulumiConfig"] as Record<string, unknown>) }),
      {},
    );
    const repeated = Object.keys(stack.config).filter((k) => k in fromEnv);
    assert.deepEqual(repeated, [], "each key lives in one place");
    const settings: Record<string, unknown> = {};
    for (const [key, value] of Object.entries({ ...fromEnv, ...stack.config })) {
      if (key === "gcp:project") settings["project"] = value;
      else settings[key.slice(`${PROJECT}:`.length)] = value;
    }
    const result = validateMeshConfig(settings);
    assert.ok(result.ok, result.ok ? "" : result.problems.join("\n"));
    // The login's project number would not do as gcp:project.
    const login = merged(`${PROJECT}/gcp-login`)["gcp"] as Record<
      string,
      Record<string, { project: number }>
    >;
    assert.equal(
      validateMeshConfig({ ...settings, project: String(login["login"]![LOGIN]!.project) }).ok,
      false,
    );
  });
});
