// Validation at the edge: each bad config fails with one ConfigError that names the field and says what is
// wrong, echoes no key material and carries no stack trace. Validation is a pure function of the stack's
// config, so the bad configs go through it directly, from the config the CLI hands over (settingsFromConfig)
// to requireValidConfig, as the program calls them; a few also run end to end through the engine, where
// nothing may be registered.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { parse } from "yaml";
import { settingsFromConfig } from "../config/load";
import { NOT_DECLARED, meshConfigSchema } from "../config/schema";
import { ConfigError, requireValidConfig, validateMeshConfig } from "../config/validate";
import { created, evaluate } from "../offline/engine/runtime";
import { configFromFile, PROJECT, projectDefaults, ROOT } from "../offline/engine/stackFiles";
import { badConfigs, two, type BadCase } from "./support/badConfigs";
import { makeCaFixtures, type CaFixtures } from "./support/caFixtures";
import { withOverrides } from "./support/configs";

let ca: CaFixtures;
let cases: BadCase[] = [];

/** The config a bad case hands the program, as the CLI would (secret keys marked unless in plainText). */
const cliConfigOf = (bad: BadCase) => withOverrides({ clusters: two() }, bad.values);
const isSecretIn = (bad: BadCase) => (fullKey: string) =>
  !(bad.plainText ?? []).includes(fullKey.split(":")[1]!);

/** What the program's validation throws for a bad case, without an engine. */
function validationError(bad: BadCase): unknown {
  const read = settingsFromConfig(cliConfigOf(bad), PROJECT, isSecretIn(bad));
  try {
    requireValidConfig(read.settings, {
      stack: "test",
      ...(read.caRootPrivateKey !== undefined ? { caRootPrivateKey: read.caRootPrivateKey } : {}),
      ...(read.kubeconfigs !== undefined ? { kubeconfigs: read.kubeconfigs } : {}),
      ...(read.plainTextSecrets.length > 0 ? { plainTextSecrets: read.plainTextSecrets } : {}),
    });
  } catch (error) {
    return error;
  }
  return undefined;
}

/** Why an error is not the ConfigError a bad case expects; empty when it is. */
function configErrorFailures(bad: BadCase, error: unknown): string[] {
  if (!(error instanceof ConfigError)) return [`expected a ConfigError, got ${String(error)}`];
  const failures: string[] = [];
  const message = error.message;
  if (!/^invalid stack config \(\d+ problems?\):\n {2}- /.test(message))
    failures.push(`message shape: ${message}`);
  for (const expected of bad.expect) {
    if (!message.includes(expected)) failures.push(`missing «${expected}» in:\n${message}`);
  }
  for (const problem of error.problems) {
    if (
      !/^(gcp:project|[a-zA-Z-]+(:[a-zA-Z]+)?(\[\d+\])?(\.[a-zA-Z][a-zA-Z0-9-]*(\[\d+\])?)*|config): /.test(
        problem,
      )
    ) {
      failures.push(`a problem that names no field: ${problem}`);
    }
  }
  if (/-----BEGIN [A-Z ]*PRIVATE KEY/.test(message)) failures.push("a private key was echoed");
  if (bad.secret && message.includes(bad.secret)) failures.push("the pasted secret was echoed");
  return failures;
}

/** A few bad configs that also run end to end: a shape error, a cross-field rule, pasted key material, a plain-text secret. */
const END_TO_END = [
  "unknown topology",
  "root key that does not match",
  "key pasted into istioHub",
  "a kubeconfig stored in plain text",
  "a kubeconfig that does not parse",
];

