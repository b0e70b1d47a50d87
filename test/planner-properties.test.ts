// Properties of validation and the address planner over random meshes of 2-64 clusters: validation never
// throws and names a field for every problem; once it accepts (after the pins it asks for), ranges never
// overlap, stay in their pools, hold their nodes, names keep within GCP's limits and are unique, and
// removing a cluster moves nobody else.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { overlaps, parseCidr } from "../addressing/cidr";
import { nodesAtPeak, podRangeCapacity, subnetCapacity } from "../addressing/capacity";
import { POOLS } from "../addressing/pools";
import { pinsForCollisions } from "../addressing/slots";
import { validateMeshConfig } from "../config/validate";
import { defaultZoneCount, LOCATIONS } from "../gcp/locations";
import { NAME_RULES, nameRuleProblem } from "../gcp/names";
import { planMesh } from "../plan/planner";
import { isCreatedPlan, type MeshPlan } from "../plan/types";

/** These meshes are all created by the program: their clusters have slots, ranges and GCP names. */
const createdOf = (plan: MeshPlan) => plan.clusters.filter(isCreatedPlan);

const TOPOLOGIES = ["multi-primary", "primary-remote", "shared-control-plane"] as const;
const ZONES = Object.entries(LOCATIONS.regions).flatMap(([r, zs]) => zs.map((z) => `${r}-${z}`));
const REGIONS = Object.keys(LOCATIONS.regions);
const RUNS = Number(process.env["PROPERTY_RUNS"] ?? 300);

const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,14}[a-z0-9]$/);

const cluster = fc.record({
  location: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...ZONES) },
    { weight: 1, arbitrary: fc.constantFrom(...REGIONS) },
  ),
  network: fc.constantFrom("net-a", "net-b", "net-c"),
  nodeCount: fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 1, max: 8 }) },
    { weight: 1, arbitrary: fc.integer({ min: 9, max: 120 }) },
  ),
  spot: fc.boolean(),
  explicitPods: fc.integer({ min: 0, max: 9 }).map((n) => n === 0), // one cluster in ten
});

const mesh = fc.record({
  topology: fc.constantFrom(...TOPOLOGIES),
  privateNodes: fc.boolean(),
  namePrefix: fc.option(label, { freq: 2 }),
  clusters: fc.uniqueArray(fc.tuple(label, cluster), {
    minLength: 2,
    maxLength: 64,
    selector: ([name]) => name,
  }),
});

type Mesh = typeof mesh extends fc.Arbitrary<infer T> ? T : never;

/** The settings a user would write for a random mesh: roles fitting the topology, one network if flat. */
function settingsOf(m: Mesh): Record<string, unknown> {
  const clusters = m.clusters.map(([name, c], i) => ({
    name,
    location: c.location,
    network: m.topology === "shared-control-plane" ? "flat" : c.network,
    role: m.topology === "multi-primary" || i === 0 ? "primary" : "remote",
    nodePool: { nodeCount: c.nodeCount, spot: c.spot },
    // Explicit pod ranges from 192.168.0.0/16 (a /21 each, GKE's smallest: 8 nodes' worth), distinct.
    ...(c.explicitPods && i < 32 ? { podCidr: `192.168.${i * 8}.0/21` } : {}),
  }));
  return {
    project: "my-gcp-project",
    topology: m.topology,
    privateNodes: m.privateNodes,
    ...(m.namePrefix !== null ? { namePrefix: m.namePrefix } : {}),
    clusters,
  };
}

/** Validates, pinning slots where validation says two names share one, as its message asks. */
function validatePinned(settings: Record<string, unknown>) {
  const clusters = settings["clusters"] as { name: string; slot?: number }[];
  const pins = pinsForCollisions(clusters);
  const pinned = {
    ...settings,
    clusters: clusters.map((c) => (pins.has(c.name) ? { ...c, slot: pins.get(c.name) } : c)),
  };
  return { pinned, result: validateMeshConfig(pinned, { stack: "prop" }) };
}

