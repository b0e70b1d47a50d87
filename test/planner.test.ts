// The pure planner: ranges never overlap, watch edges and gateways follow roles and networks.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { MeshConfig, Topology } from "../config/schema";
import { requireValidConfig } from "../config/validate";
import { overlaps, parseCidr } from "../addressing/cidr";
import { planMesh, watchEdgesOf } from "../plan/planner";
import { regionOf } from "../gcp/locations";
import type { MeshPlan } from "../plan/types";

const TOPOLOGIES: Topology[] = ["multi-primary", "primary-remote", "shared-control-plane"];
const REGIONS = ["us-east1", "us-central1", "europe-west4", "asia-east1"];

function config(topology: Topology, n: number, extra: Partial<Record<string, unknown>> = {}): MeshConfig {
  return requireValidConfig({
    project: "my-gcp-project",
    topology,
    clusters: Array.from({ length: n }, (_, i) => ({
      name: `c${i + 1}`,
      location: `${REGIONS[i % REGIONS.length]}-b`,
      network: topology === "shared-control-plane" ? "flat" : `net${i + 1}`,
      role: topology === "multi-primary" || i === 0 ? "primary" : "remote",
    })),
    ...extra,
  });
}

function allRanges(plan: MeshPlan) {
  return plan.clusters.flatMap((c) =>
    Object.entries(c.ranges).map(([kind, cidr]) => ({ label: `${c.name}.${kind}`, range: parseCidr(cidr)! })),
  );
}

function assertNoOverlap(plan: MeshPlan) {
  const ranges = allRanges(plan);
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      assert.ok(
        !overlaps(ranges[i]!.range, ranges[j]!.range),
        `${ranges[i]!.label} overlaps ${ranges[j]!.label}`,
      );
    }
  }
}

describe("planner", () => {
  for (const topology of TOPOLOGIES) {
    for (let n = 2; n <= 32; n *= 2) {
      it(`${topology}, N=${n}: disjoint ranges, expected edges, deterministic`, () => {
        const plan = planMesh(config(topology, n));
        assertNoOverlap(plan);
        const expectedEdges = topology === "multi-primary" ? n * (n - 1) : n - 1;
        const edges = watchEdgesOf(plan);
        assert.equal(edges.length, expectedEdges);
        assert.equal(new Set(edges.map((e) => `${e.watcher}>${e.described}`)).size, expectedEdges);
        assert.ok(edges.every((e) => e.watcher !== e.described));
        for (const c of plan.clusters) {
          assert.deepEqual(
            c.watchedBy,
            edges.filter((e) => e.described === c.name).map((e) => e.watcher),
            `${c.name}: watchedBy mirrors the edges`,
          );
        }
        assert.deepEqual(planMesh(config(topology, n)), plan, "same config, same plan");
      });
    }
  }

  it("plans 64 clusters without overlap", () => {
    assertNoOverlap(planMesh(config("multi-primary", 64)));
  });

  it("multi-primary on different networks: gateway and cross-network Gateway everywhere, no istiod exposure", () => {
    const plan = planMesh(config("multi-primary", 3));
    for (const c of plan.clusters) {
      assert.deepEqual([c.runsIstiod, c.eastWestGateway, c.crossNetworkGateway], [true, true, true]);
      assert.deepEqual(c.istiodExposure, { kind: "none" });
      assert.equal(c.remote, undefined);
      assert.equal(c.watches.length, 2);
    }
    assert.equal(plan.vpcs.length, 3);
  });

  it("multi-primary on one flat network: no gateways at all, one VPC", () => {
    const flat = requireValidConfig({
      project: "my-gcp-project",
      clusters: ["a", "b", "c"].map((name, i) => ({
        name,
        location: `${REGIONS[i]}-b`,
        network: "flat",
        role: "primary",
      })),
    });
    const plan = planMesh(flat);
    assert.ok(plan.clusters.every((c) => !c.eastWestGateway && !c.crossNetworkGateway));
    assert.equal(plan.vpcs.length, 1);
    assert.deepEqual(plan.vpcs[0]!.regions, REGIONS.slice(0, 3));
  });

  it("primary-remote: the primary is external, exposes istiod on its gateway, watches every remote", () => {
    const plan = planMesh(config("primary-remote", 4));
    const [primary, ...remotes] = plan.clusters;
    assert.deepEqual(primary!.istiodExposure, { kind: "eastWestGateway" });
    assert.deepEqual(plan.provisioningOrder, ["c1", "c2", "c3", "c4"]);
    assert.deepEqual(primary!.watches, ["c2", "c3", "c4"]);
    for (const r of remotes) {
      assert.equal(r.runsIstiod, false);
      assert.deepEqual(r.remote, { primary: "c1", through: "eastWestGateway" });
      assert.equal(r.eastWestGateway, true, "remotes on other networks still carry cross-network traffic");
      assert.equal(r.crossNetworkGateway, false, "the primary's config covers the remotes' gateways");
      assert.deepEqual(r.watches, []);
    }
  });

  it("primary-remote on one network still gives the primary a gateway for istiod", () => {
    const plan = planMesh(
      requireValidConfig({
        project: "my-gcp-project",
        topology: "primary-remote",
        clusters: [
          { name: "a", location: "us-east1-b", network: "n", role: "primary" },
          { name: "b", location: "us-east1-c", network: "n", role: "remote" },
        ],
      }),
    );
    assert.deepEqual(
      plan.clusters.map((c) => [c.name, c.eastWestGateway]),
      [
        ["a", true],
        ["b", false],
      ],
    );
  });

  it("shared control plane: one VPC, internal istiod exposure, no gateways", () => {
    const plan = planMesh(config("shared-control-plane", 5));
    assert.equal(plan.vpcs.length, 1);
    assert.deepEqual(plan.vpcs[0]!.clusters, ["c1", "c2", "c3", "c4", "c5"]);
    const exposure = plan.clusters[0]!.istiodExposure;
    assert.equal(exposure.kind, "internalLoadBalancer");
    assert.deepEqual(
      exposure.kind === "internalLoadBalancer" ? [...exposure.sourceRanges].sort() : [],
      plan.clusters.flatMap((c) => [c.ranges.nodes, c.ranges.pods]).sort(),
      "the mesh's node and pod ranges, nothing else",
    );
    assert.ok(plan.clusters.slice(1).every((c) => c.remote?.through === "internalLoadBalancer"));
    assert.ok(plan.clusters.every((c) => !c.eastWestGateway));
  });

  it("keeps explicit ranges and allocates around them", () => {
    const base = config("multi-primary", 3);
    const withExplicit = requireValidConfig({
      ...base,
      clusters: base.clusters.map((c, i) =>
        i === 1 ? { ...c, podCidr: "10.64.0.0/16", nodeCidr: "10.0.0.0/20" } : c,
      ),
    });
    const plan = planMesh(withExplicit);
    assert.equal(plan.clusters[1]!.ranges.pods, "10.64.0.0/16");
    assert.notEqual(plan.clusters[0]!.ranges.pods, "10.64.0.0/16");
    assertNoOverlap(plan);
  });

  it("derives regions from zones and keeps regions", () => {
    assert.equal(regionOf("us-east1-b"), "us-east1");
    assert.equal(regionOf("northamerica-northeast1-a"), "northamerica-northeast1");
    assert.equal(regionOf("europe-west4"), "europe-west4");
  });
});
