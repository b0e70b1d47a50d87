// Canary revisions on the mock engine: every shipped stack without istioRevisions evaluates to the same
// Istio objects as before revisions existed (expectations written from Istio's install docs, not from the
// program), and each stage of docs/upgrades.md, on every topology, touches exactly what it must.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { diffEvaluations, type MeshDiff } from "../offline/engine/diff";
import type { RecordedResource } from "../offline/engine/recorder";
import { evaluate } from "../offline/engine/runtime";
import { listStacks, stackConfig } from "../offline/engine/stackFiles";
import { syntheticClusters, type SyntheticTopology } from "../offline/engine/syntheticMesh";
import { withOverrides } from "./support/configs";

/** Resource names without the mesh's name (the stack program's mesh is "mesh"). */
const local = (name: string) => name.replace(/^mesh-/, "");

const RELEASE = "kubernetes:helm.sh/v3:Release";
const valuesOf = (r: RecordedResource) => r.inputs["values"] as Record<string, unknown>;

describe("shipped stacks without istioRevisions are what they were", { timeout: 240_000 }, () => {
  for (const stack of listStacks()) {
    it(`${stack}: one unnamed istiod per cluster, no revision keys, namespaces istio-injection=enabled`, async () => {
      const evaluation = await evaluate(stackConfig(stack), { stack });
      assert.equal(evaluation.error, undefined, String(evaluation.error));
      const resources = evaluation.resources;
      const releases = resources.filter((r) => r.type === RELEASE);
      const clusters = new Set(
        resources.filter((r) => r.type === "gcp:container/cluster:Cluster").map((r) => r.name),
      );
      // Per cluster exactly the releases `istio-base` and `istiod` under their resource names of before.
      for (const cluster of clusters) {
        const own = releases.filter((r) => r.name.startsWith(`${cluster}-`));
        assert.deepEqual(
          own
            .filter((r) => ["istio-base", "istiod"].includes(String(r.inputs["name"])))
            .map((r) => r.name)
            .sort(),
          [`${cluster}-istio-base`, `${cluster}-istiod`],
        );
      }
      for (const release of releases) {
        const values = JSON.stringify(valuesOf(release));
        for (const key of ["revision", "revisionTags", "defaultRevision", "podAnnotations"])
          assert.ok(!values.includes(`"${key}"`), `${release.name}: no ${key}`);
      }
      // Istio's multicluster docs expose istiod with one catch-all route per port to istiod.istio-system.
      for (const vs of resources.filter((r) => r.name.endsWith("-istiod-vs"))) {
        assert.deepEqual((vs.inputs["spec"] as { tls: unknown }).tls, [
          {
            match: [{ port: 15012, sniHosts: ["*"] }],
            route: [
              { destination: { host: "istiod.istio-system.svc.cluster.local", port: { number: 15012 } } },
            ],
          },
          {
            match: [{ port: 15017, sniHosts: ["*"] }],
            route: [
              { destination: { host: "istiod.istio-system.svc.cluster.local", port: { number: 443 } } },
            ],
          },
        ]);
      }
      for (const service of resources.filter((r) => r.name.endsWith("-istiod-internal"))) {
        assert.deepEqual((service.inputs["spec"] as { selector: unknown }).selector, {
          app: "istiod",
          istio: "pilot",
        });
      }
      for (const ns of resources.filter(
        (r) => r.type === "kubernetes:core/v1:Namespace" && !r.name.endsWith("-istio-system"),
      )) {
        assert.deepEqual(
          (ns.inputs["metadata"] as { labels: unknown }).labels,
          { "istio-injection": "enabled" },
          ns.name,
        );
      }
    });
  }
});

// From a mesh built on 1.30.3 before revisions to 1.31.1, as in docs/upgrades.md.
const STAGES = [
  { istioVersion: "1.30.3" },
  { istioVersion: "1.30.3", istioRevisions: { canary: "1.31.1" } },
  { istioVersion: "1.30.3", istioRevisions: { canary: "1.31.1", samplesTag: "prod-canary" } },
  { istioVersion: "1.30.3", istioRevisions: { canary: "1.31.1", samplesTag: "prod-canary", promoted: true } },
  { istioVersion: "1.31.1", istioRevisions: { stable: "versioned" } },
];

/** `<kind> <name> (<reasons>)`, sorted: what `pulumi up` would do. */
const steps = (diff: MeshDiff) =>
  diff.steps
    .map((s) => `${s.kind} ${local(s.name)}${s.reasons.length ? ` (${s.reasons.join("; ")})` : ""}`)
    .sort();

/**
 * What each stage must change, per cluster role, from Istio's canary upgrade procedure: stage 1 adds the
 * canary release and the tags (base follows the newest chart, namespaces and gateways choose tags), stage
 * 2 moves the sample namespaces, stage 3 moves prod-stable (tag owners, base's default validator, the
 * east-west gateway), stage 4 deletes the unnamed istiod and drops prod-canary.
 */
