// Bookinfo and httpbin (issue 14, the seeds' samples): placement (pure), manifests against Istio's own
// samples (release-1.31) and the Kubernetes schemas, and the whole program on the mock engine for
// multi-primary and primary-remote with 2 and 3 clusters.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { requireValidConfig } from "../config/validate";
import { evaluate, type Evaluation } from "../offline/engine/runtime";
import type { RecordedResource } from "../offline/engine/recorder";
import { meshConfig, syntheticClusters, type SyntheticTopology } from "../offline/engine/syntheticMesh";
import { planMesh } from "../plan/planner";
import { bookinfoDeployment, bookinfoImage, bookinfoService } from "../samples/bookinfo";
import { HTTPBIN_IMAGE, httpbinDeployment, httpbinService } from "../samples/httpbin";
import { placeBookinfo, placeHttpbin } from "../samples/placement";
import { parseVerifyInput } from "../verify/input";
import { withOverrides } from "./support/configs";
import { Graph, objectName } from "./support/graphQuery";
import { validateKubernetesObject } from "./support/schemas";

const names = (n: number) => Array.from({ length: n }, (_, i) => `cluster${i + 1}`);
const MAIN = ["productpage-v1", "details-v1", "ratings-v1", "reviews-v1", "reviews-v2"];

/**
 * Who calls whom in Istio's Bookinfo (samples/bookinfo/src): productpage calls details and reviews;
 * reviews v2 and v3 are built with ENABLE_RATINGS and call ratings, v1 is not. httpbin's curl client
 * calls httpbin.
 */
const CALLS: Record<string, string[]> = {
  "productpage-v1": ["details", "reviews"],
  "reviews-v2": ["ratings"],
  "reviews-v3": ["ratings"],
  curl: ["httpbin"],
};

describe("Bookinfo and httpbin placement", () => {
  it("two clusters: everything but reviews-v3 in the first, reviews-v3 and a ratings Service in the second", () => {
    const p = placeBookinfo(names(2));
    assert.deepEqual(p.workloads, { cluster1: MAIN, cluster2: ["reviews-v3"] });
    assert.deepEqual([...p.services["cluster1"]!].sort(), ["details", "productpage", "ratings", "reviews"]);
    assert.deepEqual(p.services["cluster2"], ["reviews"], "v3's endpoints need the reviews Service there");
    assert.deepEqual(p.remoteServices, { cluster2: ["ratings"] }, "v3 calls ratings by its short name");
    assert.equal(p.productpageCluster, "cluster1");
    assert.equal(p.reviewsV3Cluster, "cluster2");
    assert.deepEqual(placeHttpbin(names(2)), { serverCluster: "cluster2", clientCluster: "cluster1" });
  });

  for (const n of [3, 5, 8]) {
    it(`${n} clusters: the first two only, every call resolvable where it is made`, () => {
      const p = placeBookinfo(names(n));
      assert.deepEqual(Object.keys(p.workloads), ["cluster1", "cluster2"]);
      for (const [cluster, here] of Object.entries(p.workloads)) {
        const known = new Set([...(p.services[cluster] ?? []), ...(p.remoteServices[cluster] ?? [])]);
        for (const w of here)
          for (const callee of CALLS[w] ?? []) assert.ok(known.has(callee as never), `${w}`);
        for (const s of p.remoteServices[cluster] ?? [])
          assert.ok(!here.some((w) => w.startsWith(`${s}-`)), `${s} is remote to ${cluster}`);
      }
      assert.deepEqual(placeHttpbin(names(n)), { serverCluster: "cluster2", clientCluster: "cluster1" });
    });
  }

  it("refuses fewer than two clusters or repeated names", () => {
    assert.throws(() => placeBookinfo(["only"]), /at least two clusters/);
    assert.throws(() => placeHttpbin(["only"]), /at least two clusters/);
    assert.throws(() => placeBookinfo(["a", "a"]), /not unique/);
    assert.throws(() => placeHttpbin(["a", "a"]), /not unique/);
  });

  it("the plan puts productpage and the httpbin client in a primary, whatever the list order", () => {
    // primary-remote with the primary listed last: roles-first order is cluster1, cluster3, cluster2.
    const clusters = syntheticClusters("primary-remote", 3).reverse();
    const config = requireValidConfig(
      { project: "my-gcp-project", topology: "primary-remote", clusters, bookinfo: true, httpbin: true },
      { stack: "dev" },
    );
    const { bookinfo, httpbin } = planMesh(config).samples;
    assert.equal(bookinfo?.productpageCluster, "cluster1");
    assert.equal(bookinfo?.reviewsV3Cluster, "cluster3");
    assert.deepEqual(httpbin, { serverCluster: "cluster3", clientCluster: "cluster1" });
    const off = planMesh(
      requireValidConfig(
        { project: "my-gcp-project", topology: "primary-remote", clusters },
        { stack: "dev" },
      ),
    );
    assert.equal(off.samples.bookinfo, undefined, "off by default");
    assert.equal(off.samples.httpbin, undefined, "off by default");
  });
});

