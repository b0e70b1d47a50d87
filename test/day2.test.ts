// Day 2 on every topology: evaluate a mesh and a changed mesh on the mock engine and diff every resource,
// as `pulumi up` would step from one to the other. What must stay untouched stays untouched; what must
// change does, and a replaced cluster takes what lives in it along.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { changedPaths, diffEvaluations, type MeshDiff } from "../offline/engine/diff";
import type { CloudOptions } from "../offline/engine/mockCloud";
import type { RecordedResource } from "../offline/engine/recorder";
import { evaluate } from "../offline/engine/runtime";
import { syntheticClusters, type ClusterSpec, type SyntheticTopology } from "../offline/engine/syntheticMesh";
import { assignGroups } from "../offline/groups";
import { withOverrides } from "./support/configs";

const TOPOLOGIES: SyntheticTopology[] = ["multi-primary", "primary-remote", "shared-control-plane"];
const GCP_OF_A_CLUSTER = [
  "gcp:compute/subnetwork:Subnetwork",
  "gcp:container/cluster:Cluster",
  "gcp:container/nodePool:NodePool",
  "gcp:compute/address:Address",
];

async function record(
  topology: SyntheticTopology,
  clusters: ClusterSpec[],
  extra = {},
  cloud?: CloudOptions,
) {
  const evaluation = await evaluate(withOverrides({ topology, clusters, ...extra }), cloud ? { cloud } : {});
  if (evaluation.error) throw evaluation.error;
  return evaluation.resources;
}

/** The cluster each resource belongs to (offline/groups.ts: providers, ancestry, names). */
function groupsOf(...recordings: RecordedResource[][]): Map<string, string> {
  const merged = new Map<string, string>();
  for (const r of recordings) for (const [urn, group] of assignGroups(r)) merged.set(urn, group);
  return merged;
}

const summary = (diff: MeshDiff, groups: Map<string, string>) =>
  diff.steps.map((s) => `${s.kind} ${groups.get(s.urn)} ${s.type} ${s.name}`).sort();