function assertPlanProperties(plan: MeshPlan): void {
  const ranges = createdOf(plan).flatMap((c) =>
    Object.entries(c.ranges).map(([kind, text]) => ({
      who: `${c.name}.${kind}`,
      kind,
      text,
      range: parseCidr(text!)!,
    })),
  );
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      assert.ok(
        !overlaps(ranges[i]!.range, ranges[j]!.range),
        `${ranges[i]!.who} overlaps ${ranges[j]!.who}`,
      );
    }
  }
  const poolOf = {
    nodes: POOLS.nodes,
    pods: POOLS.pods,
    services: POOLS.services,
    controlPlane: POOLS.controlPlanes,
  };
  for (const r of ranges) {
    const pool = poolOf[r.kind as keyof typeof poolOf];
    const explicit = r.text.startsWith("192.168.");
    assert.ok(explicit || overlaps(pool.range, r.range), `${r.who} ${r.text} lies in its pool`);
    if (!explicit) assert.equal(r.range.prefix, pool.prefix, `${r.who} is one block of its pool`);
  }
  for (const c of createdOf(plan)) {
    const peak = nodesAtPeak(c.nodePool.nodeCount, defaultZoneCount(c.location));
    assert.ok(podRangeCapacity(c.ranges.pods) >= peak, `${c.name}: pods hold ${peak} nodes`);
    assert.ok(subnetCapacity(c.ranges.nodes) >= peak, `${c.name}: the subnet holds ${peak} nodes`);
    const names = [
      ["gkeCluster", c.gcp.gkeCluster],
      ["nodePool", c.gcp.nodePool],
      ["gce", c.gcp.subnet],
      ["gce", c.gcp.eastWestAddress],
      ["networkTag", c.gcp.nodeTag],
    ] as const;
    for (const [kind, name] of names) assert.equal(nameRuleProblem(NAME_RULES[kind], name), undefined, name);
  }
  for (const vpc of plan.vpcs) {
    assert.equal(nameRuleProblem(NAME_RULES.gce, vpc.name), undefined, vpc.name);
    if (plan.gke.privateNodes) {
      for (const r of vpc.regions) {
        assert.equal(nameRuleProblem(NAME_RULES.gce, r.router), undefined, r.router);
        assert.equal(nameRuleProblem(NAME_RULES.nat, r.nat), undefined, r.nat);
      }
    }
  }
  assert.equal(
    new Set(createdOf(plan).map((c) => c.gcp.gkeCluster)).size,
    createdOf(plan).length,
    "GKE names unique",
  );
  assert.equal(nameRuleProblem(NAME_RULES.serviceAccount, plan.nodeServiceAccountId), undefined);
}

describe("validation and the address planner, as properties", { timeout: 240_000 }, () => {
  it(`holds for ${RUNS} random meshes of 2-64 clusters`, (t) => {
    let accepted = 0;
    fc.assert(
      fc.property(mesh, (m) => {
        const { pinned, result } = validatePinned(settingsOf(m));
        if (!result.ok) {
          // Only capacity or name limits may refuse a random mesh, and each problem names its field.
          for (const p of result.problems) assert.match(p, /^(namePrefix|clusters\[\d+\]\.[a-zA-Z.]+): /, p);
          assert.ok(
            result.problems.every((p) => /nodeCount|characters; GCP allows/.test(p)),
            `unexpected: ${result.problems.join("\n")}`,
          );
          return;
        }
        accepted++;
        const plan = planMesh(result.config);
        assertPlanProperties(plan);
        assert.deepEqual(planMesh(result.config), plan, "deterministic");

        // Removing any one cluster moves nobody else.
        const clusters = pinned.clusters as { name: string }[];
        if (clusters.length > 2) {
          const removed = clusters[clusters.length > 3 ? 1 : 2]!.name;
          const fewer = validateMeshConfig(
            { ...pinned, clusters: clusters.filter((c) => c.name !== removed) },
            { stack: "prop" },
          );
          if (fewer.ok) {
            const after = new Map(createdOf(planMesh(fewer.config)).map((c) => [c.name, c]));
            for (const c of createdOf(plan).filter((x) => x.name !== removed)) {
              assert.deepEqual(after.get(c.name)!.ranges, c.ranges, `${c.name} kept its ranges`);
              assert.deepEqual(after.get(c.name)!.gcp, c.gcp, `${c.name} kept its names`);
            }
          }
        }
      }),
      { numRuns: RUNS, seed: Number(process.env["PROPERTY_SEED"] ?? 20261201) },
    );
    t.diagnostic(`${accepted} of ${RUNS} random meshes were valid and planned`);
    assert.ok(accepted > RUNS / 2, `most random meshes are valid (${accepted}/${RUNS})`);
  });

  it("never throws, whatever the input", () => {
    fc.assert(
      fc.property(fc.anything(), (anything) => {
        const result = validateMeshConfig(anything);
        assert.equal(result.ok, false);
      }),
      { numRuns: 300, seed: 7 },
    );
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom("topology", "clusters", "meshId", "namePrefix", "x"), fc.anything()),
        (d) => {
          const result = validateMeshConfig({ project: "my-gcp-project", ...d });
          if (!result.ok)
            for (const p of result.problems)
              assert.match(p, /^([a-zA-Z:[\]0-9._-]|"(\\.|[^"\\])*"|<redacted[^>]*>)+: /, p);
        },
      ),
      { numRuns: 300, seed: 8 },
    );
  });
});
