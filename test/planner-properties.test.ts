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
import { NAME_RULES, nameRuleProblem, type NameKind } from "../gcp/names";
import { planMesh } from "../plan/planner";
import { isCreatedPlan, type MeshPlan } from "../plan/types";

/** These meshes are all created by the program: their clusters have slots, ranges and GCP names. */
const createdOf = (plan: MeshPlan) => plan.clusters.filter(isCreatedPlan);

const TOPOLOGIES = ["multi-primary", "primary-remote", "shared-control-plane"] as const;
const ZONES = Object.entries(LOCATIONS.regions).flatMap(([r, zs]) => zs.map((z) => `${r}-${z}`));
const REGIONS = Object.keys(LOCATIONS.regions);
const RUNS = Number(process.env["PROPERTY_RUNS"] ?? 300);

/** A DNS label of `min`-`max` characters, as the schema accepts for names, networks and the prefix. */
const labelOf = (min: number, max: number) => labelOfLength(fc.integer({ min, max }));
// Built from characters rather than fc.stringMatching, which spent four fifths of this file's time
// interpreting the regex: the same labels, `[a-z]` then `[a-z0-9-]*` then `[a-z0-9]`.
const LOWER = [..."abcdefghijklmnopqrstuvwxyz"];
const DIGITS = [..."0123456789"];
const char = (chars: readonly string[]) => fc.constantFrom(...chars);
const labelOfLength = (length: fc.Arbitrary<number>) =>
  length.chain((n) =>
    n === 1
      ? char(LOWER)
      : fc
          .tuple(
            char(LOWER),
            fc.array(char([...LOWER, ...DIGITS, "-"]), { minLength: n - 2, maxLength: n - 2 }),
            char([...LOWER, ...DIGITS]),
          )
          .map(([first, middle, last]) => `${first}${middle.join("")}${last}`),
  );
// Most meshes use short names; one in four uses a prefix and cluster names whose GKE names straddle GCP's
// limit of 40 (39 or 40 characters, one in seven 41 or 42), and networks long enough for routers and NAT
// to pass 63.
const names = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constant({
      cluster: labelOf(1, 16),
      network: labelOf(1, 8),
      prefix: fc.option(labelOf(1, 16), { freq: 2 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 10, max: 16 }).map((p) => ({
      cluster: labelOfLength(
        fc.oneof(
          { weight: 6, arbitrary: fc.integer({ min: 38 - p, max: 39 - p }) },
          { weight: 1, arbitrary: fc.integer({ min: 40 - p, max: 41 - p }) },
        ),
      ),
      network: labelOf(20, 40),
      prefix: labelOf(p, p).map((l): string | null => l),
    })),
  },
);

const clusterOf = <N>(network: fc.Arbitrary<N>) =>
  fc.record({
    location: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...ZONES) },
      { weight: 1, arbitrary: fc.constantFrom(...REGIONS) },
    ),
    network,
    nodeCount: fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 1, max: 8 }) },
      { weight: 1, arbitrary: fc.integer({ min: 9, max: 120 }) },
    ),
    spot: fc.boolean(),
    explicitPods: fc.integer({ min: 0, max: 9 }).map((n) => n === 0), // one cluster in ten
  });

const mesh = names.chain((label) =>
  fc.record({
    topology: fc.constantFrom(...TOPOLOGIES),
    privateNodes: fc.boolean(),
    fleet: fc.boolean(),
    onlineBoutique: fc.boolean(),
    namePrefix: label.prefix,
    clusters: fc.uniqueArray(
      // Three networks per mesh at most, so that VPCs hold several clusters.
      fc.tuple(label.cluster, clusterOf(fc.constantFrom(0, 1, 2))),
      { minLength: 2, maxLength: 64, selector: ([name]) => name },
    ),
    networks: fc.tuple(label.network, label.network, label.network),
  }),
);

type Mesh = typeof mesh extends fc.Arbitrary<infer T> ? T : never;