for (const topology of TOPOLOGIES) {
  describe(`day 2 on ${topology}`, { timeout: 240_000 }, () => {
    const five = syntheticClusters(topology, 5);
    let base: RecordedResource[];
    before(async () => {
      base = await record(topology, five);
    });

    it("the same config twice changes nothing", async () => {
      const diff = diffEvaluations(base, await record(topology, five));
      assert.deepEqual(diff.steps, []);
    });

    it("removing a cluster deletes what is in it and touches only the mesh-wide lists in the others", async () => {
      const removed = "cluster3";
      const after = await record(
        topology,
        five.filter((c) => c.name !== removed),
      );
      const diff = diffEvaluations(base, after);
      const groups = groupsOf(base, after);
      assert.equal(diff.count("replace"), 0, summary(diff, groups).join("\n"));
      assert.equal(diff.count("create"), 0);
      for (const step of diff.of("delete")) {
        const inRemoved =
          groups.get(step.urn) === removed ||
          // Its own network's VPC goes too, when no other cluster uses it.
          (topology !== "shared-control-plane" &&
            step.urn.includes(`MeshNetwork$`) &&
            step.name.startsWith(`mesh-network3`));
        assert.ok(inRemoved, `only the removed cluster's resources go: ${step.type} ${step.name}`);
      }
      assert.ok(
        diff.of("delete").some((s) => s.type === "gcp:container/cluster:Cluster"),
        "its GKE cluster goes",
      );
      for (const step of diff.of("update")) {
        const meshWide =
          step.type === "gcp:compute/firewall:Firewall" &&
          step.reasons.every((r) => r === "sourceRanges" || r.startsWith("targetTags"));
        const exposure =
          step.type === "kubernetes:core/v1:Service" &&
          step.reasons.every((r) => r.startsWith("spec.loadBalancerSourceRanges"));
        // Each watcher's one remote Secret loses the removed cluster's key (istiod drops that cluster).
        const forgets =
          step.type === "kubernetes:core/v1:Secret" &&
          step.name.endsWith("-remote-secrets") &&
          step.reasons.every((r) => r === `data.${removed}`);
        assert.ok(
          meshWide || exposure || forgets,
          `unexpected update: ${step.type} ${step.name} (${step.reasons.join(", ")})`,
        );
      }
      for (const step of diff.steps) {
        if (groups.get(step.urn) !== removed)
          assert.ok(!GCP_OF_A_CLUSTER.includes(step.type), `${step.name} stays`);
      }
    });

    it("inserting a cluster in the middle creates it and touches no other cluster's GCP resources", async () => {
      const inserted: ClusterSpec = {
        ...five[1]!,
        name: "cluster7",
        network: topology === "shared-control-plane" ? "network1" : "network7",
        role: topology === "multi-primary" ? "primary" : "remote",
      };
      const after = await record(topology, [...five.slice(0, 2), inserted, ...five.slice(2)]);
      const diff = diffEvaluations(base, after);
      const groups = groupsOf(base, after);
      assert.equal(diff.count("replace"), 0, summary(diff, groups).join("\n"));
      assert.equal(diff.count("delete"), 0);
      assert.ok(
        diff
          .of("create")
          .some((s) => s.type === "gcp:container/cluster:Cluster" && s.name === "mesh-cluster7"),
      );
      for (const step of diff.of("update"))
        assert.ok(!GCP_OF_A_CLUSTER.includes(step.type), `${step.name} stays`);
    });

    it("reordering the list changes nothing", async () => {
      const diff = diffEvaluations(base, await record(topology, [...five].reverse()));
      assert.deepEqual(
        diff.steps.map((s) => `${s.kind} ${s.name} ${s.reasons.join(",")}`),
        [],
      );
    });

    it("a replaced cluster replaces its provider and everything in it; the others only learn its new endpoint", async () => {
      const moved = five.map((c) =>
        c.name === "cluster2" ? { ...c, location: c.location.replace(/-b$/, "-c") } : c,
      );
      const after = await record(topology, moved);
      const diff = diffEvaluations(base, after);
      const groups = groupsOf(base, after);
      const provider = after.find(
        (r) => r.type === "pulumi:providers:kubernetes" && r.name === "mesh-cluster2",
      )!;
      assert.equal(diff.stepOf(provider.urn)?.kind, "replace", "the provider follows the cluster instance");
      for (const r of after.filter((x) => x.custom && x.provider.startsWith(`${provider.urn}::`))) {
        assert.equal(diff.stepOf(r.urn)?.kind, "replace", `${r.name} is replaced with its cluster`);
      }
      const gke = after.find(
        (r) => r.type === "gcp:container/cluster:Cluster" && r.name === "mesh-cluster2",
      )!;
      assert.deepEqual(diff.stepOf(gke.urn)?.reasons, ["location (forces replacement)"]);
      for (const step of diff.steps.filter((s) => groups.get(s.urn) !== "cluster2")) {
        assert.notEqual(step.kind, "replace", `${step.name} in ${groups.get(step.urn)} is not replaced`);
        assert.ok(!GCP_OF_A_CLUSTER.includes(step.type), `${step.name} stays`);
      }
      const watchers = five.filter((c) => c.role === "primary" && c.name !== "cluster2").map((c) => c.name);
      for (const watcher of watchers) {
        const secret = after.find(
          (r) => r.type === "kubernetes:core/v1:Secret" && r.name === `mesh-${watcher}-remote-secrets`,
        )!;
        assert.deepEqual(
          diff.stepOf(secret.urn)?.reasons,
          ["data.cluster2"],
          `${watcher}'s Secret updates only cluster2's key, with its new endpoint`,
        );
      }
    });

    it("a credential refresh (new endpoint and CA, same cluster) replaces nothing", async () => {
      const after = await record(topology, five, {}, { rotatedCredentials: ["mesh-cluster2"] });
      const diff = diffEvaluations(base, after);
      const groups = groupsOf(base, after);
      assert.equal(diff.count("replace"), 0, summary(diff, groups).join("\n"));
      const provider = after.find(
        (r) => r.type === "pulumi:providers:kubernetes" && r.name === "mesh-cluster2",
      )!;
      assert.equal(diff.stepOf(provider.urn)?.kind, "update", "the provider only updates its kubeconfig");
      for (const r of after.filter((x) => x.provider.startsWith(`${provider.urn}::`))) {
        assert.equal(diff.stepOf(r.urn), undefined, `${r.name} is left alone`);
      }
    });

    it("a staged upgrade of one cluster changes only that cluster's Istio releases", async () => {
      const staged = five.map((c) => (c.name === "cluster3" ? { ...c, istioVersion: "1.30.3" } : c));
      const diff = diffEvaluations(base, await record(topology, staged));
      assert.ok(diff.steps.length > 0);
      for (const step of diff.steps) {
        assert.equal(step.kind, "update", `${step.name}: ${step.kind}`);
        assert.equal(step.type, "kubernetes:helm.sh/v3:Release");
        assert.match(step.name, /^mesh-cluster3-/);
        assert.ok(
          step.reasons.every((r) => r === "version" || r.startsWith("values.global.tag")),
          step.reasons.join(),
        );
      }
      const releases = base.filter(
        (r) => r.type === "kubernetes:helm.sh/v3:Release" && r.name.startsWith("mesh-cluster3-"),
      );
      assert.equal(diff.steps.length, releases.length, "every Istio release of cluster3, nothing else");
    });
  });
}

