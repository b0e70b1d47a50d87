// The engine's whole lifecycle on the mock cloud: the first preview of a new stack succeeds, the second
// `up` of an unchanged config changes nothing (with and without a refresh in between), and the four
// real-deploy defects of issue 20 stay fixed.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { preview, secondUps } from "../offline/engine/lifecycle";
import { listStacks, loadStackFile, stackConfig } from "../offline/engine/stackFiles";
import { meshConfig, type SyntheticTopology } from "../offline/engine/syntheticMesh";
import { execKubeconfig, withOverrides } from "./support/configs";

const TOPOLOGIES: SyntheticTopology[] = ["multi-primary", "primary-remote", "shared-control-plane"];

/** A mesh of every kind of cluster: created, adopted GKE in another project, EKS through a kubeconfig. */
function mixedMesh(topology: "multi-primary" | "primary-remote", extra: Record<string, unknown> = {}) {
  return withOverrides({
    topology,
    clusters: [
      { name: "east", location: "us-east1-b", network: "n1", role: "primary" },
      {
        name: "adopted",
        location: "europe-west1-b",
        network: "n2",
        role: topology === "multi-primary" ? "primary" : "remote",
        existing: "gke",
        project: "other-project",
      },
      {
        name: "eks",
        network: "n3",
        role: "primary",
        existing: "kubeconfig",
        loadBalancerAddress: "hostname",
      },
    ].map((c) => (topology === "primary-remote" && c.name === "eks" ? { ...c, role: "remote" } : c)),
    kubeconfigs: { eks: execKubeconfig("https://ABC.gr7.us-east-1.eks.amazonaws.com") },
    helloworld: true,
    onlineBoutique: true,
    fleet: true,
    ...extra,
  });
}

const MIXED_EXAMPLE = `${__dirname}/../examples/existing-clusters/Pulumi.mixed.yaml`;

const CASES: {
  name: string;
  config: () => Record<string, string>;
  hostnames?: string[];
  secretKeys?: () => string[];
}[] = [
  {
    name: "examples/existing-clusters/Pulumi.mixed.yaml as shipped",
    config: () => loadStackFile(MIXED_EXAMPLE).config,
    secretKeys: () => loadStackFile(MIXED_EXAMPLE).secretKeys,
    hostnames: ["eks-west"],
  },
  ...listStacks().map((stack) => ({ name: `stack ${stack}`, config: () => stackConfig(stack) })),
  ...TOPOLOGIES.map((t) => ({
    name: `${t}, 3 clusters, samples`,
    config: () => meshConfig(t, 3, { helloworld: true, bookinfo: true, httpbin: true }),
  })),
  {
    name: "private multi-primary with masterAuthorizedNetworks",
    config: () =>
      meshConfig("multi-primary", 2, { privateNodes: true, masterAuthorizedNetworks: ["203.0.113.0/24"] }),
  },
  ...(["multi-primary", "primary-remote"] as const).map((t) => ({
    name: `mixed ${t}: created, adopted GKE in another project, EKS`,
    config: () => mixedMesh(t),
    hostnames: ["eks"],
  })),
];

const counts = (d: { count(kind: "create" | "update" | "replace" | "delete"): number }) =>
  [d.count("create"), d.count("update"), d.count("replace"), d.count("delete")].join("/");

describe("lifecycle: first preview, up, refresh, second up", { timeout: 300_000 }, () => {
  for (const c of CASES) {
    it(`${c.name}: the preview of a new stack succeeds; the second up changes nothing`, async () => {
      const cloud = c.hostnames ? { loadBalancerHostnames: c.hostnames } : {};
      const options = { cloud, ...(c.secretKeys ? { secretKeys: c.secretKeys() } : {}) };
      const first = await preview(c.config(), undefined, options);
      assert.equal(first.error, undefined, `preview failed: ${String(first.error)}`);
      // One first `up`; its state then meets the same config twice: as stored, and refreshed.
      const run = await secondUps(c.config(), options);
      assert.ok(run.first.diff.count("create") > 0);
      for (const [refresh, second] of [
        [false, run.plain],
        [true, run.refreshed],
      ] as const) {
        assert.equal(second.evaluation.error, undefined);
        const changes = second.diff.steps.map((s) => `${s.kind} ${s.name}: ${s.reasons.join("; ")}`);
        assert.deepEqual(changes, [], `refresh=${refresh}`);
        assert.equal(counts(second.diff), "0/0/0/0");
      }
    });
  }
});