describe("stack config validation", { timeout: 120_000 }, () => {
  before(async () => {
    ca = await makeCaFixtures();
    cases = badConfigs(ca);
  });

  it("has at least 100 distinct bad configs", () => {
    assert.ok(cases.length >= 100, `${cases.length} cases`);
    assert.equal(new Set(cases.map((c) => c.name)).size, cases.length, "names are distinct");
  });

  it("rejects every bad config: field named, what is wrong said, no key material", () => {
    const failures = cases.flatMap((bad) =>
      configErrorFailures(bad, validationError(bad)).map((why) => `case «${bad.name}»: ${why}`),
    );
    assert.deepEqual(failures, []);
  });

  it("rejects a few through the program as well: the same error, nothing registered", async () => {
    const failures: string[] = [];
    for (const name of END_TO_END) {
      const bad = cases.find((c) => c.name === name);
      assert.ok(bad, `no bad config named ${name}`);
      const evaluation = await evaluate(cliConfigOf(bad), {
        ...(bad.plainText ? { plainTextKeys: bad.plainText } : {}),
      });
      const fail = (why: string) => failures.push(`case «${bad.name}»: ${why}`);
      configErrorFailures(bad, evaluation.error).forEach(fail);
      if (created(evaluation).length > 0) fail(`${created(evaluation).length} resources were registered`);
    }
    assert.deepEqual(failures, []);
  });
});

describe("configs the real APIs accept pass", { timeout: 60_000 }, () => {
  const accepts = (settings: Record<string, unknown>, context = {}) => {
    const result = validateMeshConfig({ project: "my-gcp-project", clusters: two(), ...settings }, context);
    assert.ok(result.ok, result.ok ? "" : result.problems.join("\n"));
    return result.ok ? result.config : undefined;
  };

  it("a config error carries no JavaScript stack trace, only its message", async () => {
    // Checked outside the offline engine, which keeps stacks off while it evaluates and restores them after.
    const limit = Error.stackTraceLimit;
    const failed = await evaluate(withOverrides({ topology: "ring" }));
    assert.ok(failed.error instanceof ConfigError);
    assert.equal(Error.stackTraceLimit, limit, "the engine restores the stack trace limit");
    const error = new ConfigError(["clusters[0].name: is required"]);
    assert.ok(Error.stackTraceLimit > 0);
    assert.equal(error.stack, `ConfigError: ${error.message}`);
    assert.doesNotMatch(String(new Error("x").stack), /^Error: x$/, "an ordinary error has a stack here");
  });

  it("a minimal config gets every default", () => {
    const config = accepts({})!;
    assert.equal(config.topology, "multi-primary");
    assert.equal(
      config.clusters[0]!.nodePool?.machineType,
      "e2-standard-4",
      "created clusters get the default pool",
    );
    assert.equal(config.deletionProtection, false);
    assert.equal(config.namePrefix, "mesh", "without a stack name, the prefix is the fallback 'mesh'");
  });

  it("a node range in the private control-plane pool is fine while clusters are not private", () => {
    accepts({ clusters: two({ nodeCidr: "172.28.0.0/24" }) });
  });

  it("a long network name is fine while no router or NAT needs it", () => {
    accepts({ clusters: two({ location: "northamerica-northeast1-a", network: "n".repeat(36) }) });
  });

  it("a zonal cluster of 100 nodes fits its default /16 pod range", () => {
    accepts({ clusters: two({ nodePool: { nodeCount: 100 } }) });
  });

  it("a pin resolves two names on one slot, as the message asks", () => {
    const result = validateMeshConfig({
      project: "my-gcp-project",
      clusters: [two()[1]!, { ...two()[0]!, name: "cluster10", network: "network3" }],
    });
    assert.equal(result.ok, false);
    const pin = Number(/slot: (\d+)/.exec(result.ok ? "" : result.problems[0]!)?.[1]);
    accepts({ clusters: [two()[1]!, { ...two()[0]!, name: "cluster10", network: "network3", slot: pin }] });
  });

  it("one cluster a minor behind the mesh (a staged upgrade)", () => {
    const config = accepts({ istioVersion: "1.31.1", clusters: two({ istioVersion: "1.30.3" }) })!;
    assert.equal(config.clusters[0]!.istioVersion, "1.30.3");
  });

  it("a valid bring-your-own root with its key", async () => {
    const fixtures = await makeCaFixtures();
    accepts({ caRootCertificate: fixtures.good.certPem }, { caRootPrivateKey: fixtures.good.keyPem });
  });

  it("names collide nowhere when a cluster is named like a resource the program derives", async () => {
    const names = ["root", "mesh", "ca", "mesh-ca", "node-identity", "traffic-check", "cluster1-eastwest"];
    const clusters = names.map((name, i) => ({
      name,
      location: "us-east1-b",
      network: `net${i}`,
      role: "primary",
    }));
    const evaluation = await evaluate(withOverrides({ clusters, helloworld: true, onlineBoutique: true }));
    assert.equal(evaluation.error, undefined, String(evaluation.error));
    assert.deepEqual(evaluation.duplicateUrns, []);
  });
});

