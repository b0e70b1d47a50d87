// The footprint under the plan: nodes and vCPUs per region (a regional cluster has three zones), reserved
// addresses and the external IPs a region holds, and the real GCP names, from a config whose numbers are
// worked out here by hand.
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { planOfConfig } from "../offline/configPlan";
import { evaluate } from "../offline/engine/runtime";
import { loadStackFile, ROOT } from "../offline/engine/stackFiles";
import { footprintOf, vcpusOf } from "../offline/footprint";
import { renderFootprint } from "../offline/footprintReport";
import { withOverrides } from "./support/configs";

describe("vcpusOf", () => {
  it("reads predefined types and counts E2 shared-core as 2; custom types are unknown", () => {
    assert.equal(vcpusOf("e2-standard-4"), 4);
    assert.equal(vcpusOf("n2-highmem-16"), 16);
    assert.equal(vcpusOf("e2-medium"), 2);
    assert.equal(vcpusOf("n2-custom-6-24576"), undefined);
  });
});

describe("footprint of a mesh", { timeout: 120_000 }, () => {
  const clusters = [
    // Regional: 2 nodes in each of 3 zones of e2-standard-8, 100 GB each.
    {
      name: "big",
      location: "us-central1",
      network: "net-a",
      role: "primary",
      nodePool: { machineType: "e2-standard-8", nodeCount: 2, diskSizeGb: 100 },
    },
    // Zonal, same region: 1 spot e2-standard-4 node of 50 GB.
    {
      name: "small",
      location: "us-central1-f",
      network: "net-b",
      role: "primary",
      nodePool: { machineType: "e2-standard-4", nodeCount: 1, spot: true },
    },
  ];

  it("counts nodes, vCPUs and disks per region, and external IPs with and without private nodes", async () => {
    for (const privateNodes of [false, true]) {
      const config = withOverrides({ clusters, privateNodes, namePrefix: "fp" });
      const evaluation = await evaluate(config, { stack: "fp" });
      if (evaluation.error) throw evaluation.error;
      const checked = planOfConfig(config, "fp", []);
      assert.ok(checked.ok);
      const footprint = footprintOf(checked.plan, evaluation.resources);
      const [region] = footprint.regions;
      assert.equal(footprint.regions.length, 1);
      assert.equal(region!.region, "us-central1");
      assert.equal(region!.nodes, 2 * 3 + 1);
      assert.equal(region!.vcpus, 6 * 8 + 4);
      assert.equal(region!.spotVcpus, 4);
      assert.equal(region!.diskGb, 6 * 100 + 50);
      assert.equal(region!.surgeNodes, 3 + 1, "one surge node per zone");
      assert.deepEqual([region!.zonalClusters, region!.regionalClusters], [1, 1]);
      const reserved = region!.externalAddresses.length;
      assert.ok(region!.externalAddresses.includes("fp-big-eastwest"), region!.externalAddresses.join());
      assert.equal(
        region!.inUseAddresses,
        reserved + (privateNodes ? 0 : 7),
        "public nodes hold one IP each",
      );
      assert.deepEqual(
        footprint.clusters.map((c) => c.gkeName),
        ["fp-big", "fp-small"],
      );
      assert.deepEqual([...footprint.names.get("networks")!].sort(), ["fp-net-a", "fp-net-b"]);
      if (privateNodes) assert.ok(footprint.names.get("routers")!.length > 0, "NAT needs a router");
      assert.match(renderFootprint(footprint), /us-central1: 7 nodes, 52 vCPUs \[CPUS\]/);
    }
  });
});

describe("footprint of a mesh with an adopted cluster in another project", { timeout: 120_000 }, () => {
  it("counts that cluster's reserved address in its own project, where GKE reserves it", async () => {
    const { config, secretKeys } = loadStackFile(
      join(ROOT, "examples", "existing-clusters", "Pulumi.mixed.yaml"),
    );
    const evaluation = await evaluate(config, { stack: "mixed", secretKeys });
    if (evaluation.error) throw evaluation.error;
    const checked = planOfConfig(config, "mixed", secretKeys);
    assert.ok(checked.ok);
    const footprint = footprintOf(checked.plan, evaluation.resources);
    const adopted = checked.plan.clusters.find((c) => c.source === "gke")!;
    assert.ok(adopted.source === "gke" && adopted.project !== checked.plan.project);
    const there = footprint.regions.find((r) => r.project === adopted.project)!;
    assert.equal(there.region, adopted.region);
    assert.deepEqual([there.nodes, there.externalAddresses], [0, [adopted.gcp.eastWestAddress]]);
    for (const r of footprint.regions.filter((r) => r.project === checked.plan.project))
      assert.ok(!r.externalAddresses.includes(adopted.gcp.eastWestAddress));
  });
});