describe("Bookinfo and httpbin manifests (Istio's samples, release-1.31)", () => {
  it("Bookinfo images are Istio's examples on istioHub, tag 1.20.3", () => {
    assert.equal(
      bookinfoImage("reviews-v3", "docker.io/istio"),
      "docker.io/istio/examples-bookinfo-reviews-v3:1.20.3",
    );
    const d = bookinfoDeployment("productpage-v1", "bookinfo", {
      hub: "mirror.example.com/istio",
      cluster: "c1",
    });
    assert.equal(
      d.spec.template.spec.containers[0]!.image,
      "mirror.example.com/istio/examples-bookinfo-productpage-v1:1.20.3",
    );
    assert.equal(d.spec.template.spec.serviceAccountName, "bookinfo-productpage");
    assert.deepEqual(d.spec.selector.matchLabels, { app: "productpage", version: "v1" });
    assert.deepEqual(d.spec.template.spec.containers[0]!.ports, [{ containerPort: 9080 }]);
  });

  it("reviews reports its cluster; its Service selects every version on port 9080", () => {
    const d = bookinfoDeployment("reviews-v3", "bookinfo", { hub: "docker.io/istio", cluster: "cluster2" });
    const container = d.spec.template.spec.containers[0]! as { env?: { name: string; value: string }[] };
    assert.deepEqual(container.env, [
      { name: "LOG_DIR", value: "/tmp/logs" },
      { name: "CLUSTER_NAME", value: "cluster2" },
    ]);
    assert.deepEqual(d.metadata.labels, { app: "reviews", version: "v3" });
    const s = bookinfoService("reviews", "bookinfo");
    assert.deepEqual(s.spec, { ports: [{ port: 9080, name: "http" }], selector: { app: "reviews" } });
  });

  it("httpbin is go-httpbin from its own Docker Hub location, 8000 -> 8080, with its real hostname", () => {
    assert.equal(HTTPBIN_IMAGE, "docker.io/mccutchen/go-httpbin:v2.15.0");
    const d = httpbinDeployment("httpbin");
    const c = d.spec.template.spec.containers[0]!;
    assert.equal(c.image, HTTPBIN_IMAGE);
    assert.deepEqual(c.env, [{ name: "USE_REAL_HOSTNAME", value: "true" }]);
    assert.deepEqual(d.spec.selector.matchLabels, { app: "httpbin", version: "v1" });
    assert.deepEqual(httpbinService("httpbin").spec.ports, [{ name: "http", port: 8000, targetPort: 8080 }]);
  });
});

const SAMPLE_NAMESPACES = ["bookinfo", "httpbin"];
const namespaceOf = (r: RecordedResource) =>
  r.type === "kubernetes:core/v1:Namespace"
    ? objectName(r)
    : String((r.inputs["metadata"] as { namespace?: string } | undefined)?.namespace ?? "");

type Spec = {
  selector?: Record<string, string> | { matchLabels: Record<string, string> };
  template?: { metadata: { labels: Record<string, string> } };
};
const specOf = (r: RecordedResource) => r.inputs["spec"] as Spec;

