// What must be true of the destroy order for `pulumi destroy` to succeed on GCP, checked on the waves of
// offline/destroy.ts. Each check finds what it compares by facts of the recording (addresses by IP,
// clusters by the provider an object goes through, remote secrets by their data keys), not by the edges
// whose effect it checks, so a missing edge shows up as a violation.
import { chartIs, serviceIsLoadBalancer } from "./durations";
import type { DestroyPlan } from "./destroy";
import { providerUrnOf, type ResourceRecord } from "./graph";
import { assignGroups } from "./groups";

export interface DestroyCheck {
  readonly name: string;
  /** Orderings checked (pairs of resources): a check that compared nothing proves nothing. */
  readonly compared: number;
  readonly violations: readonly string[];
}

const CLUSTER = "gcp:container/cluster:Cluster";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const SERVICE = "kubernetes:core/v1:Service";
const SECRET = "kubernetes:core/v1:Secret";
const K8S_PROVIDER = "pulumi:providers:kubernetes";

type Inputs = Record<string, unknown>;

/** The IP a load balancer is pinned to: a Service's loadBalancerIP or a gateway release's value. */
function loadBalancerIp(r: ResourceRecord): string | undefined {
  const inputs = (r.inputs ?? {}) as Inputs;
  if (r.type === SERVICE && serviceIsLoadBalancer(inputs))
    return String((inputs["spec"] as Inputs)["loadBalancerIP"] ?? "") || undefined;
  const service = ((inputs["values"] ?? {}) as Inputs)["service"] as Inputs | undefined;
  return service?.["loadBalancerIP"] === undefined ? undefined : String(service["loadBalancerIP"]);
}

/** A Service of type LoadBalancer, or a release of Istio's gateway chart (which renders one). */
function ownsLoadBalancer(r: ResourceRecord): boolean {
  const inputs = (r.inputs ?? {}) as Inputs;
  return (
    (r.type === SERVICE && serviceIsLoadBalancer(inputs)) ||
    (r.type === RELEASE && chartIs("gateway")(inputs))
  );
}

function remoteSecretKeys(r: ResourceRecord): string[] {
  const inputs = (r.inputs ?? {}) as Inputs;
  const labels = ((inputs["metadata"] ?? {}) as { labels?: Record<string, string> }).labels ?? {};
  if (r.type !== SECRET || labels["istio/multiCluster"] !== "true") return [];
  return Object.keys({ ...((inputs["data"] ?? {}) as Inputs), ...((inputs["stringData"] ?? {}) as Inputs) });
}

export function checkDestroyOrder(records: readonly ResourceRecord[], plan: DestroyPlan): DestroyCheck[] {
  const byUrn = new Map(records.map((r) => [r.urn, r]));
  const groupOf = assignGroups(records);
  const custom = records.filter((r) => plan.nodes.has(r.urn));
  const wave = (r: ResourceRecord) => plan.waveOf.get(r.urn)!;
  // Clusters by the name the mesh knows them by (their group): providers, objects and data keys use it.
  const clusterNamed = new Map(custom.filter((r) => r.type === CLUSTER).map((c) => [groupOf.get(c.urn)!, c]));
  const clusterOf = (r: ResourceRecord) => clusterNamed.get(groupOf.get(r.urn) ?? "");
  const providerOf = (r: ResourceRecord) =>
    r.provider === "" ? undefined : byUrn.get(providerUrnOf(r.provider));
  const kubernetesObjects = custom.filter((r) => providerOf(r)?.type === K8S_PROVIDER);

  const check = (name: string, pairs: [first: ResourceRecord, then: ResourceRecord, why: string][]) => ({
    name,
    compared: pairs.length,
    violations: pairs
      .filter(([first, then]) => wave(first) >= wave(then))
      .map(
        ([first, then, why]) =>
          `${first.name} (${first.type}, wave ${wave(first)}) is not deleted before ${then.name} ` +
          `(${then.type}, wave ${wave(then)}): ${why}`,
      ),
  });

  const balancers = custom.filter(ownsLoadBalancer);
  const addresses = custom.filter((r) => r.type === "gcp:compute/address:Address");
  const loadBalancerPairs = balancers.flatMap((lb): [ResourceRecord, ResourceRecord, string][] => {
    const ip = loadBalancerIp(lb);
    const used = addresses.filter((a) => ip !== undefined && a.outputs?.["address"] === ip);
    const cluster = clusterOf(lb);
    const network = cluster
      ? plan.nodes
          .get(cluster.urn)!
          .waitsOn.map((urn) => byUrn.get(urn)!)
          .filter(
            (r) => r.type === "gcp:compute/subnetwork:Subnetwork" || r.type === "gcp:compute/network:Network",
          )
      : [];
    return [
      ...used.map((a): [ResourceRecord, ResourceRecord, string] => [
        lb,
        a,
        `its forwarding rule holds ${ip}`,
      ]),
      ...network.map((n): [ResourceRecord, ResourceRecord, string] => [
        lb,
        n,
        "its forwarding rule and firewall rules live in this network",
      ]),
    ];
  });

  const releasePairs = custom
    .filter((r) => r.type === RELEASE)
    .flatMap((r): [ResourceRecord, ResourceRecord, string][] => {
      const cluster = clusterOf(r);
      return cluster ? [[r, cluster, "helm uninstall needs the cluster's API server"]] : [];
    });

  const secretPairs = kubernetesObjects.flatMap((s): [ResourceRecord, ResourceRecord, string][] =>
    remoteSecretKeys(s).flatMap((key): [ResourceRecord, ResourceRecord, string][] => {
      const described = clusterNamed.get(key);
      return described ? [[s, described, `istiod would keep watching the deleted cluster ${key}`]] : [];
    }),
  );

  const providerPairs = kubernetesObjects.map((r): [ResourceRecord, ResourceRecord, string] => [
    r,
    providerOf(r)!,
    "nothing can be deleted in a cluster once its provider is gone",
  ]);
  for (const provider of custom.filter((r) => r.type === K8S_PROVIDER)) {
    const cluster = clusterOf(provider);
    if (cluster) providerPairs.push([provider, cluster, "the provider reaches the cluster's API server"]);
  }

  return [
    check("load balancers before the addresses, subnets and VPC they use", loadBalancerPairs),
    check("Helm releases before their cluster", releasePairs),
    check("remote secrets before the clusters they describe", secretPairs),
    check("Kubernetes objects before their provider, providers before their cluster", providerPairs),
  ];
}