describe(
  "day 2: mesh-wide settings and node pools (multi-primary, two clusters)",
  { timeout: 240_000 },
  () => {
    const two = syntheticClusters("multi-primary", 2);
    let base: RecordedResource[];
    before(async () => {
      base = await record("multi-primary", two);
    });
    const stepsOf = async (extra: object, clusters: ClusterSpec[] = two) =>
      diffEvaluations(base, await record("multi-primary", clusters, extra)).steps.map(
        (s) => `${s.kind} ${s.type} ${s.name}`,
      );

    it("a block that appears is compared field by field", () => {
      assert.deepEqual(changedPaths(undefined, { a: 1, b: { c: 2 } }), ["a", "b.c"]);
      assert.deepEqual(changedPaths({ a: { b: 1 } }, {}), ["a.b"]);
    });

    it("switching privateNodes on replaces every cluster: GKE's control-plane /28 cannot be added in place", async () => {
      const steps = await stepsOf({ privateNodes: true });
      for (const c of two) {
        assert.ok(steps.includes(`replace gcp:container/cluster:Cluster mesh-${c.name}`), steps.join("\n"));
        assert.ok(steps.includes(`replace pulumi:providers:kubernetes mesh-${c.name}`));
      }
      assert.ok(steps.some((s) => s.startsWith("create gcp:compute/routerNat:RouterNat")));
    });

    it("a new machine type or node count updates the node pool in place; spot replaces only the pool", async () => {
      const pool = (nodePool: object) => two.map((c, i) => (i === 0 ? { ...c, nodePool } : c));
      const name = `mesh-${two[0]!.name}-nodes`;
      assert.deepEqual(await stepsOf({}, pool({ machineType: "e2-standard-8" })), [
        `update gcp:container/nodePool:NodePool ${name}`,
      ]);
      assert.deepEqual(await stepsOf({}, pool({ nodeCount: 3 })), [
        `update gcp:container/nodePool:NodePool ${name}`,
      ]);
      assert.deepEqual(await stepsOf({}, pool({ spot: true })), [
        `replace gcp:container/nodePool:NodePool ${name}`,
      ]);
    });

    it("release channel, deletion protection and meshId change in place", async () => {
      for (const extra of [{ releaseChannel: "STABLE" }, { deletionProtection: true }, { meshId: "mesh2" }]) {
        const steps = await stepsOf(extra);
        assert.ok(steps.length > 0, JSON.stringify(extra));
        assert.deepEqual(
          steps.filter((s) => !s.startsWith("update ")),
          [],
          JSON.stringify(extra),
        );
      }
    });
  },
);
