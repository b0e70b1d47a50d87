// The order `pulumi destroy` takes for every topology, from the recorded graph: what GCP and Kubernetes
// need deleted first is deleted first, the checks agree, and a deliberately broken edge is caught.
// Expected orderings come from how GCP refuses deletes (an address or network still used by a forwarding
// rule), how Helm and the Kubernetes provider reach a cluster, and what istiod reads; not from the output.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { destroyPlan, type DestroyPlan } from "../offline/destroy";
import { checkDestroyOrder } from "../offline/destroyChecks";
import { destroyExitCode, renderDestroyReport } from "../offline/destroyReport";
import { modelDeletion } from "../offline/deletionDurations";
import { evaluate, type Evaluation } from "../offline/engine/runtime";
import type { RecordedResource } from "../offline/engine/recorder";
import { meshConfig, type SyntheticTopology } from "../offline/engine/syntheticMesh";
import { assignGroups } from "../offline/groups";
import { Graph, objectName } from "./support/graphQuery";

const TOPOLOGIES: SyntheticTopology[] = ["multi-primary", "primary-remote", "shared-control-plane"];
const SAMPLES = { helloworld: true, onlineBoutique: true };

for (const topology of TOPOLOGIES) {
  for (const n of [2, 5]) {
    describe(`pulumi destroy of ${topology} with ${n} clusters`, { timeout: 120_000 }, () => {
      let evaluation: Evaluation;
      let graph: Graph;
      let plan: DestroyPlan;
      const names = Array.from({ length: n }, (_, i) => `cluster${i + 1}`);
      const first = (a: RecordedResource, b: RecordedResource) =>
        assert.ok(
          plan.waveOf.get(a.urn)! < plan.waveOf.get(b.urn)!,
          `${a.name} (wave ${plan.waveOf.get(a.urn)}) must be deleted before ${b.name} (wave ${plan.waveOf.get(b.urn)})`,
        );
      const gcp = (type: string, name: string) =>
        graph.one((r) => r.type === `gcp:${type}` && graph.localName(r) === name, `${type} ${name}`);

      before(async () => {
        evaluation = await evaluate(meshConfig(topology, n, SAMPLES));
        if (evaluation.error) throw evaluation.error;
        graph = new Graph(evaluation.resources);
        plan = destroyPlan(evaluation.resources);
      });

      it("deletes every load balancer before the address, subnet and VPC it uses", () => {
        const balancers = graph.kubernetesObjects().filter((r) => {
          const spec = r.inputs["spec"] as { type?: string } | undefined;
          return spec?.type === "LoadBalancer" || r.inputs["chart"] === "gateway";
        });
        // A gateway per cluster on separate networks plus the ingress; or the internal istiod one.
        assert.equal(balancers.length, topology === "shared-control-plane" ? 2 : n + 1);
        for (const lb of balancers) {
          const cluster = graph.clusterOf(lb);
          const values = lb.inputs["values"] as { service?: { loadBalancerIP?: string } } | undefined;
          const spec = lb.inputs["spec"] as { loadBalancerIP?: string } | undefined;
          const ip = values?.service?.loadBalancerIP ?? spec?.loadBalancerIP;
          const address = graph.one(
            (r) => r.type === "gcp:compute/address:Address" && r.outputs["address"] === ip,
            `address ${ip} of ${lb.name}`,
          );
          first(lb, address);
          const network =
            topology === "shared-control-plane" ? "network1" : `network${names.indexOf(cluster) + 1}`;
          first(lb, gcp("compute/subnetwork:Subnetwork", `${network}-${cluster}-subnet`));
          first(lb, gcp("compute/network:Network", network)); // the VPC of the Istio network
        }
      });

      it("uninstalls every Helm release before its cluster, and removes objects before their provider", () => {
        for (const name of names) {
          const cluster = gcp("container/cluster:Cluster", name);
          const provider = graph.one(
            (r) => r.type === "pulumi:providers:kubernetes" && graph.clusterOfProvider.get(r.urn) === name,
            `provider of ${name}`,
          );
          const objects = graph.inCluster(name);
          assert.ok(objects.some((r) => r.type === "kubernetes:helm.sh/v3:Release"));
          for (const r of objects) first(r, provider);
          for (const r of objects.filter((o) => o.type === "kubernetes:helm.sh/v3:Release"))
            first(r, cluster);
          first(provider, cluster);
        }
      });

      it("leaves node pools to their cluster's delete, after everything that runs on the nodes", () => {
        for (const name of names) {
          const cluster = gcp("container/cluster:Cluster", name);
          const pool = gcp("container/nodePool:NodePool", `${name}-nodes`);
          assert.equal(pool.deletedWith, cluster.urn, "GKE deletes a cluster's pools with it");
          const member = plan.nodes.get(pool.urn)!;
          assert.equal(member.seconds, 0, "no drain of its own");
          // Load balancers are removed by GKE's controllers running on the nodes: still before the pool.
          for (const r of graph.inCluster(name).filter((o) => o.type === "kubernetes:helm.sh/v3:Release"))
            first(r, pool);
          first(pool, cluster);
        }
      });

      it("deletes each remote Secret before every cluster it describes", () => {
        const secrets = graph.kubernetesObjects().filter((r) => objectName(r) === "istio-remote-secrets");
        assert.ok(secrets.length > 0);
        for (const secret of secrets) {
          const described = Object.keys(secret.inputs["data"] as object);
          assert.ok(described.length > 0);
          for (const name of described) first(secret, gcp("container/cluster:Cluster", name));
        }
      });

      it("passes the same checks in the plan command, each having compared something", () => {
        const checks = checkDestroyOrder(evaluation.resources, plan);
        assert.equal(checks.length, 4);
        for (const check of checks) {
          assert.deepEqual(check.violations, [], check.name);
          assert.ok(check.compared > 0, `${check.name} compared nothing`);
        }
        assert.equal(destroyExitCode(checks), 0);
      });

      it("takes the slowest delete of each wave, waves one after the other", () => {
        const cluster = modelDeletion("gcp:container/cluster:Cluster").seconds;
        const waves = plan.waves.filter((w) => w.members.length > 0);
        assert.equal(
          plan.seconds,
          waves.reduce((sum, w) => sum + w.seconds, 0),
        );
        for (const w of waves) assert.equal(w.seconds, Math.max(...w.members.map((m) => m.seconds)));
        // The cluster goes before its subnet and VPC, after the releases on its nodes.
        assert.ok(plan.seconds >= cluster, `${plan.seconds} s`);
        assert.ok(plan.dependencyBoundSeconds <= plan.seconds);
        assert.ok(plan.seconds <= plan.sequentialSeconds);
      });
    });
  }
}

