// The planner's list of GCP resources (plan/resources.ts) is what validation checks names and capacity
// over: every GCP resource the program registers must be on it (else its name goes unchecked), and every
// resource on it must be registered (else validation rejects a name that never reaches GCP).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { settingsFromConfig } from "../config/load";
import { requireValidConfig, validateMeshConfig } from "../config/validate";
import { created, evaluate } from "../offline/engine/runtime";
import { PROJECT, type CliConfig } from "../offline/engine/stackFiles";
import { meshConfig } from "../offline/engine/syntheticMesh";
import { planMesh } from "../plan/planner";
import { withOverrides } from "./support/configs";
import { snapshotMeshes } from "./support/graphSnapshot";

/** The input that holds a GCP resource's own name, by resource type. */
const NAME_INPUT: Record<string, string> = {
  "gcp:serviceaccount/account:Account": "accountId",
  "gcp:gkehub/membership:Membership": "membershipId",
};

/** Names inside another resource (a subnet's secondary ranges, the nodes' tag) are not registered alone. */
const registeredAlone = (type: string) => !type.includes(".");

const meshes: Record<string, CliConfig> = {
  ...snapshotMeshes(),
  "multi-primary 3, an adopted cluster in another project, fleet": withOverrides({
    topology: "multi-primary",
    fleet: true,
    clusters: [
      { name: "made1", location: "us-east1-b", network: "n1", role: "primary" },
      { name: "made2", location: "us-east1-c", network: "n1", role: "primary" },
      {
        name: "theirs",
        location: "europe-west4-a",
        network: "n2",
        role: "primary",
        existing: "gke",
        project: "other-project",
      },
    ],
  }),
  "multi-primary 3, private nodes, fleet, Online Boutique": meshConfig("multi-primary", 3, {
    privateNodes: true,
    fleet: true,
    onlineBoutique: true,
  }),
  "primary-remote 4, private nodes, Online Boutique": meshConfig("primary-remote", 4, {
    privateNodes: true,
    onlineBoutique: true,
  }),
};

describe("the planner's GCP resources are the ones the program registers", { timeout: 300_000 }, () => {
  for (const [title, config] of Object.entries(meshes)) {
    it(title, async () => {
      const { settings, caRootPrivateKey, kubeconfigs } = settingsFromConfig(config, PROJECT);
      const plan = planMesh(
        requireValidConfig(settings, {
          stack: "test",
          ...(caRootPrivateKey ? { caRootPrivateKey } : {}),
          ...(kubeconfigs !== undefined ? { kubeconfigs } : {}),
        }),
      );
      const evaluation = await evaluate(config, { stack: "test" });
      assert.equal(evaluation.error, undefined);
      const registered = created(evaluation)
        .filter((r) => r.type.startsWith("gcp:"))
        .flatMap((r) => {
          const name = r.inputs[NAME_INPUT[r.type] ?? "name"];
          // The provider's project (the mesh's) unless the resource names its own.
          const project = typeof r.inputs["project"] === "string" ? r.inputs["project"] : plan.project;
          return typeof name === "string" ? [`${r.type} ${name} in ${project}`] : [];
        })
        .sort();
      const planned = plan.gcpResources.map((r) => `${r.type} ${r.name} in ${r.project}`);
      assert.deepEqual(
        registered.filter((r) => !planned.includes(r)),
        [],
        "registered by the program, missing from the plan's list",
      );
      assert.deepEqual(
        planned.filter((p) => registeredAlone(p.split(" ")[0]!) && !registered.includes(p)),
        [],
        "on the plan's list, never registered",
      );
    });
  }
});

describe("capacity counts the plan's internal addresses", () => {
  // A /29 has 8 - 4 reserved = 4 addresses: 3 nodes and a surge node fill it.
  const settings = (topology: string) => ({
    project: "my-gcp-project",
    topology,
    clusters: [
      {
        name: "a",
        location: "us-east1-b",
        network: "flat",
        role: "primary",
        nodeCidr: "10.8.0.0/29",
        nodePool: { nodeCount: 3 },
      },
      {
        name: "b",
        location: "us-east1-c",
        network: "flat",
        role: topology === "multi-primary" ? "primary" : "remote",
      },
    ],
  });
  it("the shared control plane's primary keeps istiod's internal address in its node subnet", () => {
    const result = validateMeshConfig(settings("shared-control-plane"), { stack: "dev" });
    assert.equal(result.ok, false);
    assert.ok(
      !result.ok &&
        result.problems.some(
          (p) =>
            p.startsWith("clusters[0].nodePool.nodeCount:") &&
            p.includes("need 5 addresses in the node range 10.8.0.0/29, which has 4"),
        ),
      JSON.stringify(result),
    );
  });
  it("without one, the same subnet holds the same nodes", () => {
    assert.equal(validateMeshConfig(settings("multi-primary"), { stack: "dev" }).ok, true);
  });
});
