// Samples: placement rules (pure) and what buildSamples creates on the mock engine, per cluster.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { readStackConfig } from "../config/load";
import { requireValidConfig } from "../config/validate";
import type { ClusterContext } from "../mesh/context";
import { buildSamples } from "../mesh/samples";
import { planMesh } from "../plan/planner";
import { boutiqueValues, helloworldImage } from "../samples/manifests";
import { BOUTIQUE_CALLS, BOUTIQUE_COMPONENTS, placeBoutique, placeHelloworld } from "../samples/placement";
import { created, evaluate, type Evaluation } from "../offline/engine/runtime";
import type { RecordedResource } from "../offline/engine/recorder";
import { meshConfig, syntheticClusters } from "../offline/engine/syntheticMesh";
import { Graph } from "./support/graphQuery";
import { withOverrides } from "./support/configs";

const names = (n: number) => Array.from({ length: n }, (_, i) => `cluster${i + 1}`);

describe("placement", () => {
  it("helloworld: one version per cluster, alternating, both present", () => {
    assert.deepEqual(placeHelloworld(names(2)), { cluster1: "v1", cluster2: "v2" });
    for (const n of [2, 3, 5, 8]) {
      const placement = placeHelloworld(names(n));
      assert.equal(Object.keys(placement).length, n);
      assert.deepEqual([...new Set(Object.values(placement))].sort(), ["v1", "v2"]);
    }
    assert.equal(placeHelloworld(names(3))["cluster3"], "v1");
    assert.throws(() => placeHelloworld(["only"]), /at least two clusters/);
  });

  it("Online Boutique: the classic split for two clusters", () => {
    const p = placeBoutique(names(2));
    assert.deepEqual([...p.components["cluster2"]!].sort(), [
      "cartservice",
      "loadgenerator",
      "recommendationservice",
      "redis-cart",
    ]);
    assert.equal(p.components["cluster1"]!.length, 8);
    assert.equal(p.frontendCluster, "cluster1");
    assert.deepEqual([...p.remoteServices["cluster1"]!].sort(), ["cartservice", "recommendationservice"]);
    assert.deepEqual([...p.remoteServices["cluster2"]!].sort(), ["frontend", "productcatalogservice"]);
  });

  for (const n of [3, 4, 5, 8, 16]) {
    it(`Online Boutique on ${n} clusters: every component once, every call resolvable`, () => {
      const p = placeBoutique(names(n));
      const all = Object.values(p.components).flat();
      assert.deepEqual([...all].sort(), [...BOUTIQUE_COMPONENTS].sort());
      assert.equal(p.clusterOf.frontend, "cluster1");
      assert.equal(p.clusterOf["redis-cart"], p.clusterOf.cartservice);
      // Storefront group in the first half, the rest in the second half.
      const half = Math.ceil(n / 2);
      assert.ok(Number(p.clusterOf.loadgenerator.slice(7)) > half);
      assert.ok(Number(p.clusterOf.adservice.slice(7)) <= half);
      for (const [cluster, here] of Object.entries(p.components)) {
        for (const caller of here) {
          for (const callee of BOUTIQUE_CALLS[caller] ?? []) {
            const local = p.clusterOf[callee] === cluster;
            assert.ok(
              local || p.remoteServices[cluster]?.includes(callee),
              `${cluster}: ${caller} -> ${callee}`,
            );
          }
        }
        for (const stub of p.remoteServices[cluster] ?? []) assert.notEqual(p.clusterOf[stub], cluster);
      }
    });
  }

  it("chart values switch on only this cluster's components", () => {
    const values = boutiqueValues(["loadgenerator", "cartservice", "redis-cart"]) as Record<
      string,
      Record<string, unknown>
    >;
    assert.equal(values["cartService"]!["create"], true);
    assert.equal(values["frontend"]!["create"], false);
    assert.equal(values["frontend"]!["externalService"], false);
    assert.equal(values["loadGenerator"]!["checkFrontendInitContainer"], false);
    assert.deepEqual(values["cartDatabase"], { inClusterRedis: { create: true } });
    assert.match(String(values["images"]!["repository"]), /^us-central1-docker\.pkg\.dev\//);
    assert.throws(() => boutiqueValues(["cartservice"]), /same cluster/);
  });

  it("helloworld images come from Istio's hub (Docker Hub by default, or a mirror)", () => {
    assert.equal(helloworldImage("v1", "docker.io/istio"), "docker.io/istio/examples-helloworld-v1:1.0");
    assert.equal(
      helloworldImage("v2", "mirror.example.com/istio"),
      "mirror.example.com/istio/examples-helloworld-v2:1.0",
    );
  });
});

const STAND_IN = "test:samples:MeshStandIn";

/**
 * What the mesh layers give a cluster before its samples, in miniature: istio-system, Istio's CRDs (a
 * `base` release) and a ConfigMap after them standing in for meshReady. The strict mock cloud refuses
 * objects in a namespace nobody created and Istio resources without their CRDs.
 */
function meshStandIn(cluster: string, provider: k8s.Provider): pulumi.Resource {
  const parent = new pulumi.ComponentResource(STAND_IN, `${cluster}-mesh`);
  const opts = { parent, provider };
  const namespace = new k8s.core.v1.Namespace(
    `${cluster}-istio-system`,
    { metadata: { name: "istio-system" } },
    opts,
  );
  const base = new k8s.helm.v3.Release(
    `${cluster}-istio-base`,
    { name: "istio-base", chart: "base", namespace: namespace.metadata.name },
    opts,
  );
  return new k8s.core.v1.ConfigMap(
    `${cluster}-mesh-ready`,
    { metadata: { name: "mesh-ready", namespace: "istio-system" } },
    { ...opts, dependsOn: [base] },
  );
}

/** The evaluation of buildSamples alone, on a stand-in for each cluster's mesh (see meshStandIn). */
function samplesProgram() {
  return () => {
    const { settings } = readStackConfig();
    const plan = planMesh(requireValidConfig(settings));
    const contexts = new Map<string, ClusterContext>(
      plan.clusters.map((c) => {
        const provider = new k8s.Provider(c.name, { kubeconfig: "x" });
        const ready = meshStandIn(c.name, provider);
        const kubeconfig = pulumi.secret(`kubeconfig of ${c.name}`);
        return [c.name, { plan: c, provider, kubeconfig, meshReady: [ready] }];
      }),
    );
    const root = new pulumi.ComponentResource("test:samples:Root", "samples");
    return { samples: buildSamples("samples", { plan, contexts, meshWiring: [] }, root) };
  };
}

const clusterOf = (r: RecordedResource) => r.provider.split("::").at(-2) ?? "";
const k8sObjects = (e: Evaluation) =>
  created(e).filter((r) => r.custom && r.type.startsWith("kubernetes:") && !r.parent.includes(STAND_IN));
const named = (e: Evaluation, type: string, metaName: string) =>
  k8sObjects(e).filter(
    (r) => r.type === type && (r.inputs["metadata"] as { name?: string } | undefined)?.name === metaName,
  );

describe("buildSamples on the mock engine", { timeout: 60_000 }, () => {
  it("multi-primary, 2 clusters: objects land in their cluster and wait for its mesh", async () => {
    const e = await evaluate(meshConfig("multi-primary", 2, { helloworld: true, onlineBoutique: true }), {
      program: samplesProgram(),
    });
    assert.equal(e.error, undefined, String(e.error));
    assert.deepEqual(e.duplicateUrns, []);
    assert.deepEqual([...e.cloud.unhandledTypes], []);

    const deployments = (n: string) => named(e, "kubernetes:apps/v1:Deployment", n).map(clusterOf);
    assert.deepEqual(deployments("helloworld-v1"), ["cluster1"]);
    assert.deepEqual(deployments("helloworld-v2"), ["cluster2"]);
    assert.deepEqual(deployments("curl").sort(), ["cluster1", "cluster2"]);
    assert.deepEqual(named(e, "kubernetes:core/v1:Service", "helloworld").map(clusterOf).sort(), [
      "cluster1",
      "cluster2",
    ]);
    const sample = named(e, "kubernetes:core/v1:Namespace", "sample");
    assert.equal(sample.length, 2);
    for (const ns of sample) {
      assert.deepEqual((ns.inputs["metadata"] as { labels: object }).labels, {
        "istio-injection": "enabled",
      });
    }

    // Selector Services for components called here but running in the other cluster.
    const stubsIn = (cluster: string) =>
      k8sObjects(e)
        .filter(
          (r) =>
            r.type === "kubernetes:core/v1:Service" && r.name.endsWith("-remote") && clusterOf(r) === cluster,
        )
        .map((r) => (r.inputs["metadata"] as { name: string }).name)
        .sort();
    assert.deepEqual(stubsIn("cluster1"), ["cartservice", "recommendationservice"]);
    assert.deepEqual(stubsIn("cluster2"), ["frontend", "productcatalogservice"]);
    const cartStub = named(e, "kubernetes:core/v1:Service", "cartservice")[0]!;
    assert.deepEqual((cartStub.inputs["spec"] as { ports: unknown }).ports, [
      { name: "grpc", port: 7070, targetPort: 7070 },
    ]);

    const releases = created(e).filter((r) => r.type === "kubernetes:helm.sh/v3:Release");
    const boutique = releases.filter((r) => r.inputs["name"] === "onlineboutique");
    assert.deepEqual(boutique.map(clusterOf).sort(), ["cluster1", "cluster2"]);
    for (const r of boutique) assert.match(String(r.inputs["version"]), /^\d+\.\d+\.\d+$/);
    const boutique2 = boutique.find((r) => clusterOf(r) === "cluster2")!;
    const values2 = boutique2.inputs["values"] as Record<string, { create?: boolean }>;
    assert.equal(values2["cartService"]!.create, true);
    assert.equal(values2["frontend"]!.create, false);

    // Ingress gateway in the frontend's cluster on the reserved address; URL exported.
    const [gateway, ...more] = releases.filter((r) => r.inputs["name"] === "istio-ingressgateway");
    assert.equal(more.length, 0);
    assert.equal(clusterOf(gateway!), "cluster1");
    assert.equal(gateway!.inputs["namespace"], "istio-system");
    assert.equal(gateway!.inputs["chart"], "gateway");
    assert.equal(gateway!.inputs["version"], "1.31.1");
    assert.deepEqual((gateway!.inputs["values"] as { global: object }).global, {
      hub: "docker.io/istio",
      tag: "1.31.1",
    });
    const address = created(e).find(
      (r) => r.type === "gcp:compute/address:Address" && r.name === "samples-cluster1-ingress",
    )!;
    assert.equal(address.inputs["region"], "us-east1");
    assert.equal(address.inputs["addressType"], "EXTERNAL");
    const ip = String(address.outputs["address"]);
    assert.deepEqual((gateway!.inputs["values"] as { service: object }).service, {
      type: "LoadBalancer",
      loadBalancerIP: ip,
    });
    const outputs = e.outputs["samples"] as {
      onlineBoutique: { url: string };
      helloworld: { placement: object };
    };
    assert.equal(outputs.onlineBoutique.url, `http://${ip}`);
    assert.deepEqual(outputs.helloworld.placement, { cluster1: "v1", cluster2: "v2" });
    const vs = created(e).find((r) => r.type === "kubernetes:networking.istio.io/v1:VirtualService")!;
    assert.equal(clusterOf(vs), "cluster1");

    // Every sample object waits for its own cluster's meshReady.
    const readyUrn = (cluster: string) => created(e).find((r) => r.name === `${cluster}-mesh-ready`)!.urn;
    for (const r of k8sObjects(e)) {
      assert.ok(
        r.dependencies.includes(readyUrn(clusterOf(r))),
        `${r.name} waits for meshReady of ${clusterOf(r)}`,
      );
    }
    assert.equal(created(e).filter((r) => r.type === "command:local:Command").length, 0);
  });

  it("every object written validates against the Kubernetes and Istio schemas", async () => {
    const e = await evaluate(meshConfig("primary-remote", 3, { helloworld: true, onlineBoutique: true }), {
      program: samplesProgram(),
    });
    assert.equal(e.error, undefined, String(e.error));
    const models: Record<string, () => Promise<new (data: object) => { validate(): void }>> = {
      "kubernetes:core/v1:Namespace": async () => (await import("kubernetes-models/v1/Namespace")).Namespace,
      "kubernetes:core/v1:Service": async () => (await import("kubernetes-models/v1/Service")).Service,
      "kubernetes:core/v1:ServiceAccount": async () =>
        (await import("kubernetes-models/v1/ServiceAccount")).ServiceAccount,
      "kubernetes:apps/v1:Deployment": async () =>
        (await import("kubernetes-models/apps/v1/Deployment")).Deployment,
      "kubernetes:networking.istio.io/v1:Gateway": async () =>
        (await import("@kubernetes-models/istio/networking.istio.io/v1/Gateway")).Gateway,
      "kubernetes:networking.istio.io/v1:VirtualService": async () =>
        (await import("@kubernetes-models/istio/networking.istio.io/v1/VirtualService")).VirtualService,
    };
    const objects = k8sObjects(e).filter((r) => r.type !== "kubernetes:helm.sh/v3:Release");
    assert.ok(objects.length >= 20);
    for (const r of objects) {
      const load = models[r.type];
      assert.ok(load, `no schema for ${r.type}`);
      const Model = await load();
      assert.doesNotThrow(() => new Model(r.inputs).validate(), `${r.name} (${r.type})`);
    }
    // A broken object would be caught: the check is not vacuous.
    const { Deployment } = await import("kubernetes-models/apps/v1/Deployment");
    assert.throws(() =>
      new Deployment({ metadata: { name: "x" }, spec: { replicas: "one" } } as never).validate(),
    );
    // Three clusters: storefront in cluster1 and cluster2, the rest in cluster3.
    assert.deepEqual(named(e, "kubernetes:apps/v1:Deployment", "helloworld-v1").map(clusterOf).sort(), [
      "cluster1",
      "cluster3",
    ]);
  });

  it("verifyOnUp adds one command that waits for every sample resource", async () => {
    const config = meshConfig("multi-primary", 2, {
      helloworld: true,
      onlineBoutique: true,
      verifyOnUp: true,
    });
    const e = await evaluate(config, { program: samplesProgram() });
    assert.equal(e.error, undefined, String(e.error));
    const commands = created(e).filter((r) => r.type === "command:local:Command");
    assert.equal(commands.length, 1);
    const command = commands[0]!;
    assert.match(
      String(command.inputs["create"]),
      /^node ".*\/bin\/verify\/main\.js" --from-env MESH_VERIFY_INPUT$/,
    );
    assert.ok(command.secretInputs.includes("environment"), "kubeconfigs travel as a secret");
    const env = command.inputs["environment"] as { MESH_VERIFY_INPUT: string };
    const input = JSON.parse(env.MESH_VERIFY_INPUT) as {
      clusters: Record<string, { kubeconfig: string }>;
      samples: object;
    };
    assert.equal(input.clusters["cluster2"]!.kubeconfig, "kubeconfig of cluster2");
    assert.ok("helloworld" in input.samples && "onlineBoutique" in input.samples);
    assert.equal((command.inputs["triggers"] as unknown[]).length, 2);
    const waited = [
      "kubernetes:apps/v1:Deployment",
      "kubernetes:helm.sh/v3:Release",
      "kubernetes:core/v1:Service",
    ];
    for (const r of k8sObjects(e).filter((x) => waited.includes(x.type))) {
      assert.ok(command.dependencies.includes(r.urn), `command waits for ${r.name}`);
    }
  });

  it("Istio config lands in a primary whatever the order of the list (remotes' istiod reads none)", async () => {
    // The whole program, with the primary listed last: the storefront must still go to the primary.
    const clusters = syntheticClusters("primary-remote", 3).reverse();
    const e = await evaluate(
      withOverrides({ topology: "primary-remote", clusters, helloworld: true, onlineBoutique: true }),
    );
    assert.equal(e.error, undefined, String(e.error));
    const graph = new Graph(e.resources);
    const configObjects = graph.kubernetesObjects().filter((r) => r.type.includes(".istio.io/"));
    assert.ok(
      configObjects.some((r) => r.name.endsWith("-frontend-gateway")),
      "the storefront's Gateway exists",
    );
    for (const r of configObjects)
      assert.equal(graph.clusterOf(r), "cluster1", `${r.name} is in the primary`);
    const samples = e.outputs["samples"] as {
      onlineBoutique: { frontendCluster: string };
      helloworld: { placement: Record<string, string> };
    };
    assert.equal(samples.onlineBoutique.frontendCluster, "cluster1");
    assert.equal(
      samples.helloworld.placement["cluster1"],
      "v1",
      "placement follows roles, not list position",
    );
  });

  it("nothing enabled: no sample resources and empty samples output", async () => {
    const e = await evaluate(meshConfig("shared-control-plane", 2), { program: samplesProgram() });
    assert.equal(e.error, undefined, String(e.error));
    assert.equal(k8sObjects(e).length, 0);
    assert.deepEqual(e.outputs["samples"], {});
  });
});