/** The settings a user would write for a random mesh: roles fitting the topology, one network if flat. */
function settingsOf(m: Mesh): Record<string, unknown> {
  const clusters = m.clusters.map(([name, c], i) => ({
    name,
    location: c.location,
    network: m.topology === "shared-control-plane" ? m.networks[0] : m.networks[c.network],
    role: m.topology === "multi-primary" || i === 0 ? "primary" : "remote",
    nodePool: { nodeCount: c.nodeCount, spot: c.spot },
    // Explicit pod ranges from 192.168.0.0/16 (a /21 each, GKE's smallest: 8 nodes' worth), distinct.
    ...(c.explicitPods && i < 32 ? { podCidr: `192.168.${i * 8}.0/21` } : {}),
  }));
  return {
    project: "my-gcp-project",
    topology: m.topology,
    privateNodes: m.privateNodes,
    fleet: m.fleet,
    onlineBoutique: m.onlineBoutique,
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
  }
  // Every GCP name the plan holds, read from its own fields (not from its list of GCP resources, which
  // validation checks): within GCP's limits once validation accepts.
  for (const [kind, name] of namesOf(plan)) {
    assert.equal(nameRuleProblem(NAME_RULES[kind], name), undefined, name);
  }
  assert.equal(
    new Set(createdOf(plan).map((c) => c.gcp.gkeCluster)).size,
    createdOf(plan).length,
    "GKE names unique",
  );
}

function namesOf(plan: MeshPlan): [NameKind, string][] {
  const names: [NameKind, string][] = [];
  if (createdOf(plan).length > 0) names.push(["serviceAccount", plan.nodeServiceAccountId]);
  for (const c of plan.clusters) {
    if (c.source === "kubeconfig") continue;
    if (plan.fleet) names.push(["membership", c.gcp.fleetMembership]);
    if (c.eastWestGateway) names.push(["gce", c.gcp.eastWestAddress]);
    if (c.istiodExposure.kind === "internalLoadBalancer") names.push(["gce", c.gcp.istiodAddress]);
    if (plan.samples.onlineBoutique?.frontendCluster === c.name) names.push(["gce", c.gcp.ingressAddress]);
    if (c.source !== "created") continue;
    names.push(["gkeCluster", c.gcp.gkeCluster], ["nodePool", c.gcp.nodePool], ["networkTag", c.gcp.nodeTag]);
    names.push(["gce", c.gcp.subnet], ["gce", c.gcp.podRange], ["gce", c.gcp.serviceRange]);
  }
  for (const vpc of plan.vpcs) {
    names.push(["gce", vpc.name]);
    if (vpc.firewalls.meshPods) names.push(["gce", vpc.firewalls.meshPods]);
    if (!plan.gke.privateNodes) continue;
    names.push(["gce", vpc.firewalls.webhooks]);
    for (const r of vpc.regions) {
      names.push(
        ["gce", r.router],
        ["nat", r.nat],
        ...r.natAddresses.map((a): [NameKind, string] => ["gce", a]),
      );
    }
  }
  return names;
}

describe("validation and the address planner, as properties", { timeout: 240_000 }, () => {
  it(`holds for ${RUNS} random meshes of 2-64 clusters`, (t) => {
    let accepted = 0;
    let refusedForNames = 0;
    let longestGkeName = 0;
    fc.assert(
      fc.property(mesh, (m) => {
        const { pinned, result } = validatePinned(settingsOf(m));
        if (!result.ok) {
          if (result.problems.some((p) => p.includes("characters; GCP allows"))) refusedForNames++;
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
        for (const c of createdOf(plan)) longestGkeName = Math.max(longestGkeName, c.gcp.gkeCluster.length);
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
    t.diagnostic(`${refusedForNames} refused for a GCP name; longest accepted GKE name ${longestGkeName}`);
    assert.ok(accepted > RUNS / 2, `most random meshes are valid (${accepted}/${RUNS})`);
    // The names reach GCP's limits from both sides: some are refused, some accepted at the limit.
    assert.ok(refusedForNames > 0, "some random meshes have a name over a GCP limit");
    assert.equal(
      longestGkeName,
      NAME_RULES.gkeCluster.max,
      "some accepted GKE names are as long as GCP allows",
    );
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
