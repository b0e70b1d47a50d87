// The assertions every topology must pass on the mock cloud, for a given N. Expected values come from
// Istio's documented behaviour and the topology rules, never from the program's own output.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { parse } from "yaml";
import { evaluate, type Evaluation } from "../../offline/engine/runtime";
import { Graph, helmValues, objectName, type KubeconfigDocument } from "./graphQuery";
import type { RecordedResource } from "../../offline/engine/recorder";
import { meshConfig } from "../../offline/engine/syntheticMesh";
import { expectedShape, type Topology } from "./expected";
import { signUnder, verify, within } from "./pki";
import { validateKubernetesObject } from "./schemas";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const SECRET = "kubernetes:core/v1:Secret";

export function topologySuite(topology: Topology, n: number): void {
  describe(`${topology} with ${n} clusters`, { timeout: 240_000 }, () => {
    let evaluation: Evaluation;
    let graph: Graph;
    const names = Array.from({ length: n }, (_, i) => `cluster${i + 1}`);
    const shape = expectedShape(topology, names);
    const release = (cluster: string, name: string) =>
      graph.one(
        (r) => r.type === RELEASE && r.inputs["name"] === name && graph.clusterOf(r) === cluster,
        `${name} in ${cluster}`,
      );

    before(async () => {
      evaluation = await evaluate(meshConfig(topology, n));
      if (evaluation.error) throw evaluation.error;
      graph = new Graph(evaluation.resources);
    });

    it("registers unique URNs and only resource types the mock cloud knows", () => {
      assert.deepEqual(evaluation.duplicateUrns, []);
      assert.deepEqual([...evaluation.cloud.unhandledTypes], []);
    });

    it("creates the resource counts the topology implies", () => {
      const count = (type: string, predicate: (r: RecordedResource) => boolean = () => true) =>
        graph.ofType(type).filter(predicate).length;
      assert.equal(count("gcp:container/cluster:Cluster"), n);
      assert.equal(count("pulumi:providers:kubernetes"), n);
      assert.equal(count("gcp:compute/network:Network"), shape.networks);
      assert.equal(count("kubernetes:core/v1:Namespace"), n);
      assert.equal(
        count(RELEASE, (r) => r.inputs["chart"] === "base"),
        n,
      );
      assert.equal(
        count(RELEASE, (r) => r.inputs["chart"] === "istiod"),
        n,
      );
      assert.equal(
        count(RELEASE, (r) => r.inputs["chart"] === "gateway"),
        shape.gatewayClusters.length,
      );
      assert.equal(
        count(SECRET, (r) => objectName(r) === "cacerts"),
        shape.primaries.length,
      );
      // One remote Secret per watching cluster, whatever the number of clusters it watches.
      assert.equal(
        count(SECRET, (r) => objectName(r).startsWith("istio-remote-secret")),
        shape.watchers.length,
      );
      assert.equal(
        count(SECRET, (r) => r.inputs["type"] === "kubernetes.io/service-account-token"),
        shape.described.length,
      );
      assert.equal(count("kubernetes:security.istio.io/v1:PeerAuthentication"), shape.primaries.length);
      assert.equal(count("gcp:compute/address:Address"), shape.addresses);
    });

    it("creates every Kubernetes object through the provider of its own cluster", () => {
      const clusters = graph.ofType("gcp:container/cluster:Cluster");
      for (const r of graph.kubernetesObjects()) graph.clusterOf(r); // throws on a default or unknown provider
      for (const name of names) {
        const ns = graph.inCluster(name, "kubernetes:core/v1:Namespace");
        assert.equal(ns.length, 1);
        const meta = ns[0]!.inputs["metadata"] as {
          labels: Record<string, string>;
          annotations?: Record<string, string>;
        };
        assert.equal(meta.labels["topology.istio.io/network"], shape.networkOf(name));
        assert.equal(
          meta.annotations?.["topology.istio.io/controlPlaneClusters"],
          shape.controlPlaneOf(name),
        );
        const istiod = helmValues(release(name, "istiod")) as {
          global: { multiCluster: { clusterName: string }; network: string };
        };
        assert.equal(istiod.global.multiCluster.clusterName, name);
        assert.equal(istiod.global.network, shape.networkOf(name));
      }
      assert.equal(clusters.length, n);
    });

    it("gives each chart the values Istio expects for the cluster's role", () => {
      // Released 1.30 charts default their hub to a retired registry: every release names hub and tag.
      const images = { hub: "docker.io/istio", tag: "1.31.1" };
      for (const name of names) {
        const istiod = helmValues(release(name, "istiod"));
        const base = helmValues(release(name, "istio-base"));
        if (shape.primaries.includes(name)) {
          assert.deepEqual(base, { global: images });
          assert.deepEqual(istiod, {
            global: {
              ...images,
              meshID: "mesh1",
              multiCluster: { clusterName: name },
              network: shape.networkOf(name),
              ...(topology === "multi-primary" ? {} : { externalIstiod: true }),
            },
            meshConfig: { defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: "true" } } },
          });
        } else {
          assert.deepEqual(base, { global: images, profile: "remote" });
          assert.deepEqual(istiod, {
            profile: "remote",
            global: {
              ...images,
              multiCluster: { clusterName: name },
              network: shape.networkOf(name),
              configCluster: true,
              remotePilotAddress: shape.istiodAddress(graph),
            },
            istiodRemote: {
              injectionPath: `/inject/cluster/${name}/net/${shape.networkOf(name)}`,
              // The webhook trusts the mesh root from the start (base64 PEM, inserted as caBundle).
              injectionCABundle: Buffer.from(String(evaluation.outputs["rootCertificate"])).toString(
                "base64",
              ),
            },
          });
        }
        for (const r of [release(name, "istiod"), release(name, "istio-base")]) {
          assert.equal(r.inputs["version"], "1.31.1");
          assert.equal(r.inputs["namespace"], "istio-system");
          assert.deepEqual(r.inputs["repositoryOpts"], {
            repo: "https://blob.istio.io/istio-release/charts",
          });
        }
      }
      for (const name of shape.gatewayClusters) {
        const gateway = release(name, "istio-eastwestgateway");
        const address = graph.one(
          (r) => r.type === "gcp:compute/address:Address" && graph.localName(r) === `${name}-eastwest`,
          "address",
        );
        assert.deepEqual(helmValues(gateway), {
          global: images,
          name: "istio-eastwestgateway",
          networkGateway: shape.networkOf(name),
          service: { loadBalancerIP: address.outputs["address"] },
        });
      }
    });

    it("a remote's injection webhook trusts what the primary's istiod serves with its plug-in CA", async () => {
      const remotes = names.filter((c) => !shape.primaries.includes(c));
      if (remotes.length === 0) return; // multi-primary: every injector is local and self-patched
      const primary = shape.primaries[0]!;
      const cacerts = graph.inCluster(primary, SECRET).find((r) => objectName(r) === "cacerts")!;
      const files = cacerts.inputs["stringData"] as Record<string, string>;
      for (const remote of remotes) {
        const values = helmValues(release(remote, "istiod")) as {
          istiodRemote: { injectionCABundle: string };
        };
        const bundle = Buffer.from(values.istiodRemote.injectionCABundle, "base64").toString();
        assert.equal(
          bundle.trim(),
          files["root-cert.pem"]!.trim(),
          "the bundle is the primary's root-cert.pem",
        );
        // istiod signs its webhook certificate (istiod.istio-system.svc) with ca-cert.pem and serves it
        // with cert-chain.pem: openssl must accept that chain against the bundle alone.
        const at = within(files["root-cert.pem"]!, files["ca-cert.pem"]!);
        const serving = await signUnder(
          files["ca-cert.pem"]!,
          files["ca-key.pem"]!,
          "CN=istiod.istio-system.svc",
          {
            ca: false,
            at,
          },
        );
        const check = verify(bundle, files["cert-chain.pem"]!, serving.certPem, at);
        assert.ok(check.ok, `${remote}: ${check.out}`);
      }
    });

    it("writes the Istio config objects where, and as, Istio documents them", () => {
      const specOf = (cluster: string, type: string, name: string) =>
        graph.inCluster(cluster, type).find((r) => objectName(r) === name)?.inputs["spec"];
      const gatewayType = "kubernetes:networking.istio.io/v1:Gateway";
      for (const name of names) {
        const primary = shape.primaries.includes(name);
        assert.deepEqual(
          specOf(name, "kubernetes:security.istio.io/v1:PeerAuthentication", "default"),
          primary ? { mtls: { mode: "STRICT" } } : undefined,
        );
        const crossNetwork = specOf(name, gatewayType, "cross-network-gateway");
        if (topology !== "shared-control-plane" && primary) {
          assert.deepEqual(crossNetwork, {
            selector: { istio: "eastwestgateway" },
            servers: [
              {
                port: { number: 15443, name: "tls", protocol: "TLS" },
                tls: { mode: "AUTO_PASSTHROUGH" },
                hosts: ["*.local"],
              },
            ],
          });
        } else {
          assert.equal(crossNetwork, undefined, `no cross-network Gateway in ${name}`);
        }
        const exposesOnGateway = topology === "primary-remote" && primary;
        const istiodGateway = specOf(name, gatewayType, "istiod-gateway") as
          | { servers: { port: { number: number; protocol: string }; tls: object; hosts: string[] }[] }
          | undefined;
        const istiodVs = specOf(name, "kubernetes:networking.istio.io/v1:VirtualService", "istiod-vs") as
          | {
              tls: {
                match: { port: number }[];
                route: { destination: { host: string; port: { number: number } } }[];
              }[];
              gateways: string[];
            }
          | undefined;
        if (exposesOnGateway) {
          assert.deepEqual(
            istiodGateway!.servers.map((s) => [s.port.number, s.port.protocol.toUpperCase(), s.tls, s.hosts]),
            [
              [15012, "TLS", { mode: "PASSTHROUGH" }, ["*"]],
              [15017, "TLS", { mode: "PASSTHROUGH" }, ["*"]],
            ],
          );
          assert.deepEqual(istiodVs!.gateways, ["istiod-gateway"]);
          assert.deepEqual(
            istiodVs!.tls.map((t) => [
              t.match[0]!.port,
              t.route[0]!.destination.host,
              t.route[0]!.destination.port.number,
            ]),
            [
              [15012, "istiod.istio-system.svc.cluster.local", 15012],
              [15017, "istiod.istio-system.svc.cluster.local", 443],
            ],
          );
        } else {
          assert.equal(istiodGateway, undefined);
          assert.equal(istiodVs, undefined);
        }
        const internal = graph
          .inCluster(name, "kubernetes:core/v1:Service")
          .find((r) => objectName(r) === "istiod-internal");
        if (topology === "shared-control-plane" && primary) {
          const meta = internal!.inputs["metadata"] as { annotations: Record<string, string> };
          assert.equal(meta.annotations["networking.gke.io/load-balancer-type"], "Internal");
          assert.equal(
            meta.annotations["networking.gke.io/internal-load-balancer-allow-global-access"],
            "true",
          );
          const spec = internal!.inputs["spec"] as {
            type: string;
            loadBalancerIP: string;
            selector: object;
            ports: { port: number; targetPort: number }[];
            loadBalancerSourceRanges: string[];
          };
          assert.equal(spec.type, "LoadBalancer");
          assert.equal(spec.loadBalancerIP, shape.istiodAddress(graph));
          assert.deepEqual(spec.selector, { app: "istiod", istio: "pilot" });
          assert.deepEqual(
            spec.ports.map((p) => [p.port, p.targetPort]),
            [
              [15012, 15012],
              [15017, 15017],
            ],
          );
          assert.ok(!spec.loadBalancerSourceRanges.includes("0.0.0.0/0"));
          assert.equal(spec.loadBalancerSourceRanges.length, 2 * n, "node and pod range of every cluster");
        } else {
          assert.equal(internal, undefined);
        }
      }
    });

    it("writes one remote Secret per watcher, a key per watched cluster with that cluster's own token", () => {
      const endpoints = new Map(
        graph.ofType("gcp:container/cluster:Cluster").map((c) => [graph.localName(c), c.outputs["endpoint"]]),
      );
      for (const watcher of shape.watchers) {
        const secret = graph.one(
          (r) =>
            r.type === SECRET && objectName(r) === "istio-remote-secrets" && graph.clusterOf(r) === watcher,
          `remote Secret in ${watcher}`,
        );
        const meta = secret.inputs["metadata"] as { namespace: string; labels: object; annotations?: object };
        assert.equal(meta.namespace, "istio-system");
        assert.deepEqual(meta.labels, { "istio/multiCluster": "true" });
        // istiod reads only the data keys; a single-valued cluster annotation would misname the others.
        assert.equal(meta.annotations, undefined);
        assert.equal(secret.inputs["type"], "Opaque");
        assert.ok(secret.secretInputs.includes("data"), "the kubeconfigs are sent as a secret");
        // Under server-side apply only `data` keys are owned and pruned when dropped; a key left over
        // from `stringData` would keep a departed cluster watched (kubernetes/kubernetes#108008).
        assert.equal(secret.inputs["stringData"], undefined);
        const data = secret.inputs["data"] as Record<string, string>;
        assert.deepEqual(Object.keys(data).sort(), shape.watchesOf(watcher).sort());
        for (const described of shape.watchesOf(watcher)) {
          const kubeconfig = parse(Buffer.from(data[described]!, "base64").toString()) as KubeconfigDocument;
          assert.equal(kubeconfig["current-context"], described);
          assert.equal(kubeconfig.clusters[0]!.name, described);
          assert.equal(kubeconfig.clusters[0]!.cluster.server, `https://${endpoints.get(described)}`);
          assert.equal(kubeconfig.users[0]!.name, described);
          assert.equal(kubeconfig.users[0]!.user.exec, undefined, "istiod rejects exec plugins");
          const token = graph.one(
            (r) =>
              r.type === SECRET &&
              r.inputs["type"] === "kubernetes.io/service-account-token" &&
              graph.clusterOf(r) === described,
            `token in ${described}`,
          );
          const tokenData = token.outputs["data"] as Record<string, string>;
          assert.equal(
            kubeconfig.users[0]!.user.token,
            Buffer.from(tokenData["token"]!, "base64").toString(),
          );
          assert.equal(kubeconfig.clusters[0]!.cluster["certificate-authority-data"], tokenData["ca.crt"]);
          assert.deepEqual((token.inputs["metadata"] as { annotations: object }).annotations, {
            "kubernetes.io/service-account.name": "istio-reader-service-account",
          });
          // istiod reads a described cluster's controlPlaneClusters annotation once, when it adds the key.
          graph.assertOrder(graph.inCluster(described, "kubernetes:core/v1:Namespace")[0]!, secret);
        }
      }
      // pulumi-kubernetes replaces a Secret whose data changed unless the provider allows mutation, and
      // istiod reads a replaced Secret as all of its clusters leaving and coming back.
      for (const provider of graph.ofType("pulumi:providers:kubernetes"))
        assert.equal(provider.inputs["enableSecretMutable"], "true", `${provider.name} replaces Secrets`);
      for (const name of names.filter((c) => !shape.watchers.includes(c)))
        assert.equal(
          graph.inCluster(name, SECRET).filter((r) => objectName(r).startsWith("istio-remote-secret")).length,
          0,
          `${name} watches nothing and holds no remote Secret`,
        );
    });

    it("waits for nodes only where pods run", () => {
      for (const name of names) {
        const nodePool = graph.one(
          (r) => r.type === "gcp:container/nodePool:NodePool" && graph.localName(r) === `${name}-nodes`,
          `node pool of ${name}`,
        );
        const waitsForNodes = (r: RecordedResource) => graph.waitsFor(r).has(nodePool.urn);
        // Helm waits for istiod's and the gateways' pods; a LoadBalancer's backends are the nodes.
        const pods = graph
          .inCluster(name)
          .filter(
            (r) =>
              (r.type === RELEASE && r.inputs["chart"] !== "base") ||
              (r.inputs["spec"] as { type?: string } | undefined)?.type === "LoadBalancer",
          );
        assert.ok(pods.length > 0);
        for (const r of pods) assert.ok(waitsForNodes(r), `${r.name} must wait for ${nodePool.name}`);
        // The API server alone serves these: they go in while the nodes boot.
        const apiOnly = [
          ...graph
            .ofType("pulumi:providers:kubernetes")
            .filter((p) => graph.clusterOfProvider.get(p.urn) === name),
          graph.inCluster(name, "kubernetes:core/v1:Namespace")[0]!,
          release(name, "istio-base"),
          ...graph
            .inCluster(name, SECRET)
            .filter(
              (r) =>
                objectName(r) === "cacerts" || r.inputs["type"] === "kubernetes.io/service-account-token",
            ),
        ];
        for (const r of apiOnly) assert.ok(!waitsForNodes(r), `${r.name} waits for nodes it does not need`);
      }
    });

    it("orders what Istio needs ordered", () => {
      for (const name of names) {
        const ns = graph.inCluster(name, "kubernetes:core/v1:Namespace")[0]!;
        const istiod = release(name, "istiod");
        graph.assertOrder(ns, istiod);
        graph.assertOrder(release(name, "istio-base"), istiod);
        const cacerts = graph.inCluster(name, SECRET).find((r) => objectName(r) === "cacerts");
        if (cacerts) {
          graph.assertOrder(ns, cacerts);
          graph.assertOrder(cacerts, istiod);
        }
        for (const config of graph.inCluster(name).filter((r) => r.type.includes(".istio.io/"))) {
          graph.assertOrder(istiod, config);
        }
        if (shape.gatewayClusters.includes(name))
          graph.assertOrder(istiod, release(name, "istio-eastwestgateway"));
      }
      for (const remote of names.filter((c) => !shape.primaries.includes(c))) {
        const primary = shape.primaries[0]!;
        const secretInPrimary = graph
          .inCluster(primary, SECRET)
          .find((r) => objectName(r) === "istio-remote-secrets")!;
        if (shape.gatewayClusters.includes(remote)) {
          graph.assertOrder(secretInPrimary, release(remote, "istio-eastwestgateway"));
        }
        // The remote is configured from the reserved address alone, never from the primary's cluster.
        const waits = graph.waitsFor(release(remote, "istiod"));
        const primaryObjects = graph.kubernetesObjects().filter((r) => graph.clusterOf(r) === primary);
        assert.ok(
          primaryObjects.every((r) => !waits.has(r.urn)),
          "remote istiod waits on nothing in the primary",
        );
      }
    });

    it("writes only objects that validate against the Kubernetes and Istio schemas", async () => {
      const objects = graph.kubernetesObjects().filter((r) => r.type !== RELEASE);
      assert.ok(objects.length > 0);
      for (const r of objects) await validateKubernetesObject(r);
    });

    it("exports no secret in plain text", () => {
      const outputs = evaluation.stackOutputs as { clusters: Record<string, Record<string, unknown>> };
      for (const name of names) {
        const kubeconfig = outputs.clusters[name]!["kubeconfig"] as Record<string, unknown>;
        assert.equal(kubeconfig["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270");
      }
      const secretValues = graph
        .ofType(SECRET)
        .flatMap((r) => Object.values((r.outputs["data"] ?? {}) as Record<string, string>))
        .map((b64) => Buffer.from(b64, "base64").toString())
        .filter((v) => v.length > 20);
      const plain = JSON.stringify(stripSecrets(evaluation.stackOutputs));
      for (const value of secretValues)
        assert.ok(!plain.includes(value), "a secret value leaked into plain outputs");
      for (const p of graph.ofType("pulumi:providers:kubernetes"))
        assert.ok(p.secretInputs.includes("kubeconfig"));
    });

    it("evaluates identically twice", async () => {
      const again = await evaluate(meshConfig(topology, n));
      const fingerprint = (e: Evaluation) =>
        e.resources.map((r) => `${r.urn} ${JSON.stringify(r.inputs)}`).sort();
      assert.deepEqual(fingerprint(again), fingerprint(evaluation));
    });
  });
}

function stripSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripSecrets);
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  if (record["4dabf18193072939515e22adb298388d"] === "1b47061264138c4ac30d75fd1eb44270") return "[secret]";
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, stripSecrets(v)]));
}
