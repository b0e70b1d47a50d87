// Meshes that mix created clusters, adopted GKE clusters (existing: gke) and clusters reached through a
// kubeconfig (existing: kubeconfig), on the mock engine: nothing in GCP for what exists already, every
// object through its own cluster's provider, remote secrets with each cluster's real server and its own
// token, gateways and remote wiring for IP and host-name load balancers, fleet memberships only on GKE.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { parse } from "yaml";
import { evaluate, type Evaluation } from "../offline/engine/runtime";
import { execKubeconfig, withOverrides } from "./support/configs";
import { Graph, helmValues, objectName, type KubeconfigDocument } from "./support/graphQuery";

const SECRET = "kubernetes:core/v1:Secret";
const RELEASE = "kubernetes:helm.sh/v3:Release";

interface Member {
  name: string;
  kind: "created" | "gke" | "kubeconfig-ip" | "kubeconfig-hostname";
  role: "primary" | "remote";
}

function clusterSpec(m: Member, i: number) {
  const network = `net-${m.name}`;
  if (m.kind === "created")
    return { name: m.name, location: `us-east1-${"bcd"[i % 3]}`, network, role: m.role };
  if (m.kind === "gke")
    return { name: m.name, location: "us-central1-c", network, role: m.role, existing: "gke" };
  return {
    name: m.name,
    network,
    role: m.role,
    existing: "kubeconfig",
    ...(m.kind === "kubeconfig-hostname" ? { loadBalancerAddress: "hostname" } : {}),
  };
}

const serverOf = (name: string) => `https://${name}.example-platform.net:6443`;

function scenario(topology: "multi-primary" | "primary-remote", members: Member[]) {
  const kubeconfigs = Object.fromEntries(
    members
      .filter((m) => m.kind.startsWith("kubeconfig"))
      .map((m) => [m.name, execKubeconfig(serverOf(m.name))]),
  );
  const config = withOverrides({
    topology,
    clusters: members.map(clusterSpec),
    fleet: true,
    helloworld: true,
    kubeconfigs,
  });
  const hostnames = members.filter((m) => m.kind === "kubeconfig-hostname").map((m) => m.name);
  return { config, kubeconfigs, hostnames };
}

const SCENARIOS: { title: string; topology: "multi-primary" | "primary-remote"; members: Member[] }[] = [
  {
    title: "multi-primary, 3 clusters: created, adopted GKE, kubeconfig",
    topology: "multi-primary",
    members: [
      { name: "made", kind: "created", role: "primary" },
      { name: "adopted", kind: "gke", role: "primary" },
      { name: "eks1", kind: "kubeconfig-hostname", role: "primary" },
    ],
  },
  {
    title: "multi-primary, 5 clusters: two created, adopted GKE, kubeconfig by IP and by host name",
    topology: "multi-primary",
    members: [
      { name: "made1", kind: "created", role: "primary" },
      { name: "aks1", kind: "kubeconfig-ip", role: "primary" },
      { name: "made2", kind: "created", role: "primary" },
      { name: "adopted", kind: "gke", role: "primary" },
      { name: "eks1", kind: "kubeconfig-hostname", role: "primary" },
    ],
  },
  {
    title: "primary-remote, 3 clusters: a created primary, an adopted and a kubeconfig remote",
    topology: "primary-remote",
    members: [
      { name: "made", kind: "created", role: "primary" },
      { name: "adopted", kind: "gke", role: "remote" },
      { name: "onprem", kind: "kubeconfig-ip", role: "remote" },
    ],
  },
  {
    title: "primary-remote, 5 clusters: the primary on EKS (a host name), remotes of every kind",
    topology: "primary-remote",
    members: [
      { name: "made1", kind: "created", role: "remote" },
      { name: "eks1", kind: "kubeconfig-hostname", role: "primary" },
      { name: "adopted", kind: "gke", role: "remote" },
      { name: "made2", kind: "created", role: "remote" },
      { name: "onprem", kind: "kubeconfig-ip", role: "remote" },
    ],
  },
];