for (const topology of ["multi-primary", "primary-remote"] as const satisfies readonly SyntheticTopology[]) {
  for (const n of [2, 3]) {
    describe(
      `Bookinfo and httpbin on ${topology} with ${n} clusters (mock engine)`,
      { timeout: 120_000 },
      () => {
        let e: Evaluation;
        let graph: Graph;
        let objects: RecordedResource[];
        const roleOf = (cluster: string) =>
          topology === "multi-primary" || cluster === "cluster1" ? "primary" : "remote";
        before(async () => {
          e = await evaluate(meshConfig(topology, n, { bookinfo: true, httpbin: true }));
          if (e.error) throw e.error;
          graph = new Graph(e.resources);
          objects = graph.kubernetesObjects().filter((r) => SAMPLE_NAMESPACES.includes(namespaceOf(r)));
        });
        const deployments = () => objects.filter((r) => r.type === "kubernetes:apps/v1:Deployment");
        const where = (ns: string, name: string) =>
          deployments()
            .filter((r) => namespaceOf(r) === ns && objectName(r) === name)
            .map((r) => graph.clusterOf(r));

        it("the mock cloud accepts the whole program", () => {
          assert.deepEqual(e.duplicateUrns, []);
          assert.deepEqual([...e.cloud.unhandledTypes], []);
        });

        it("workloads land through the provider of their cluster", () => {
          for (const w of MAIN) assert.deepEqual(where("bookinfo", w), ["cluster1"], w);
          assert.deepEqual(where("bookinfo", "reviews-v3"), ["cluster2"]);
          assert.deepEqual(where("httpbin", "httpbin"), ["cluster2"]);
          assert.deepEqual(where("httpbin", "curl"), ["cluster1"]);
          assert.equal(roleOf("cluster1"), "primary");
          if (n === 3)
            assert.deepEqual(
              graph.inCluster("cluster3").filter((r) => objects.includes(r)),
              [],
            );
        });

        it("every workload has its Service in its own cluster, every callee a Service where it is called", () => {
          const services = objects.filter((r) => r.type === "kubernetes:core/v1:Service");
          const serviceIn = (cluster: string, ns: string, name: string) =>
            services.find(
              (s) => graph.clusterOf(s) === cluster && namespaceOf(s) === ns && objectName(s) === name,
            );
          for (const d of deployments()) {
            const cluster = graph.clusterOf(d);
            const labels = specOf(d).template!.metadata.labels;
            const own = serviceIn(cluster, namespaceOf(d), labels["app"]!);
            assert.ok(own, `${objectName(d)} in ${cluster} has its Service there`);
            const selector = specOf(own).selector as Record<string, string>;
            assert.ok(
              Object.entries(selector).every(([k, v]) => labels[k] === v),
              `${objectName(own)} selects ${objectName(d)}`,
            );
            for (const callee of CALLS[objectName(d)] ?? []) {
              const there = serviceIn(cluster, namespaceOf(d), callee);
              assert.ok(there, `${objectName(d)} in ${cluster} resolves ${callee} through its own DNS`);
              const remote = deployments().filter(
                (x) => specOf(x).template!.metadata.labels["app"] === callee,
              );
              assert.ok(remote.length > 0, `${callee} runs somewhere`);
              const theirs = serviceIn(graph.clusterOf(remote[0]!), namespaceOf(d), callee)!;
              assert.deepEqual(
                specOf(there),
                specOf(theirs),
                `${callee}: same ports and selector in both clusters`,
              );
            }
          }
          assert.ok(serviceIn("cluster2", "bookinfo", "ratings"), "ratings for reviews-v3");
          assert.ok(serviceIn("cluster1", "httpbin", "httpbin"), "httpbin for the client");
        });

        it("sample namespaces are injected; no Istio config object in a remote", () => {
          for (const ns of objects.filter((r) => r.type === "kubernetes:core/v1:Namespace")) {
            assert.deepEqual((ns.inputs["metadata"] as { labels: object }).labels, {
              "istio-injection": "enabled",
            });
          }
          for (const r of graph.kubernetesObjects().filter((x) => x.type.includes(".istio.io/"))) {
            assert.equal(roleOf(graph.clusterOf(r)), "primary", `${r.type} ${r.name}`);
          }
        });

        it("everything waits for its cluster's mesh: istiod, and in a remote its secret in the primary", () => {
          const istiod = (cluster: string) =>
            graph.one(
              (r) =>
                r.type === "kubernetes:helm.sh/v3:Release" &&
                r.inputs["name"] === "istiod" &&
                graph.clusterOf(r) === cluster,
              `istiod in ${cluster}`,
            );
          for (const r of objects) {
            const cluster = graph.clusterOf(r);
            const waits = graph.waitsFor(r);
            assert.ok(waits.has(istiod(cluster).urn), `${r.name} waits for istiod of ${cluster}`);
            if (roleOf(cluster) === "remote") {
              // The primary's one remote Secret, holding this cluster's key.
              const secret = graph.one(
                (s) =>
                  s.type === "kubernetes:core/v1:Secret" &&
                  objectName(s) === "istio-remote-secrets" &&
                  cluster in ((s.inputs["data"] ?? {}) as Record<string, string>),
                `remote secret of ${cluster}`,
              );
              assert.ok(waits.has(secret.urn), `${r.name} waits for the primary to watch ${cluster}`);
            }
          }
        });

        it("every object validates against its published schema", async () => {
          assert.ok(objects.length >= 20);
          for (const r of objects) await validateKubernetesObject(r);
        });

        it("exports samples.bookinfo and samples.httpbin in the shape verify reads", () => {
          const samples = e.outputs["samples"] as Record<string, unknown>;
          const clusters = Object.fromEntries(
            names(n).map((c) => [c, { name: c, role: roleOf(c), kubeconfig: "k", watches: [] }]),
          );
          const input = parseVerifyInput({ clusters, samples });
          assert.deepEqual(input.bookinfo, {
            namespace: "bookinfo",
            productpageCluster: "cluster1",
            reviewsV3Cluster: "cluster2",
          });
          assert.deepEqual(input.httpbin, {
            namespace: "httpbin",
            serverCluster: "cluster2",
            clientCluster: "cluster1",
          });
        });
      },
    );
  }
}