describe("stack files as the Pulumi CLI reads them", { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "stack-files-"));
  const write = (name: string, text: string) => {
    const path = join(dir, `Pulumi.${name}.yaml`);
    writeFileSync(path, text);
    return path;
  };

  it("merge keys and anchors expand as YAML 1.1 merge does in the CLI", async () => {
    const path = write(
      "anchors",
      [
        "config:",
        "  gcp:project: my-gcp-project",
        "  istio-multicluster:clusters:",
        "    - &base { name: east, location: us-east1-b, network: n1, role: primary }",
        "    - <<: *base",
        "      name: west",
        "      location: us-west1-b",
        "      network: n2",
      ].join("\n"),
    );
    const config = configFromFile(path);
    const clusters = JSON.parse(config["istio-multicluster:clusters"]!) as { name: string; role: string }[];
    assert.deepEqual(
      clusters.map((c) => [c.name, c.role]),
      [
        ["east", "primary"],
        ["west", "primary"],
      ],
    );
    const evaluation = await evaluate(config);
    assert.equal(evaluation.error, undefined, String(evaluation.error));
  });

  it("a config section that is a list is refused with the file named", () => {
    const path = write("list", "config:\n  - gcp:project: my-gcp-project\n");
    assert.throws(() => configFromFile(path), /`config` must be a mapping of keys to values/);
  });

  it("settings that are a list are one clear problem", () => {
    const result = validateMeshConfig([{ project: "p" }]);
    assert.deepEqual(result.ok ? [] : result.problems, ["config: must be a mapping of settings, got a list"]);
  });
});

describe("Pulumi.yaml declarations", () => {
  const project = parse(readFileSync(join(ROOT, "Pulumi.yaml"), "utf8")) as {
    config: Record<string, { type?: string; default?: unknown; description?: string }>;
  };

  it("declares every scalar setting with a simple type, a default and the schema's description", () => {
    // Pulumi's project schema types keys as string, integer, boolean or array only, and a declared key
    // without a default is required on every stack: so every optional key needs one.
    const declared = Object.entries(project.config);
    for (const [key, decl] of declared) {
      // Lists of strings are typed as arrays of strings; everything else is a scalar.
      const typed =
        decl.type === "array" ? (decl as { items?: { type?: string } }).items?.type === "string" : true;
      assert.ok(
        ["string", "integer", "boolean", "array"].includes(String(decl.type)) && typed,
        `${key}: type ${decl.type}`,
      );
      assert.notEqual(decl.default, undefined, `${key}: default`);
      const schema = meshConfigSchema.shape[key as keyof typeof meshConfigSchema.shape];
      assert.ok(schema, `${key} is a setting`);
      assert.equal(decl.description, schema.meta()?.description, `${key}: description`);
    }
    const settings = Object.keys(meshConfigSchema.shape).filter(
      (k) => !(NOT_DECLARED as readonly string[]).includes(k),
    );
    assert.deepEqual(declared.map(([k]) => k).sort(), settings.sort(), "every scalar setting is declared");
  });

  it("declares the same defaults that validation applies", () => {
    const defaults = projectDefaults();
    const result = validateMeshConfig({ project: "my-gcp-project", clusters: two() });
    assert.ok(result.ok);
    if (!result.ok) return;
    const declared = Object.entries(defaults).filter(([k]) => k.startsWith("istio-multicluster:"));
    assert.ok(declared.length >= 10, "Pulumi.yaml declares the project's keys");
    for (const [fullKey, text] of declared) {
      const key = fullKey.split(":")[1]! as keyof typeof result.config;
      if (key === "namePrefix") continue; // "" means: derive it from the stack name
      if (text === "") assert.equal(result.config[key], undefined, `${key}: "" means unset`);
      else {
        const value: unknown = result.config[key];
        assert.equal(typeof value === "string" ? value : JSON.stringify(value), text, `default of ${key}`);
      }
    }
  });
});
