// The pure planner: ranges from each cluster's own slot, never overlapping; watch edges, gateways and
// exposures follow roles and networks; names carry the stack's prefix; staged Istio versions.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { overlaps, parseCidr } from "../addressing/cidr";
import { blockText } from "../addressing/pools";
import { pinsForCollisions, slotOf } from "../addressing/slots";
import type { MeshConfig, Topology } from "../config/schema";
import { requireValidConfig } from "../config/validate";
import { regionOf } from "../gcp/locations";
import { defaultNamePrefix } from "../gcp/names";
import { planMesh, watchEdgesOf } from "../plan/planner";
import { isCreatedPlan, type MeshPlan } from "../plan/types";

/** These meshes are all created by the program: their clusters have slots, ranges and GCP names. */
const createdOf = (plan: MeshPlan) => plan.clusters.filter(isCreatedPlan);

const TOPOLOGIES: Topology[] = ["multi-primary", "primary-remote", "shared-control-plane"];
const REGIONS = ["us-east1", "us-central1", "europe-west4", "asia-east1"];

interface Spec {
  name: string;
  location: string;
  network: string;
  role: string;
  slot?: number;
  [key: string]: unknown;
}

function specs(topology: Topology, n: number): Spec[] {
  const clusters: Spec[] = Array.from({ length: n }, (_, i) => ({
    name: `c${i + 1}`,
    location: `${REGIONS[i % REGIONS.length]}-b`,
    network: topology === "shared-control-plane" ? "flat" : `net${i + 1}`,
    role: topology === "multi-primary" || i === 0 ? "primary" : "remote",
  }));
  const pins = pinsForCollisions(clusters); // c5 contends with c1, for example
  return clusters.map((c) => (pins.has(c.name) ? { ...c, slot: pins.get(c.name)! } : c));
}

function validated(settings: Record<string, unknown>): MeshConfig {
  return requireValidConfig({ project: "my-gcp-project", ...settings }, { stack: "dev" });
}

const config = (topology: Topology, n: number, extra: Record<string, unknown> = {}) =>
  validated({ topology, clusters: specs(topology, n), ...extra });