describe("Bookinfo and httpbin with verifyOnUp (mock engine)", { timeout: 120_000 }, () => {
  it("the traffic check waits for their workloads and carries them in its input and fingerprint", async () => {
    const config = withOverrides({
      topology: "multi-primary",
      clusters: syntheticClusters("multi-primary", 2),
      helloworld: true,
      bookinfo: true,
      httpbin: true,
      verifyOnUp: true,
    });
    const e = await evaluate(config);
    assert.equal(e.error, undefined, String(e.error));
    const graph = new Graph(e.resources);
    const command = graph.one((r) => r.type === "command:local:Command", "traffic check");
    const waits = graph.waitsFor(command);
    const workloads = graph
      .kubernetesObjects()
      .filter(
        (r) => r.type === "kubernetes:apps/v1:Deployment" && SAMPLE_NAMESPACES.includes(namespaceOf(r)),
      );
    assert.equal(workloads.length, 8, "6 Bookinfo workloads, httpbin and its curl client");
    for (const w of workloads) assert.ok(waits.has(w.urn), `the check waits for ${objectName(w)}`);
    const env = command.inputs["environment"] as { MESH_VERIFY_INPUT: string };
    const input = parseVerifyInput(JSON.parse(env.MESH_VERIFY_INPUT));
    assert.equal(input.bookinfo?.reviewsV3Cluster, "cluster2");
    assert.equal(input.httpbin?.serverCluster, "cluster2");
    const fingerprint = JSON.parse(String((command.inputs["triggers"] as unknown[])[0])) as {
      placements: Record<string, unknown>;
    };
    assert.deepEqual(Object.keys(fingerprint.placements).sort(), ["bookinfo", "helloworld", "httpbin"]);
  });
});

describe("Bookinfo and httpbin images on the mock engine", { timeout: 120_000 }, () => {
  const imagesOf = (e: Evaluation) =>
    new Graph(e.resources)
      .kubernetesObjects()
      .filter((r) => r.type === "kubernetes:apps/v1:Deployment" && SAMPLE_NAMESPACES.includes(namespaceOf(r)))
      .flatMap((d) =>
        (
          d.inputs["spec"] as { template: { spec: { containers: { image: string }[] } } }
        ).template.spec.containers.map((c) => c.image),
      )
      .sort();

  it("Bookinfo follows istioHub (Docker Hub by default, or a mirror); go-httpbin and curl keep their own", async () => {
    const bookinfo = (hub: string) =>
      ["details-v1", "productpage-v1", "ratings-v1", "reviews-v1", "reviews-v2", "reviews-v3"].map(
        (w) => `${hub}/examples-bookinfo-${w}:1.20.3`,
      );
    const others = ["docker.io/curlimages/curl:8.16.0", "docker.io/mccutchen/go-httpbin:v2.15.0"];
    const byDefault = await evaluate(meshConfig("multi-primary", 2, { bookinfo: true, httpbin: true }));
    assert.equal(byDefault.error, undefined, String(byDefault.error));
    assert.deepEqual(imagesOf(byDefault), [...bookinfo("docker.io/istio"), ...others].sort());
    const mirrored = await evaluate(
      meshConfig("multi-primary", 2, {
        bookinfo: true,
        httpbin: true,
        istioHub: "mirror.example.com:5000/istio",
      }),
    );
    assert.equal(mirrored.error, undefined, String(mirrored.error));
    assert.deepEqual(imagesOf(mirrored), [...bookinfo("mirror.example.com:5000/istio"), ...others].sort());
  });
});
