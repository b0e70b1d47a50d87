// What waits for what, as the planner decides it (plan/wiring.ts): hand-written expectations for small
// meshes of each topology, and the invariants mesh/istio.ts relies on for meshes of every size.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Topology } from "../config/schema";
import { pinsForCollisions } from "../addressing/slots";
import { requireValidConfig } from "../config/validate";
import { planMesh } from "../plan/planner";
import type { ClusterWiring, MeshPlan, Readiness } from "../plan/types";
import { execKubeconfig } from "./support/configs";

const LOCATIONS = ["us-east1-b", "europe-west4-b", "asia-east1-b", "us-central1-b", "us-west1-b"];

function planOf(
  topology: Topology,
  clusters: { name: string; role: string; network: string; existing?: "kubeconfig" }[],
): MeshPlan {
  const kubeconfigs = Object.fromEntries(
    clusters
      .filter((c) => c.existing === "kubeconfig")
      .map((c) => [c.name, execKubeconfig(`https://${c.name}.example.net:6443`)]),
  );
  const located = clusters.map((c, i) =>
    c.existing ? c : { ...c, location: LOCATIONS[i % LOCATIONS.length]! },
  );
  // Names whose address slot an earlier cluster holds are pinned, as validation asks.
  const pins = pinsForCollisions(located.filter((c) => !c.existing));
  const specs = located.map((c) => (pins.has(c.name) ? { ...c, slot: pins.get(c.name) } : c));
  return planMesh(
    requireValidConfig(
      { project: "my-gcp-project", topology, clusters: specs },
      { stack: "dev", kubeconfigs },
    ),
  );
}

const wiringOf = (plan: MeshPlan) => Object.fromEntries(plan.clusters.map((c) => [c.name, c.wiring]));
const nodes = (cluster: string): Readiness => ({ kind: "nodes", cluster });
const istiod = (cluster: string): Readiness => ({ kind: "istiod", cluster });
const meshPolicy = (cluster: string): Readiness => ({ kind: "meshPolicy", cluster });
const remoteSecret = (cluster: string): Readiness => ({ kind: "remoteSecret", cluster });
const exposure = (cluster: string): Readiness => ({ kind: "istiodExposure", cluster });

describe("wiring as data", () => {
  it("multi-primary on two networks: each cluster waits for its own istiod; gateways come with it", () => {
    const plan = planOf("multi-primary", [
      { name: "a", role: "primary", network: "n1" },
      { name: "b", role: "primary", network: "n2" },
    ]);
    const primary = (c: string): ClusterWiring => ({
      injectionReady: [nodes(c), istiod(c), meshPolicy(c)],
      gateway: { address: "reserved", pods: [istiod(c)], config: [istiod(c)] },
    });
    assert.deepEqual(wiringOf(plan), { a: primary("a"), b: primary("b") });
  });

  it("multi-primary on one network: no gateway", () => {
    const plan = planOf("multi-primary", [
      { name: "a", role: "primary", network: "flat" },
      { name: "b", role: "primary", network: "flat" },
    ]);
    assert.deepEqual(wiringOf(plan), {
      a: { injectionReady: [nodes("a"), istiod("a"), meshPolicy("a")] },
      b: { injectionReady: [nodes("b"), istiod("b"), meshPolicy("b")] },
    });
  });

  it("primary-remote: a remote's pods, its gateway's too, wait for the primary's Secret and gateway", () => {
    const plan = planOf("primary-remote", [
      { name: "r", role: "remote", network: "n2" },
      { name: "p", role: "primary", network: "n1" },
    ]);
    const remoteReady = [nodes("r"), istiod("r"), remoteSecret("p"), exposure("p")];
    assert.deepEqual(wiringOf(plan), {
      p: {
        injectionReady: [nodes("p"), istiod("p"), meshPolicy("p")],
        gateway: { address: "reserved", pods: [istiod("p")], config: [istiod("p")] },
        istiodAddress: "gateway",
      },
      r: {
        injectionReady: remoteReady,
        gateway: { address: "reserved", pods: remoteReady, config: [istiod("r")] },
      },
    });
  });

  it("primary-remote with the primary off GKE: its gateway's address is its load balancer's", () => {
    const plan = planOf("primary-remote", [
      { name: "eks", role: "primary", network: "aws", existing: "kubeconfig" },
      { name: "r", role: "remote", network: "gcp" },
    ]);
    assert.deepEqual(wiringOf(plan)["eks"], {
      injectionReady: [nodes("eks"), istiod("eks"), meshPolicy("eks")],
      gateway: { address: "loadBalancer", pods: [istiod("eks")], config: [istiod("eks")] },
      istiodAddress: "gateway",
    });
    const remoteReady = [nodes("r"), istiod("r"), remoteSecret("eks"), exposure("eks")];
    assert.deepEqual(wiringOf(plan)["r"], {
      injectionReady: remoteReady,
      gateway: { address: "reserved", pods: remoteReady, config: [istiod("r")] },
    });
  });

  it("shared control plane: remotes wait for the primary's Secret and internal load balancer", () => {
    const plan = planOf("shared-control-plane", [
      { name: "p", role: "primary", network: "flat" },
      { name: "r", role: "remote", network: "flat" },
    ]);
    assert.deepEqual(wiringOf(plan), {
      p: { injectionReady: [nodes("p"), istiod("p"), meshPolicy("p")], istiodAddress: "reservedInternal" },
      r: { injectionReady: [nodes("r"), istiod("r"), remoteSecret("p"), exposure("p")] },
    });
  });

  for (const topology of ["multi-primary", "primary-remote", "shared-control-plane"] as const) {
    for (const n of [2, 3, 6]) {
      it(`${topology}, ${n} clusters: everything waited for exists before what waits for it`, () => {
        const plan = planOf(
          topology,
          Array.from({ length: n }, (_, i) => ({
            name: `c${i + 1}`,
            role: topology === "multi-primary" || i === n - 1 ? "primary" : "remote",
            network: topology === "shared-control-plane" ? "flat" : `n${i + 1}`,
          })),
        );
        const byName = new Map(plan.clusters.map((c) => [c.name, c]));
        const order = (name: string) => plan.provisioningOrder.indexOf(name);
        for (const c of plan.clusters) {
          const { injectionReady, gateway } = c.wiring;
          for (const r of [...injectionReady, ...(gateway?.pods ?? []), ...(gateway?.config ?? [])]) {
            const holder = byName.get(r.cluster);
            assert.ok(holder, `${c.name} waits for ${r.kind} of an unknown ${r.cluster}`);
            if (r.kind === "remoteSecret")
              assert.ok(holder.watches.includes(c.name), `${r.cluster}'s Secret holds ${c.name}'s key`);
            if (r.kind === "istiodExposure") {
              assert.notEqual(holder.istiodExposure.kind, "none", `${r.cluster} exposes istiod`);
              assert.ok(order(r.cluster) < order(c.name), `${r.cluster} is built before ${c.name}`);
            }
            if (r.kind === "meshPolicy") assert.ok(holder.runsIstiod, `${r.cluster} runs istiod`);
          }
          // Every remote's pods are injected through its primary.
          if (!c.runsIstiod)
            assert.ok(
              injectionReady.some((r) => r.kind === "istiodExposure"),
              c.name,
            );
          if (c.remote) assert.ok(byName.get(c.remote.primary)!.wiring.istiodAddress, c.remote.primary);
        }
      });
    }
  }
});
