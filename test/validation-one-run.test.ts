// Every problem in one run: configs that each hold two or more problems of different kinds (shape, a
// misspelt key, a cross-field rule, a rule about existing clusters, CA periods), and every expected message
// appears in the one error a single validation returns. Expected texts follow the documented rules.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { settingsFromConfig } from "../config/load";
import { ConfigError, requireValidConfig, validateMeshConfig } from "../config/validate";
import { join } from "node:path";
import { maxValidityHours, X509_LAST_INSTANT } from "../config/validity";
import { created, evaluate } from "../offline/engine/runtime";
import { loadStackFile, PROJECT, ROOT } from "../offline/engine/stackFiles";
import { two } from "./support/badConfigs";
import { withOverrides } from "./support/configs";

const NOW = new Date("2026-12-07T00:00:00Z");
const createdCluster = (name: string, network: string, extra: object = {}) => ({
  name,
  location: "us-east1-b",
  network,
  role: "primary",
  ...extra,
});
const adoptedGke = (name: string, network: string, extra: object = {}) => ({
  name,
  existing: "gke",
  location: "us-central1",
  network,
  role: "primary",
  ...extra,
});

interface ManyProblems {
  name: string;
  /** Keys as a stack file holds them (unqualified: this project's), values as YAML would give them. */
  values: Record<string, unknown>;
  expect: string[];
  /** Checks that must say which field they wait on: [check, field]. */
  waiting?: [string, string][];
  /** Texts that must not appear. */
  absent?: RegExp[];
}

const CASES: ManyProblems[] = [
  {
    name: "a misspelt nodePool key, nodePool on an adopted cluster, a remote in multi-primary, a misspelt setting",
    values: {
      helloWorld: true,
      clusters: [
        createdCluster("east", "n1"),
        adoptedGke("legacy", "n2", { role: "remote", nodePool: { machinType: "e2-standard-8" } }),
      ],
    },
    expect: [
      "helloWorld: is not a known setting (did you mean helloworld?)",
      "clusters[1].nodePool.machinType: is not a known setting (did you mean machineType?)",
      "clusters[1].nodePool: is not allowed with existing: gke",
      'clusters[1].role: "remote" is not allowed in multi-primary',
    ],
  },
  {
    name: "an unquoted istioVersion, a duplicate name, a misspelt cluster key",
    // `istioVersion: 1.30` in YAML: the CLI hands the program the number's text, "1.3".
    values: {
      istioVersion: 1.3,
      clusters: [
        createdCluster("east", "n1"),
        createdCluster("east", "n2", { location: "us-west1-b", netwrk: "n3" }),
      ],
    },
    expect: [
      'istioVersion: "1.3" is not a version x.y.z: write the whole version in quotes',
      'clusters[1].name: "east" is already used by clusters[0]',
      "clusters[1].netwrk: is not a known setting (did you mean network?)",
    ],
    waiting: [["Istio version skew", "istioVersion"]],
    absent: [/slot/, /is also derived from/],
  },
  {
    name: "a bad cluster name beside a remote in multi-primary and an unknown location",
    values: {
      clusters: [
        createdCluster("Cluster_1", "n1", { location: "us-east9-b" }),
        createdCluster("west", "n2", { role: "remote" }),
      ],
    },
    expect: [
      'clusters[0].name: "Cluster_1" is not a DNS-1123 label',
      'clusters[1].role: "remote" is not allowed in multi-primary',
      'clusters[0].location: "us-east9-b"',
    ],
    waiting: [["the address plan", "clusters[0].name"]],
  },
  {
    name: "validity periods X.509 cannot encode, an early renewal too late, a verifyOnUp without a sample",
    values: {
      caRootValidityHours: 90_000_000,
      caIntermediateValidityHours: 80_000_000,
      caEarlyRenewalHours: 80_000_000,
      verifyOnUp: true,
      clusters: two(),
    },
    expect: [
      "caRootValidityHours: 90000000 hours from now ends after 9999-12-31T23:59:59Z",
      "caIntermediateValidityHours: 80000000 hours from now ends after 9999-12-31T23:59:59Z",
      "caEarlyRenewalHours: 80000000 must be shorter than caIntermediateValidityHours",
      "verifyOnUp: needs a sample",
    ],
  },
  {
    name: "masterAuthorizedNetworks with an existing primary, without private nodes, with the whole internet",
    values: {
      masterAuthorizedNetworks: ["0.0.0.0/0"],
      clusters: [createdCluster("east", "n1"), adoptedGke("legacy", "n2")],
    },
    expect: [
      "masterAuthorizedNetworks: needs privateNodes: true",
      'masterAuthorizedNetworks[0]: "0.0.0.0/0" authorizes the whole internet',
      "masterAuthorizedNetworks: shuts out istiod of clusters[1] (clusters[1].existing: gke, a primary)",
    ],
  },
  {
    name: "primary-remote with an invalid role, a bad topology-independent field and a kubeconfig cluster with a location",
    values: {
      topology: "primary-remote",
      clusters: [
        createdCluster("east", "n1"),
        createdCluster("west", "n2", { role: "secondary", nodePool: { nodeCount: 0 } }),
        { name: "eks", existing: "kubeconfig", location: "us-east1", network: "n3", role: "remote" },
      ],
      kubeconfigs: {},
    },
    expect: [
      'clusters[1].role: "secondary" is not one of: primary, remote',
      "clusters[1].nodePool.nodeCount:",
      "clusters[2].location: is not allowed with existing: kubeconfig",
      "clusters[2].existing: kubeconfig needs kubeconfigs.eks",
    ],
    waiting: [["the one primary", "clusters[1].role"]],
  },
];