function allRanges(plan: MeshPlan) {
  return createdOf(plan).flatMap((c) =>
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

const rangesByName = (plan: MeshPlan) => new Map(createdOf(plan).map((c) => [c.name, c.ranges]));

describe("planner", () => {
  for (const topology of TOPOLOGIES) {
    for (let n = 2; n <= 32; n *= 2) {
      it(`${topology}, N=${n}: disjoint ranges, expected edges, deterministic`, () => {
        const plan = planMesh(config(topology, n));
        assertNoOverlap(plan);
        const edges = watchEdgesOf(plan);
        const expectedEdges = topology === "multi-primary" ? n * (n - 1) : n - 1;
        assert.equal(edges.length, expectedEdges);
        assert.equal(new Set(edges.map((e) => `${e.watcher}>${e.described}`)).size, expectedEdges);
        assert.ok(edges.every((e) => e.watcher !== e.described));
        for (const c of createdOf(plan)) {
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

  it("takes each cluster's ranges from the slot its name hashes to (first byte of SHA-256)", () => {
    const plan = planMesh(config("multi-primary", 3));
    for (const c of createdOf(plan)) {
      const slot = createHash("sha256").update(c.name).digest()[0]!;
      assert.deepEqual(c.slot, { slot, pinned: false });
      // Pools: pods 10.0.0.0/8 in /16s, services 172.20.0.0/14 in /22s, nodes 172.24.0.0/14 in /22s.
      assert.equal(c.ranges.pods, `10.${slot}.0.0/16`);
      const third = (base: number) => `${base + Math.floor(slot / 64)}.${(slot % 64) * 4}`;
      assert.equal(c.ranges.services, `172.${third(20)}.0/22`);
      assert.equal(c.ranges.nodes, `172.${third(24)}.0/22`);
      assert.equal(c.ranges.controlPlane, undefined, "a /28 only for private clusters");
    }
  });

  it("gives private clusters the /28 of their slot in 172.28.0.0/20", () => {
    const plan = planMesh(config("multi-primary", 2, { privateNodes: true }));
    for (const c of createdOf(plan))
      assert.equal(c.ranges.controlPlane, blockText("controlPlanes", c.slot.slot));
  });

  it("removal, insertion and reordering leave every other cluster's ranges where they were", () => {
    const five = specs("multi-primary", 5);
    const before = rangesByName(planMesh(validated({ clusters: five })));
    const variants: Record<string, Spec[]> = {
      "remove c3": five.filter((c) => c.name !== "c3"),
      "insert in the middle": [
        ...five.slice(0, 2),
        { ...five[0]!, name: "inserted", network: "net9" },
        ...five.slice(2),
      ],
      reorder: [...five].reverse(),
    };
    for (const [change, clusters] of Object.entries(variants)) {
      const after = rangesByName(planMesh(validated({ clusters })));
      for (const [name, ranges] of after) {
        if (before.has(name))
          assert.deepEqual(ranges, before.get(name), `${change}: ${name} kept its ranges`);
      }
    }
  });

  it("a pinned slot wins over the name, and explicit ranges win over the slot", () => {
    const clusters = specs("multi-primary", 3);
    const pinned = planMesh(
      validated({ clusters: clusters.map((c, i) => (i === 1 ? { ...c, slot: 200 } : c)) }),
    );
    assert.deepEqual(createdOf(pinned)[1]!.slot, { slot: 200, pinned: true });
    assert.equal(createdOf(pinned)[1]!.ranges.pods, "10.200.0.0/16");
    const explicit = planMesh(
      validated({
        clusters: clusters.map((c, i) =>
          i === 1 ? { ...c, podCidr: "192.168.0.0/18", nodeCidr: "192.168.64.0/24" } : c,
        ),
      }),
    );
    assert.equal(createdOf(explicit)[1]!.ranges.pods, "192.168.0.0/18");
    assert.equal(createdOf(explicit)[1]!.ranges.nodes, "192.168.64.0/24");
    assert.equal(createdOf(explicit)[1]!.ranges.services, blockText("services", slotOf(clusters[1]!.name)));
    assert.deepEqual(createdOf(explicit)[0]!.ranges, createdOf(planMesh(validated({ clusters })))[0]!.ranges);
    assertNoOverlap(explicit);
  });

  it("multi-primary on different networks: gateway and cross-network Gateway everywhere, no istiod exposure", () => {
    const plan = planMesh(config("multi-primary", 3));
    for (const c of createdOf(plan)) {
      assert.deepEqual([c.runsIstiod, c.eastWestGateway, c.crossNetworkGateway], [true, true, true]);
      assert.deepEqual(c.istiodExposure, { kind: "none" });
      assert.equal(c.remote, undefined);
      assert.equal(c.watches.length, 2);
    }
    assert.equal(plan.vpcs.length, 3);
  });

  it("multi-primary on one flat network: no gateways at all, one VPC with a router per region", () => {
    const plan = planMesh(
      validated({
        clusters: ["a", "b", "c"].map((name, i) => ({
          name,
          location: `${REGIONS[i]}-b`,
          network: "flat",
          role: "primary",
        })),
      }),
    );
    assert.ok(createdOf(plan).every((c) => !c.eastWestGateway && !c.crossNetworkGateway));
    assert.equal(plan.vpcs.length, 1);
    assert.deepEqual(
      plan.vpcs[0]!.regions.map((r) => r.region),
      REGIONS.slice(0, 3),
    );
    assert.deepEqual(plan.vpcs[0]!.regions[0], {
      region: "us-east1",
      router: "dev-flat-us-east1",
      nat: "dev-flat-us-east1",
      // 2 nodes + 1 surge at 8,192 ports each fit one address's 64,512 ports.
      natAddresses: ["dev-flat-us-east1-nat-0"],
    });
  });

  it("sizes NAT addresses so every node of a region can hold its port ceiling at once", () => {
    const plan = planMesh(
      validated({
        privateNodes: true,
        clusters: [
          // Regional: 20 nodes in each of 3 zones, plus a surge node each = 63 nodes x 8,192 ports.
          { name: "big", location: "us-east1", network: "n", role: "primary", nodePool: { nodeCount: 20 } },
          { name: "small", location: "us-east1-c", network: "n", role: "primary" },
        ],
      }),
    );
    // (63 + 3) nodes x 8,192 / 64,512 ports per address = 8.4 -> 9 addresses.
    assert.equal(plan.vpcs[0]!.regions[0]!.natAddresses.length, 9);
  });

  it("restricts east-west gateways to the mesh's NAT egress only where every caller comes from it", () => {
    const open = planMesh(config("multi-primary", 2));
    assert.ok(
      createdOf(open).every((c) => c.eastWestAccess.from === "anywhere"),
      "public nodes: egress unknown",
    );
    const mp = planMesh(config("multi-primary", 2, { privateNodes: true }));
    assert.ok(createdOf(mp).every((c) => c.eastWestAccess.from === "meshNat"));
    const pr = planMesh(config("primary-remote", 3, { privateNodes: true }));
    const access = createdOf(pr)[0]!.eastWestAccess;
    assert.equal(
      access.from,
      "anywhere",
      "remote control planes call the primary's webhook from Google's network",
    );
    assert.match(access.from === "anywhere" ? access.why : "", /15017/);
    assert.ok(
      createdOf(pr)
        .slice(1)
        .every((c) => c.eastWestAccess.from === "meshNat"),
    );
  });

  it("primary-remote: the primary is external, exposes istiod on its gateway, watches every remote", () => {
    const plan = planMesh(config("primary-remote", 4));
    const [primary, ...remotes] = createdOf(plan);
    assert.deepEqual(primary!.istiodExposure, { kind: "eastWestGateway", address: "ip" });
    assert.deepEqual(plan.provisioningOrder, ["c1", "c2", "c3", "c4"]);
    assert.deepEqual(primary!.watches, ["c2", "c3", "c4"]);
    for (const r of remotes) {
      assert.equal(r.runsIstiod, false);
      assert.deepEqual(r.remote, { primary: "c1", through: "eastWestGateway", address: "ip" });
      assert.equal(r.eastWestGateway, true, "remotes on other networks still carry cross-network traffic");
      assert.equal(r.crossNetworkGateway, false, "the primary's config covers the remotes' gateways");
      assert.deepEqual(r.watches, []);
    }
  });

  it("builds primaries first whatever the order of the list", () => {
    const clusters = specs("primary-remote", 3).reverse();
    assert.deepEqual(planMesh(validated({ topology: "primary-remote", clusters })).provisioningOrder, [
      "c1",
      "c3",
      "c2",
    ]);
  });

  it("primary-remote on one network still gives the primary a gateway for istiod", () => {
    const plan = planMesh(
      validated({
        topology: "primary-remote",
        clusters: [
          { name: "a", location: "us-east1-b", network: "n", role: "primary" },
          { name: "b", location: "us-east1-c", network: "n", role: "remote" },
        ],
      }),
    );
    assert.deepEqual(
      createdOf(plan).map((c) => [c.name, c.eastWestGateway]),
      [
        ["a", true],
        ["b", false],
      ],
    );
  });

  it("shared control plane: one VPC, internal istiod exposure open to the mesh's own ranges, no gateways", () => {
    const plan = planMesh(config("shared-control-plane", 5));
    assert.equal(plan.vpcs.length, 1);
    assert.deepEqual(plan.vpcs[0]!.clusters, ["c1", "c2", "c3", "c4", "c5"]);
    const exposure = createdOf(plan)[0]!.istiodExposure;
    assert.equal(exposure.kind, "internalLoadBalancer");
    assert.deepEqual(
      exposure.kind === "internalLoadBalancer" ? [...exposure.sourceRanges].sort() : [],
      createdOf(plan)
        .flatMap((c) => [c.ranges.nodes, c.ranges.pods])
        .sort(),
    );
    assert.ok(
      createdOf(plan)
        .slice(1)
        .every((c) => c.remote?.through === "internalLoadBalancer"),
    );
    assert.ok(createdOf(plan).every((c) => !c.eastWestGateway));
  });

  it("scopes every GCP name with the name prefix (the stack name by default)", () => {
    const plan = planMesh(config("primary-remote", 2));
    const c1 = createdOf(plan)[0]!;
    assert.equal(plan.namePrefix, "dev");
    assert.equal(plan.nodeServiceAccountId, "dev-nodes");
    assert.deepEqual(
      [c1.gcp.gkeCluster, c1.gcp.subnet, c1.gcp.nodeTag, c1.gcp.eastWestAddress, c1.gcp.nodePool],
      ["dev-c1", "dev-c1", "dev-c1-node", "dev-c1-eastwest", "mesh-nodes"],
    );
    assert.equal(plan.vpcs[0]!.name, "dev-net1");
    assert.equal(plan.vpcs[0]!.firewalls.webhooks, "dev-net1-webhooks");
    assert.equal(plan.vpcs[0]!.firewalls.meshPods, undefined, "one cluster on net1: no other pods to admit");
    const mine = planMesh(config("primary-remote", 2, { namePrefix: "team-a" }));
    assert.equal(createdOf(mine)[0]!.gcp.gkeCluster, "team-a-c1");
    const spot = planMesh(
      validated({ clusters: specs("multi-primary", 2).map((c) => ({ ...c, nodePool: { spot: true } })) }),
    );
    assert.equal(createdOf(spot)[0]!.gcp.nodePool, "mesh-spot-nodes", "spot needs a new pool: a new name");
  });

  it("shortens long stack names deterministically for the default prefix", () => {
    assert.equal(defaultNamePrefix("multi-primary", 16), "multi-primary");
    const long = defaultNamePrefix("shared-control-plane", 16);
    const hash = createHash("sha256").update("shared-control-plane").digest("hex").slice(0, 4);
    assert.equal(long, `shared-cont-${hash}`);
    assert.ok(long.length <= 16);
    assert.notEqual(
      defaultNamePrefix("shared-control-plane-2", 16),
      long,
      "two long names never share a prefix",
    );
    assert.match(defaultNamePrefix("Prod_EU.West", 16), /^prod-eu-wes-[0-9a-f]{4}$/);
    assert.match(defaultNamePrefix("42-stack", 16), /^stack-[0-9a-f]{4}$/);
  });

  it("a cluster's own istioVersion changes only that cluster's install", () => {
    const clusters = specs("multi-primary", 3);
    const plan = planMesh(
      validated({
        istioVersion: "1.30.3",
        clusters: clusters.map((c, i) => (i === 1 ? { ...c, istioVersion: "1.31.1" } : c)),
      }),
    );
    assert.deepEqual(
      createdOf(plan).map((c) => c.istio.version),
      ["1.30.3", "1.31.1", "1.30.3"],
    );
    assert.equal(plan.istio.version, "1.30.3");
  });

  it("derives regions from zones and keeps regions", () => {
    assert.equal(regionOf("us-east1-b"), "us-east1");
    assert.equal(regionOf("northamerica-northeast1-a"), "northamerica-northeast1");
    assert.equal(regionOf("europe-west4"), "europe-west4");
  });
});