for (const { title, topology, members } of SCENARIOS) {
  describe(title, { timeout: 120_000 }, () => {
    const { config, kubeconfigs, hostnames } = scenario(topology, members);
    let evaluation: Evaluation;
    let graph: Graph;
    const of = (kind: Member["kind"]) => members.filter((m) => m.kind === kind).map((m) => m.name);
    const existing = members.filter((m) => m.kind !== "created").map((m) => m.name);
    const gkeEndpoint = new Map<string, string>();

    before(async () => {
      // The mock cloud knows clusters by their providers' names, `<mesh>-<cluster>`.
      evaluation = await evaluate(config, {
        cloud: { loadBalancerHostnames: hostnames.map((h) => `mesh-${h}`) },
      });
      if (evaluation.error) throw evaluation.error;
      for (const [name, answer] of evaluation.cloud.state.adoptedClusters)
        gkeEndpoint.set(name, String(answer["endpoint"]));
      const servers = new Map<string, string>([
        ...[...gkeEndpoint].map(([name, endpoint]) => [endpoint, name] as [string, string]),
        ...Object.keys(kubeconfigs).map(
          (name) => [serverOf(name).replace(/^https:\/\//, ""), name] as [string, string],
        ),
      ]);
      graph = new Graph(evaluation.resources, servers);
    });

    it("creates nothing in GCP for existing clusters but their gateways' addresses and memberships", () => {
      assert.deepEqual(evaluation.duplicateUrns, []);
      const gkeNames = graph
        .ofType("gcp:container/cluster:Cluster")
        .map((c) => graph.localName(c))
        .sort();
      assert.deepEqual(gkeNames, of("created").sort(), "GKE clusters only for the created ones");
      for (const type of ["gcp:compute/subnetwork:Subnetwork", "gcp:container/nodePool:NodePool"]) {
        for (const r of graph.ofType(type))
          assert.ok(
            !existing.some(
              (e) => graph.localName(r) === `${e}-nodes` || graph.localName(r).endsWith(`-${e}-subnet`),
            ),
            `${r.name}`,
          );
      }
      const networks = graph
        .ofType("gcp:compute/network:Network")
        .map((n) => graph.localName(n))
        .sort();
      assert.deepEqual(
        networks,
        of("created")
          .map((n) => `net-${n}`)
          .sort(),
        "VPCs only for created clusters",
      );
      for (const address of graph.ofType("gcp:compute/address:Address")) {
        const cluster = address.name.split("-")[0]!;
        assert.ok(
          !of("kubeconfig-ip").includes(cluster) && !of("kubeconfig-hostname").includes(cluster),
          address.name,
        );
      }
      for (const name of of("gke")) {
        assert.ok(
          evaluation.cloud.state.adoptedClusters.has(name),
          `${name} was read from GKE by name and location`,
        );
      }
    });

    it("creates every Kubernetes object through its own cluster's provider", () => {
      for (const r of graph.kubernetesObjects()) graph.clusterOf(r); // throws for an unknown provider
      for (const p of graph.ofType("pulumi:providers:kubernetes")) {
        const cluster = graph.clusterOfProvider.get(p.urn);
        assert.ok(cluster, `${p.name} points at a known cluster`);
        if (kubeconfigs[cluster]) {
          assert.equal(
            p.inputs["kubeconfig"],
            kubeconfigs[cluster],
            "a kubeconfig cluster's provider uses it as given",
          );
          assert.ok(p.secretInputs.includes("kubeconfig"), "and keeps it secret");
        }
      }
      for (const m of members) {
        const namespaces = graph.inCluster(m.name, "kubernetes:core/v1:Namespace").map(objectName);
        assert.ok(namespaces.includes("istio-system"), `${m.name} has istio-system`);
      }
    });

    it("writes remote secrets with each described cluster's real server and its own reader token", () => {
      const secrets = graph.ofType(SECRET).filter((r) => objectName(r) === "istio-remote-secrets");
      assert.ok(secrets.length > 0);
      for (const secret of secrets) {
        const data = secret.inputs["data"] as Record<string, string>;
        for (const [described, encoded] of Object.entries(data)) {
          const kubeconfig = parse(Buffer.from(encoded, "base64").toString()) as KubeconfigDocument;
          const expected = kubeconfigs[described]
            ? serverOf(described)
            : `https://${gkeEndpoint.get(described) ?? graph.one((r) => r.type === "gcp:container/cluster:Cluster" && graph.localName(r) === described, described).outputs["endpoint"]}`;
          assert.equal(kubeconfig.clusters[0]!.cluster.server, expected, `${described}'s server`);
          assert.equal(
            kubeconfig.users[0]!.user.exec,
            undefined,
            "istiod refuses exec plugins: a bearer token",
          );
          const token = graph
            .inCluster(described, SECRET)
            .find((r) => r.inputs["type"] === "kubernetes.io/service-account-token")!;
          const tokenData = token.outputs["data"] as Record<string, string>;
          assert.equal(
            kubeconfig.users[0]!.user.token,
            Buffer.from(tokenData["token"]!, "base64").toString(),
          );
        }
      }
    });

    it("wires gateways and remotes to IP and host-name load balancers", () => {
      for (const m of members) {
        const gateway = graph
          .inCluster(m.name, RELEASE)
          .find((r) => r.inputs["name"] === "istio-eastwestgateway");
        if (!gateway) continue;
        const values = helmValues(gateway) as {
          service: { loadBalancerIP?: string };
          networkGatewayPorts?: Record<string, { port: number; targetPort: number }>;
        };
        // GKE gateways sit on a reserved address; other platforms assign one.
        assert.equal(
          values.service.loadBalancerIP !== undefined,
          !m.kind.startsWith("kubeconfig"),
          `${m.name}'s address`,
        );
        const servesRemotesByName =
          topology === "primary-remote" && m.role === "primary" && m.kind === "kubeconfig-hostname";
        assert.deepEqual(
          values.networkGatewayPorts,
          servesRemotesByName ? { "tls-webhook": { port: 443, targetPort: 15017 } } : undefined,
          `${m.name}: the webhook on 443 only where remotes reach istiod through an ExternalName`,
        );
      }
      if (topology !== "primary-remote") return;
      const primary = members.find((m) => m.role === "primary")!;
      for (const remote of members.filter((m) => m.role === "remote")) {
        const istiod = graph.inCluster(remote.name, RELEASE).find((r) => r.inputs["name"] === "istiod")!;
        const address = (helmValues(istiod) as { global: { remotePilotAddress: string } }).global
          .remotePilotAddress;
        if (primary.kind === "kubeconfig-hostname") {
          assert.match(
            address,
            /\.elb\.us-east-1\.amazonaws\.com$/,
            `${remote.name} reaches istiod by host name`,
          );
        } else {
          assert.match(address, /^\d+\.\d+\.\d+\.\d+$/, `${remote.name} reaches istiod at an IP`);
        }
      }
    });

    it("registers fleet memberships for GKE clusters only", () => {
      const memberships = graph.ofType("gcp:gkehub/membership:Membership");
      const gke = [...of("created"), ...of("gke")].sort();
      assert.deepEqual(
        memberships.map((r) => r.name.replace(/^mesh-/, "").replace(/-membership$/, "")).sort(),
        gke,
      );
      for (const r of memberships) {
        const cluster = r.name.replace(/^mesh-/, "").replace(/-membership$/, "");
        const gkeName = of("gke").includes(cluster) ? cluster : `test-${cluster}`;
        const link = (r.inputs["endpoint"] as { gkeCluster: { resourceLink: string } }).gkeCluster
          .resourceLink;
        assert.match(
          link,
          new RegExp(
            `^//container\\.googleapis\\.com/projects/my-gcp-project/locations/[a-z0-9-]+/clusters/${gkeName}$`,
          ),
        );
        assert.equal(
          (r.inputs["authority"] as { issuer: string }).issuer,
          `https:${link.replace("//container.googleapis.com/", "//container.googleapis.com/v1/")}`,
        );
      }
      const outputs = evaluation.outputs["clusters"] as Record<
        string,
        { source: string; fleetMembership?: string }
      >;
      for (const m of members)
        assert.equal(outputs[m.name]!.fleetMembership !== undefined, gke.includes(m.name), m.name);
    });
  });
}