function errorFor(values: Record<string, unknown>): ConfigError {
  const read = settingsFromConfig(withOverrides(values), PROJECT);
  try {
    requireValidConfig(read.settings, {
      stack: "test",
      now: NOW,
      ...(read.kubeconfigs !== undefined ? { kubeconfigs: read.kubeconfigs } : {}),
    });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  assert.fail("the config was accepted");
}

describe("every problem in one run", () => {
  for (const c of CASES) {
    it(c.name, () => {
      const error = errorFor(c.values);
      assert.ok(c.expect.length >= 2);
      for (const expected of c.expect) {
        assert.ok(
          error.problems.some((p) => p.includes(expected)),
          `missing «${expected}» in:\n${error.message}`,
        );
      }
      for (const [check, field] of c.waiting ?? []) {
        const note = error.waiting.find((w) => w.startsWith(check) || w.includes(` ${check}`));
        assert.ok(
          note?.split(": wait")[1]?.includes(field),
          `«${check}» not waiting on ${field} in:\n${error.message}`,
        );
      }
      for (const pattern of c.absent ?? []) assert.doesNotMatch(error.message, pattern);
    });
  }

  it("an unquoted istioVersion is one message, in the mesh and in a cluster", () => {
    const error = errorFor({ istioVersion: 1.3, clusters: two({ istioVersion: 1.31 }) });
    const mesh = error.problems.filter((p) => p.startsWith("istioVersion:"));
    const cluster = error.problems.filter((p) => p.startsWith("clusters[0].istioVersion:"));
    assert.equal(mesh.length, 1, error.message);
    assert.equal(cluster.length, 1, error.message);
    assert.match(
      cluster[0]!,
      /1\.31 is a YAML number, not a version x\.y\.z: write the whole version in quotes/,
    );
  });

  it("a stack file with problems of four kinds: all of them from one evaluation of the program", async () => {
    const file = loadStackFile(join(__dirname, "support", "Pulumi.four-problems.yaml"), ROOT, {});
    const evaluation = await evaluate(file.config, { stack: "four-problems", secretKeys: file.secretKeys });
    assert.ok(evaluation.error instanceof ConfigError, String(evaluation.error));
    assert.deepEqual(
      [...evaluation.error.problems].sort(),
      [
        "helloWorld: is not a known setting (did you mean helloworld?)",
        'istioVersion: "1.3" is not a version x.y.z: write the whole version in quotes, like "1.30.3" (unquoted, YAML reads 1.30 as the number 1.3)',
        `caRootValidityHours: 100000000 hours from now ends after 9999-12-31T23:59:59Z, the last time an X.509 certificate can carry (RFC 5280): at most ${maxValidityHours(new Date())}`,
        "clusters[1].nodePool.machinType: is not a known setting (did you mean machineType?)",
        'clusters[1].role: "remote" is not allowed in multi-primary (every cluster runs istiod)',
        "clusters[1].nodePool: is not allowed with existing: gke (the program does not create this cluster)",
      ].sort(),
    );
    assert.deepEqual(evaluation.error.waiting, ["Istio version skew: waits on istioVersion"]);
    assert.equal(created(evaluation).length, 0);
  });

  it("a duplicate cluster name is one message", () => {
    const error = errorFor({ clusters: [createdCluster("east", "n1"), createdCluster("east", "n2")] });
    assert.deepEqual(error.problems, ['clusters[1].name: "east" is already used by clusters[0]']);
  });

  it("the longest validity X.509 can encode is accepted, one hour more is not", () => {
    const max = Math.floor((X509_LAST_INSTANT - NOW.getTime()) / 3_600_000);
    assert.equal(new Date(X509_LAST_INSTANT).toISOString(), "9999-12-31T23:59:59.000Z");
    const settings = { project: "my-gcp-project", clusters: two(), caIntermediateValidityHours: 24 * 365 };
    assert.ok(validateMeshConfig({ ...settings, caRootValidityHours: max }, { now: NOW }).ok);
    const result = validateMeshConfig({ ...settings, caRootValidityHours: max + 1 }, { now: NOW });
    assert.equal(result.ok, false);
  });

  it("masterAuthorizedNetworks with an existing remote and a created primary is fine", () => {
    const result = validateMeshConfig({
      project: "my-gcp-project",
      topology: "primary-remote",
      privateNodes: true,
      masterAuthorizedNetworks: ["203.0.113.0/24"],
      clusters: [createdCluster("east", "n1"), adoptedGke("legacy", "n2", { role: "remote" })],
    });
    assert.ok(result.ok, result.ok ? "" : result.problems.join("\n"));
  });
});