describe("a broken edge in the recorded graph", () => {
  it("is caught by the checks and named, and the command would exit 1", async () => {
    const evaluation = await evaluate(meshConfig("primary-remote", 2));
    if (evaluation.error) throw evaluation.error;
    const gateway = evaluation.resources.find((r) => r.name === "mesh-cluster1-istio-eastwestgateway")!;
    // The release as a component that forgot `provider` would register it: through the default provider
    // (whatever kubeconfig is ambient), with the IP passed as a plain string, so it waits for nothing.
    const broken = evaluation.resources.map((r) =>
      r === gateway ? { ...r, provider: "", dependencies: [] } : r,
    );
    const plan = destroyPlan(broken);
    const checks = checkDestroyOrder(broken, plan);
    const violations = checks.flatMap((c) => c.violations);
    assert.ok(
      violations.some((v) =>
        /^mesh-cluster1-istio-eastwestgateway .* is not deleted before mesh-cluster1-eastwest /.test(v),
      ),
      violations.join("\n"),
    );
    assert.ok(
      violations.some((v) =>
        /^mesh-cluster1-istio-eastwestgateway .* is not deleted before mesh-cluster1 \(gcp:/.test(v),
      ),
      violations.join("\n"),
    );
    assert.equal(destroyExitCode(checks), 1);
    const report = renderDestroyReport(plan, checks, assignGroups(broken), { stack: "broken" });
    assert.match(report, /FAIL load balancers before the addresses, subnets and VPC they use/);
    assert.match(report, /FAIL Helm releases before their cluster/);
    // The recording as evaluated passes.
    assert.equal(
      destroyExitCode(checkDestroyOrder(evaluation.resources, destroyPlan(evaluation.resources))),
      0,
    );
  });
});