function expected(topology: SyntheticTopology, stage: number): string[] {
  const out: string[] = [];
  const gateway = topology !== "shared-control-plane";
  for (const [name, role] of [
    ["cluster1", "primary"],
    ["cluster2", topology === "multi-primary" ? "primary" : "remote"],
  ] as const) {
    const eastWest = `update ${name}-istio-eastwestgateway`;
    if (stage === 1) {
      out.push(
        `create ${name}-istiod-1-31-1`,
        `update ${name}-istio-base (values.defaultRevision; values.global.tag; version)`,
        `update ${name}-istiod (values.revisionTags)`,
        `update ${name}-sample (metadata.labels.istio-injection; metadata.labels.istio.io/rev)`,
      );
      if (gateway)
        out.push(
          `${eastWest} (values.podAnnotations; values.podAnnotations.istio-multicluster/tag-revision; values.revision)`,
        );
      if (role === "primary" && topology === "primary-remote")
        out.push(`update ${name}-istiod-vs (spec.tls)`);
      if (role === "primary" && topology === "shared-control-plane")
        out.push(`create ${name}-istiod-internal-1-31-1`);
    }
    if (stage === 2) out.push(`update ${name}-sample (metadata.labels.istio.io/rev)`);
    if (stage === 3) {
      out.push(
        `update ${name}-istio-base (values.defaultRevision)`,
        `update ${name}-istiod (values.revisionTags)`,
        `update ${name}-istiod-1-31-1 (values.revisionTags)`,
      );
      if (gateway)
        out.push(
          `${eastWest} (values.global.tag; values.podAnnotations.istio-multicluster/tag-revision; version)`,
        );
    }
    if (stage === 4) {
      out.push(
        `delete ${name}-istiod`,
        `update ${name}-istiod-1-31-1 (values.revisionTags)`,
        `update ${name}-sample (metadata.labels.istio.io/rev)`,
      );
      // The catch-all route leaves the unnamed istiod for prod-stable's revision.
      if (role === "primary" && topology === "primary-remote")
        out.push(`update ${name}-istiod-vs (spec.tls)`);
      if (role === "primary" && topology === "shared-control-plane") {
        out.push(
          `delete ${name}-istiod-internal`,
          `delete ${name}-istiod`, // its reserved internal address, a GCP Address of that name
        );
      }
    }
  }
  return out.sort();
}

for (const topology of ["multi-primary", "primary-remote", "shared-control-plane"] as SyntheticTopology[]) {
  describe(`canary stages on ${topology}`, { timeout: 240_000 }, () => {
    const clusters = syntheticClusters(topology, 2);
    const recorded: RecordedResource[][] = [];
    before(async () => {
      for (const stage of STAGES) {
        const evaluation = await evaluate(withOverrides({ topology, clusters, helloworld: true, ...stage }));
        if (evaluation.error) throw evaluation.error;
        recorded.push(evaluation.resources);
      }
    });
    for (const stage of [1, 2, 3, 4]) {
      it(`stage ${stage} touches only what it must`, () => {
        const diff = diffEvaluations(recorded[stage - 1]!, recorded[stage]!);
        assert.deepEqual(steps(diff), expected(topology, stage));
      });
    }
    it("a remote's canary release reaches the primary's canary (SNI route or its own load balancer)", () => {
      const stage1 = recorded[1]!;
      if (topology === "primary-remote") {
        const vs = stage1.find((r) => local(r.name) === "cluster1-istiod-vs")!;
        const tls = (
          vs.inputs["spec"] as {
            tls: { match: { sniHosts: string[] }[]; route: { destination: { host: string } }[] }[];
          }
        ).tls;
        assert.deepEqual(tls[0]!.match[0]!.sniHosts, [
          "istiod-1-31-1.istio-system.svc",
          "istiod-1-31-1.istio-system.svc.cluster.local",
        ]);
        assert.equal(tls[0]!.route[0]!.destination.host, "istiod-1-31-1.istio-system.svc.cluster.local");
        assert.deepEqual(tls.at(-1)!.match[0]!.sniHosts, ["*"], "the catch-all comes last");
      }
      if (topology === "shared-control-plane") {
        const lb = stage1.find((r) => local(r.name) === "cluster1-istiod-internal-1-31-1")!;
        assert.deepEqual((lb.inputs["spec"] as { selector: unknown }).selector, {
          app: "istiod",
          "istio.io/rev": "1-31-1",
        });
      }
      if (topology !== "multi-primary") {
        const canary = stage1.find((r) => local(r.name) === "cluster2-istiod-1-31-1")!;
        const values = valuesOf(canary) as {
          revision: string;
          profile: string;
          global: { remotePilotAddress: string };
        };
        assert.equal(values.revision, "1-31-1");
        assert.equal(values.profile, "remote");
        const stable = valuesOf(stage1.find((r) => local(r.name) === "cluster2-istiod")!) as typeof values;
        if (topology === "primary-remote")
          assert.equal(values.global.remotePilotAddress, stable.global.remotePilotAddress);
        else assert.notEqual(values.global.remotePilotAddress, stable.global.remotePilotAddress);
      }
    });
  });
}
