// GCP layer on the mock cloud: counts per N, subnets and firewalls in the right VPC, kubeconfig shape,
// providers that need only their cluster's API server (not its nodes), and least-privilege defaults.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { evaluate, type Evaluation } from "../offline/engine/runtime";
import { Graph, type KubeconfigDocument } from "./support/graphQuery";
import { meshConfig } from "../offline/engine/syntheticMesh";
import { withOverrides } from "./support/configs";

async function graphOf(config: Record<string, string>): Promise<{ evaluation: Evaluation; graph: Graph }> {
  const evaluation = await evaluate(config);
  if (evaluation.error) throw evaluation.error;
  return { evaluation, graph: new Graph(evaluation.resources) };
}

const count = (g: Graph, type: string) => g.ofType(type).length;

describe("GCP networks and GKE clusters", { timeout: 240_000 }, () => {
  for (const n of [2, 8]) {
    it(`multi-primary on ${n} networks: one VPC, subnet, cluster, pool and provider per cluster`, async () => {
      const { graph } = await graphOf(meshConfig("multi-primary", n));
      assert.equal(count(graph, "gcp:compute/network:Network"), n);
      assert.equal(count(graph, "gcp:compute/subnetwork:Subnetwork"), n);
      assert.equal(count(graph, "gcp:container/cluster:Cluster"), n);
      assert.equal(count(graph, "gcp:container/nodePool:NodePool"), n);
      assert.equal(count(graph, "pulumi:providers:kubernetes"), n);
      // One VPC per cluster: GKE's own rules cover a cluster's pods; no extra firewall is opened.
      assert.equal(count(graph, "gcp:compute/firewall:Firewall"), 0);
      assert.equal(count(graph, "gcp:serviceaccount/account:Account"), 1);
    });

    it(`shared control plane with ${n} clusters: one flat VPC, one firewall across every pod range`, async () => {
      const { graph } = await graphOf(meshConfig("shared-control-plane", n));
      const [network] = graph.ofType("gcp:compute/network:Network");
      assert.equal(count(graph, "gcp:compute/network:Network"), 1);
      const subnets = graph.ofType("gcp:compute/subnetwork:Subnetwork");
      assert.equal(subnets.length, n);
      for (const s of subnets)
        assert.equal(
          s.inputs["network"],
          network!.outputs["id"] ?? `projects/my-gcp-project/global/networks/test-network1`,
        );
      const firewalls = graph.ofType("gcp:compute/firewall:Firewall");
      assert.equal(firewalls.length, 1);
      const rule = firewalls[0]!;
      assert.equal(rule.inputs["network"], network!.outputs["selfLink"]);
      const podRanges = subnets.map(
        (s) => (s.inputs["secondaryIpRanges"] as { ipCidrRange: string }[])[0]!.ipCidrRange,
      );
      assert.deepEqual([...(rule.inputs["sourceRanges"] as string[])].sort(), [...podRanges].sort());
      assert.ok(!(rule.inputs["sourceRanges"] as string[]).includes("0.0.0.0/0"));
      const tags = graph
        .ofType("gcp:container/nodePool:NodePool")
        .flatMap((p) => (p.inputs["nodeConfig"] as { tags: string[] }).tags);
      assert.deepEqual([...(rule.inputs["targetTags"] as string[])].sort(), [...tags].sort());
    });
  }

  it("puts each subnet in its cluster's region with pod and service ranges the cluster uses", async () => {
    const { graph } = await graphOf(meshConfig("multi-primary", 3));
    for (const cluster of graph.ofType("gcp:container/cluster:Cluster")) {
      const subnet = graph.one(
        (r) =>
          r.outputs["id"] === cluster.inputs["subnetwork"] ||
          (r.type === "gcp:compute/subnetwork:Subnetwork" &&
            graph.localName(r).endsWith(`-${graph.localName(cluster)}-subnet`)),
        "subnet",
      );
      assert.equal(`${subnet.inputs["region"]}-b`, cluster.inputs["location"]);
      const policy = cluster.inputs["ipAllocationPolicy"] as Record<string, string>;
      const ranges = (subnet.inputs["secondaryIpRanges"] as { rangeName: string }[]).map((r) => r.rangeName);
      assert.deepEqual(ranges, [policy["clusterSecondaryRangeName"], policy["servicesSecondaryRangeName"]]);
      assert.equal(cluster.inputs["networkingMode"], "VPC_NATIVE");
      assert.equal(
        cluster.inputs["network"],
        graph.byUrn.get(subnet.dependencies[0]!)?.outputs["id"] ?? cluster.inputs["network"],
      );
    }
  });

  it("hardens clusters and nodes: Workload Identity, shielded nodes, own node account, no deletion protection by default", async () => {
    const { graph } = await graphOf(meshConfig("multi-primary", 2));
    for (const c of graph.ofType("gcp:container/cluster:Cluster")) {
      assert.deepEqual(c.inputs["workloadIdentityConfig"], { workloadPool: "my-gcp-project.svc.id.goog" });
      assert.equal(c.inputs["enableShieldedNodes"], true);
      assert.equal(c.inputs["deletionProtection"], false);
      assert.equal(c.inputs["removeDefaultNodePool"], true);
    }
    // The temporary default pool boots too: it runs as the mesh's account, after the account's grant.
    for (const c of graph.ofType("gcp:container/cluster:Cluster")) {
      const bootstrap = c.inputs["nodeConfig"] as Record<string, unknown>;
      assert.match(
        String(bootstrap["serviceAccount"]),
        /^test-nodes@my-gcp-project\.iam\.gserviceaccount\.com$/,
      );
      assert.deepEqual(bootstrap["workloadMetadataConfig"], { mode: "GKE_METADATA" });
      graph.assertOrder(
        graph.one((r) => r.type === "gcp:projects/iAMMember:IAMMember", "grant"),
        c,
      );
    }
    for (const p of graph.ofType("gcp:container/nodePool:NodePool")) {
      const node = p.inputs["nodeConfig"] as Record<string, unknown>;
      assert.deepEqual(node["workloadMetadataConfig"], { mode: "GKE_METADATA" });
      assert.deepEqual(node["shieldedInstanceConfig"], {
        enableSecureBoot: true,
        enableIntegrityMonitoring: true,
      });
      assert.match(String(node["serviceAccount"]), /^test-nodes@my-gcp-project\.iam\.gserviceaccount\.com$/);
      const grant = graph.one((r) => r.type === "gcp:projects/iAMMember:IAMMember", "node role grant");
      graph.assertOrder(grant, p);
    }
  });

  it("builds gke-gcloud-auth-plugin kubeconfigs and providers that wait for the API server, not the nodes", async () => {
    const { graph, evaluation } = await graphOf(meshConfig("primary-remote", 2));
    for (const provider of graph.ofType("pulumi:providers:kubernetes")) {
      const cluster = graph.clusterOfProvider.get(provider.urn)!;
      const gke = graph.one(
        (r) => r.type === "gcp:container/cluster:Cluster" && graph.localName(r) === cluster,
        cluster,
      );
      const pool = graph.one(
        (r) => r.type === "gcp:container/nodePool:NodePool" && r.inputs["cluster"] === gke.inputs["name"],
        "pool",
      );
      graph.assertOrder(gke, provider);
      assert.ok(!graph.waitsFor(provider).has(pool.urn), "the provider needs the API server, not the nodes");
      assert.equal(
        provider.inputs["clusterIdentifier"],
        `my-gcp-project/${gke.inputs["location"]}/test-${cluster}`,
      );
      const kubeconfig = parse(String(provider.inputs["kubeconfig"])) as KubeconfigDocument;
      assert.equal(kubeconfig.clusters[0]!.cluster.server, `https://${gke.outputs["endpoint"]}`);
      const caPem = Buffer.from(
        kubeconfig.clusters[0]!.cluster["certificate-authority-data"],
        "base64",
      ).toString();
      assert.match(caPem, /^-----BEGIN CERTIFICATE-----/);
      assert.equal(kubeconfig.users[0]!.user.exec?.command, "gke-gcloud-auth-plugin");
      // Application Default Credentials, as the GCP provider uses: CI runners have no gcloud login.
      assert.deepEqual(kubeconfig.users[0]!.user.exec?.args, ["--use_application_default_credentials"]);
      // Unset by default, so PULUMI_K8S_DELETE_UNREACHABLE can still switch it on for a recovery.
      assert.equal(provider.inputs["deleteUnreachable"], undefined);
      assert.equal(kubeconfig.users[0]!.user.exec?.provideClusterInfo, true);
      assert.equal(kubeconfig["current-context"], kubeconfig.contexts[0]!.name);
    }
    const outputs = evaluation.outputs as { clusters: Record<string, { getCredentials: string }> };
    assert.match(
      outputs.clusters["cluster2"]!.getCredentials,
      /^gcloud container clusters get-credentials test-cluster2 --location us-central1-b --project my-gcp-project$/,
    );
  });

  it("private nodes egress through reserved NAT addresses with dynamic ports; operators and NAT reach the API servers", async () => {
    const { graph } = await graphOf(
      meshConfig("multi-primary", 2, { privateNodes: true, masterAuthorizedNetworks: ["203.0.113.0/24"] }),
    );
    const nats = graph.ofType("gcp:compute/routerNat:RouterNat");
    assert.equal(nats.length, 2, "one per VPC and region");
    const natIps: string[] = [];
    for (const nat of nats) {
      assert.equal(nat.inputs["natIpAllocateOption"], "MANUAL_ONLY");
      assert.equal(nat.inputs["enableDynamicPortAllocation"], true);
      assert.equal(nat.inputs["enableEndpointIndependentMapping"], false, "excluded by dynamic allocation");
      assert.deepEqual([nat.inputs["minPortsPerVm"], nat.inputs["maxPortsPerVm"]], [256, 8192]);
      const links = nat.inputs["natIps"] as string[];
      const addresses = graph
        .ofType("gcp:compute/address:Address")
        .filter((a) => links.includes(String(a.outputs["selfLink"])));
      assert.equal(addresses.length, links.length, "every NAT IP is a reserved address");
      for (const a of addresses) {
        assert.equal(a.inputs["region"], nat.inputs["region"]);
        natIps.push(String(a.outputs["address"]));
      }
    }
    for (const c of graph.ofType("gcp:container/cluster:Cluster")) {
      const blocks = (c.inputs["masterAuthorizedNetworksConfig"] as { cidrBlocks: { cidrBlock: string }[] })
        .cidrBlocks;
      assert.deepEqual(
        blocks.map((b) => b.cidrBlock).sort(),
        ["203.0.113.0/24", ...natIps.map((ip) => `${ip}/32`)].sort(),
        "the operators, and istiod of every cluster through its NAT",
      );
    }
    for (const gateway of graph
      .ofType("kubernetes:helm.sh/v3:Release")
      .filter((r) => r.inputs["name"] === "istio-eastwestgateway")) {
      const service = (gateway.inputs["values"] as { service: { loadBalancerSourceRanges?: string[] } })
        .service;
      assert.deepEqual(
        service.loadBalancerSourceRanges,
        natIps.map((ip) => `${ip}/32`).sort(),
        "only the mesh's own egress",
      );
    }
  });

  it("without private nodes nothing restricts the API servers or the gateways (egress is not known)", async () => {
    const { graph } = await graphOf(meshConfig("multi-primary", 2));
    for (const c of graph.ofType("gcp:container/cluster:Cluster"))
      assert.equal(c.inputs["masterAuthorizedNetworksConfig"], undefined);
    for (const gateway of graph
      .ofType("kubernetes:helm.sh/v3:Release")
      .filter((r) => r.inputs["name"] === "istio-eastwestgateway")) {
      assert.equal(
        (gateway.inputs["values"] as { service: Record<string, unknown> }).service[
          "loadBalancerSourceRanges"
        ],
        undefined,
      );
    }
  });

  it("deleteUnreachable reaches every provider when set", async () => {
    const { graph } = await graphOf(meshConfig("multi-primary", 2, { deleteUnreachable: true }));
    for (const p of graph.ofType("pulumi:providers:kubernetes"))
      assert.equal(p.inputs["deleteUnreachable"], "true", "provider settings travel JSON-encoded");
  });

  it("private nodes add a webhook rule from the control plane ranges on tcp:15017 and Cloud NAT", async () => {
    const { graph } = await graphOf(
      withOverrides(
        { ...JSON.parse(JSON.stringify({})) },
        {
          topology: "shared-control-plane",
          privateNodes: true,
          clusters: [
            { name: "a", location: "us-east1-b", network: "flat", role: "primary" },
            { name: "b", location: "europe-west4-b", network: "flat", role: "remote" },
          ],
        },
      ),
    );
    const webhook = graph.one(
      (r) => r.type === "gcp:compute/firewall:Firewall" && String(r.inputs["name"]).endsWith("-webhooks"),
      "webhook rule",
    );
    assert.deepEqual(webhook.inputs["allows"], [{ protocol: "tcp", ports: ["15017"] }]);
    const masters = graph
      .ofType("gcp:container/cluster:Cluster")
      .map((c) => (c.inputs["privateClusterConfig"] as { masterIpv4CidrBlock: string }).masterIpv4CidrBlock);
    assert.deepEqual([...(webhook.inputs["sourceRanges"] as string[])].sort(), masters.sort());
    assert.equal(count(graph, "gcp:compute/routerNat:RouterNat"), 2, "one NAT per region with nodes");
  });
});
