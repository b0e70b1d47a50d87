// `npm run plan -- --destroy` with deletionProtection: true says where `pulumi destroy` stops (the wave of
// the first protected cluster), what is deleted before it, what stays, and how to go on.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { destroyPlan } from "../offline/destroy";
import { checkDestroyOrder } from "../offline/destroyChecks";
import { protectedStop, type DestroyStop } from "../offline/destroyProtection";
import { renderDestroyReport } from "../offline/destroyReport";
import type { RecordedResource } from "../offline/engine/recorder";
import { evaluate } from "../offline/engine/runtime";
import { assignGroups } from "../offline/groups";
import { withOverrides } from "./support/configs";

const CLUSTER = "gcp:container/cluster:Cluster";
const clusters = [
  { name: "east", location: "us-east1-b", network: "net-a", role: "primary" },
  { name: "west", location: "us-west1-b", network: "net-b", role: "primary" },
];

async function record(deletionProtection: boolean): Promise<RecordedResource[]> {
  const evaluation = await evaluate(withOverrides({ clusters, deletionProtection }), { stack: "guarded" });
  if (evaluation.error) throw evaluation.error;
  return evaluation.resources;
}

describe("destroy with deletion protection", { timeout: 180_000 }, () => {
  let records: RecordedResource[];
  let stop: DestroyStop;
  let waveOf: ReadonlyMap<string, number>;
  before(async () => {
    records = await record(true);
    const plan = destroyPlan(records);
    waveOf = plan.waveOf;
    stop = protectedStop(records, plan)!;
  });

  it("stops in the wave of the first protected cluster, with every cluster left", () => {
    const gke = records.filter((r) => r.type === CLUSTER);
    assert.equal(gke.length, 2);
    assert.equal(stop.wave, Math.min(...gke.map((c) => waveOf.get(c.urn)!)));
    assert.deepEqual(stop.protectedClusters.map((c) => c.urn).sort(), gke.map((c) => c.urn).sort());
    for (const c of gke) assert.ok(stop.left.includes(c));
  });

  it("deletes everything in the clusters first, and nothing the clusters stand on", () => {
    const inClusters = records.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
    assert.ok(inClusters.length > 0);
    for (const r of inClusters) assert.ok(stop.deletedBefore.includes(r), `${r.name} goes before the stop`);
    for (const type of ["gcp:compute/network:Network", "gcp:compute/subnetwork:Subnetwork"]) {
      const kept = records.filter((r) => r.type === type);
      assert.ok(kept.length > 0);
      for (const r of kept) {
        assert.ok(stop.left.includes(r), `${r.name} stays`);
        assert.ok(stop.leftWithContinueOnError.includes(r), `${r.name} stays even with --continue-on-error`);
      }
    }
    const partition = [...stop.deletedBefore, ...stop.sameWave, ...stop.left];
    assert.equal(new Set(partition).size, partition.length, "each resource in one part");
    assert.equal(
      partition.length,
      records.filter((r) => waveOf.has(r.urn) && r.custom && r.type !== "pulumi:pulumi:Stack").length,
    );
  });

  it("prints the stop and the way out, with the clusters' URNs to target", () => {
    const plan = destroyPlan(records);
    const text = renderDestroyReport(
      plan,
      checkDestroyOrder(records, plan),
      assignGroups(records),
      { stack: "guarded" },
      stop,
    );
    assert.match(text, new RegExp(`stops in wave ${stop.wave}\\.`));
    assert.match(text, /pulumi config set deletionProtection false && pulumi up /);
    for (const c of stop.protectedClusters) {
      // The engine's URN names every ancestor's type: the mesh component, the cluster component, the cluster.
      const urn = `urn:pulumi:guarded::istio-multicluster::istio-multicluster:index:MulticlusterMesh$istio-multicluster:gcp:GkeCluster$gcp:container/cluster:Cluster::${c.name}`;
      assert.ok(
        text.includes(`--target '${urn}'`),
        `${c.name}: ${text.split("\n").find((l) => l.includes("--target"))}`,
      );
    }
  });

  it("says nothing of a stop when no cluster is protected", async () => {
    const unguarded = await record(false);
    assert.equal(protectedStop(unguarded, destroyPlan(unguarded)), undefined);
  });
});
