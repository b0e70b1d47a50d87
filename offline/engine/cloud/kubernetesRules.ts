// What a Kubernetes API server (and Helm, and GKE's load balancer controller) refuses: invalid names and
// labels, a name taken in its cluster, namespace and kind, an object in a namespace nothing created
// before it, an Istio resource whose CRD is not installed first, a load balancer on an address outside
// its cluster's region. The cluster of an object is the one its provider's kubeconfig points at.
import { providerUrnOf } from "../../graph";
import type { DependencyGraph } from "./dependencies";
import type { GcpLedger } from "./gcpRules";
import {
  dns1035Label,
  dns1123Label,
  dns1123Subdomain,
  helmReleaseName,
  labelKey,
  labelValue,
  type NameRule,
} from "./names";
import { record, refuse, text, type Admission } from "./refusal";
import { readKubeconfig } from "../../../kube/kubeconfig";

const PROVIDER = "pulumi:providers:kubernetes";
const RELEASE = "kubernetes:helm.sh/v3:Release";

/** "Kubernetes starts with four initial namespaces" (kubernetes.io, Namespaces: Initial namespaces). */
const PRECREATED_NAMESPACES = new Set(["default", "kube-system", "kube-public", "kube-node-lease"]);
const CLUSTER_SCOPED_KINDS = new Set([
  "Namespace",
  "Node",
  "PersistentVolume",
  "StorageClass",
  "PriorityClass",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
  "APIService",
]);

interface KubeCluster {
  /** The GKE cluster path when the kubeconfig points at a known cluster, else the provider's URN. */
  key: string;
  /** Region and project of the GKE cluster, when known. */
  region?: string;
  project?: string;
  /** Namespace of objects that name none (the provider's `namespace`, else `default`). */
  defaultNamespace: string;
}

const DEFAULT_PROVIDER: KubeCluster = { key: "default provider", defaultNamespace: "default" };

/** `kubernetes:networking.istio.io/v1:Gateway` -> group, version, kind ("core" is the empty group). */
function kindOf(type: string): { group: string; version: string; kind: string } {
  const [, module = "", kind = ""] = type.split(":");
  const [group = "", version = ""] = module.split("/");
  return { group: group === "core" ? "" : group, version, kind };
}

/** The resource as the API server names it in errors: `services`, `gateways.networking.istio.io`. */
function resourceName(group: string, kind: string): string {
  const lower = kind.toLowerCase();
  const plural = /(s|x|ch|sh)$/.test(lower)
    ? `${lower}es`
    : /[^aeiou]y$/.test(lower)
      ? `${lower.slice(0, -1)}ies`
      : `${lower}s`;
  return group ? `${plural}.${group}` : plural;
}

function nameRule(kind: string): NameRule {
  if (kind === "Namespace") return dns1123Label;
  if (kind === "Service") return dns1035Label;
  return dns1123Subdomain;
}

/** Where a kubeconfig sends requests: the host of its current context's server, as kubectl reads it. */
function serverHost(kubeconfig: string): string | undefined {
  try {
    return new URL(readKubeconfig(kubeconfig).cluster.server).hostname;
  } catch {
    return undefined; // not known yet (a preview), or no kubeconfig: the provider names no GKE cluster
  }
}

export class KubernetesLedger {
  private readonly providers = new Map<string, KubeCluster>();
  private readonly taken = new Set<string>();
  /** `<cluster>/<namespace>` -> URN of the Namespace (or Helm release) that creates it. */
  private readonly namespaces = new Map<string, string>();
  /** Per cluster: URNs of releases of Istio's `base` chart, which installs Istio's CRDs. */
  private readonly istioBases = new Map<string, string[]>();

  constructor(
    private readonly gcp: GcpLedger,
    private readonly graph: DependencyGraph,
  ) {}

  admit(a: Admission): void {
    if (a.args.type === PROVIDER) this.admitProvider(a);
    else if (a.args.type === RELEASE) this.admitRelease(a);
    else if (a.args.type.startsWith("kubernetes:")) this.admitObject(a);
  }

  private admitProvider(a: Admission): void {
    const kubeconfig = text(a.args.inputs["kubeconfig"]) ?? "";
    const host = serverHost(kubeconfig);
    const byIdentifier = /^([^/]+)\/([^/]+)\/([^/]+)$/.exec(text(a.args.inputs["clusterIdentifier"]) ?? "");
    const gke =
      (host ? this.gcp.clustersByEndpoint.get(host) : undefined) ??
      (byIdentifier
        ? this.gcp.clusters.get(
            `projects/${byIdentifier[1]}/locations/${byIdentifier[2]}/clusters/${byIdentifier[3]}`,
          )
        : undefined);
    this.providers.set(a.urn, {
      key: gke ? `projects/${gke.project}/locations/${gke.location}/clusters/${gke.name}` : a.urn,
      ...(gke ? { region: gke.region, project: gke.project } : {}),
      defaultNamespace: text(a.args.inputs["namespace"]) ?? "default",
    });
  }

  private clusterOf(a: Admission): KubeCluster {
    const reference = a.args.provider ?? "";
    return (reference && this.providers.get(providerUrnOf(reference))) || DEFAULT_PROVIDER;
  }

  private admitObject(a: Admission): void {
    const cluster = this.clusterOf(a);
    const { group, version, kind } = kindOf(a.args.type);
    const meta = record(a.args.inputs["metadata"]);
    const name = text(meta["name"]) ?? text(record(a.outputs["metadata"])["name"]) ?? a.args.name;
    const namespaced = !CLUSTER_SCOPED_KINDS.has(kind);
    const namespace = namespaced ? (text(meta["namespace"]) ?? cluster.defaultNamespace) : "";
    const qualified = namespaced ? `${namespace}/${name}` : name;
    // pulumi-kubernetes wraps what the API server said in this sentence (provider.go, Create).
    const apiServer = (problem: string) =>
      refuse(`resource ${qualified} was not successfully created by the Kubernetes API server: ${problem}`);
    const invalid = (field: string, value: string, problem: string) =>
      apiServer(
        `${kind} ${JSON.stringify(name)} is invalid: ${field}: Invalid value: ${JSON.stringify(value)}: ${problem}`,
      );

    const nameProblem = nameRule(kind)(name);
    if (nameProblem) invalid("metadata.name", name, nameProblem);
    for (const [key, value] of Object.entries(record(meta["labels"]))) {
      const keyProblem = labelKey(key);
      if (keyProblem) invalid("metadata.labels", key, keyProblem);
      const valueProblem = labelValue(String(value));
      if (valueProblem) invalid("metadata.labels", String(value), valueProblem);
    }

    if (namespaced) {
      const missing = this.missingNamespace(cluster, namespace, a);
      if (missing) apiServer(missing);
    }

    if (group.endsWith(".istio.io")) {
      // Istio's CRDs come with its `base` chart, "which must be installed prior to deploying the Istio
      // control plane" (istio.io, Install with Helm): the object must be ordered after that release.
      const bases = this.istioBases.get(cluster.key) ?? [];
      if (!bases.some((base) => this.graph.reaches(a.urn, base))) {
        refuse(
          `creation of resource ${qualified} failed because the Kubernetes API server reported that the ` +
            `apiVersion for this resource does not exist. Verify that any required CRDs have been created: ` +
            `no matches for kind "${kind}" in version "${group}/${version}"` +
            (bases.length > 0 ? " (the base release exists, but this object does not wait for it)" : ""),
        );
      }
    }

    // A name is unique per kind within its namespace (or the cluster, for cluster-scoped kinds).
    const path = `${cluster.key}|${group}|${kind}|${namespace}|${name}`;
    if ((kind === "Namespace" && PRECREATED_NAMESPACES.has(name)) || this.taken.has(path)) {
      apiServer(`${resourceName(group, kind)} ${JSON.stringify(name)} already exists`);
    }
    this.taken.add(path);
    if (kind === "Namespace") this.namespaces.set(`${cluster.key}/${name}`, a.urn);

    const spec = record(a.args.inputs["spec"]);
    const ip = text(spec["loadBalancerIP"]);
    if (kind === "Service" && spec["type"] === "LoadBalancer" && ip) {
      this.requireRegionalAddress(cluster, ip, `Service ${qualified}`);
    }
  }

  private admitRelease(a: Admission): void {
    const cluster = this.clusterOf(a);
    const name = text(a.args.inputs["name"]) ?? a.args.name;
    const problem = helmReleaseName(name);
    if (problem) refuse(problem);
    const namespace = text(a.args.inputs["namespace"]) ?? cluster.defaultNamespace;
    const key = `${cluster.key}/${namespace}`;
    if (a.args.inputs["createNamespace"] === true) {
      if (!PRECREATED_NAMESPACES.has(namespace) && !this.namespaces.has(key)) this.namespaces.set(key, a.urn);
    } else {
      const missing = this.missingNamespace(cluster, namespace, a);
      if (missing)
        refuse(`failed to create helm release ${namespace}/${name}: create: failed to create: ${missing}`);
    }
    // Helm 3 keeps release records in the release's namespace: names are unique per namespace.
    const path = `${cluster.key}|helm|${namespace}|${name}`;
    if (this.taken.has(path)) refuse(`cannot re-use a name that is still in use`);
    this.taken.add(path);

    const values = record(a.args.inputs["values"]);
    const ip = text(record(values["service"])["loadBalancerIP"]) ?? text(values["loadBalancerIP"]);
    if (ip) this.requireRegionalAddress(cluster, ip, `Helm release ${namespace}/${name}`);

    const chart = text(a.args.inputs["chart"]) ?? "";
    if (chart.split("/").pop() === "base") {
      this.istioBases.set(cluster.key, [...(this.istioBases.get(cluster.key) ?? []), a.urn]);
    }
  }

  /**
   * A namespaced object needs its namespace when it is created: one Kubernetes starts with, or one this
   * graph creates in the same cluster and orders the object after (else a real `up` may race it).
   */
  private missingNamespace(cluster: KubeCluster, namespace: string, a: Admission): string | undefined {
    if (PRECREATED_NAMESPACES.has(namespace)) return undefined;
    const creator = this.namespaces.get(`${cluster.key}/${namespace}`);
    const notFound = `namespaces ${JSON.stringify(namespace)} not found`;
    if (!creator) return notFound;
    if (this.graph.reaches(a.urn, creator)) return undefined;
    return `${notFound} (the graph creates it, but does not order ${a.args.type} ${a.args.name} after it)`;
  }

  /**
   * GKE's load balancer controller only takes a static address reserved in the cluster's own project and
   * region (cloud-provider-gcp verifyUserRequestedIP looks the IP up among the addresses of the cluster's
   * project and region).
   */
  private requireRegionalAddress(cluster: KubeCluster, ip: string, what: string): void {
    if (!cluster.region) return; // a provider the mock cannot place: no region to compare with
    const reserved = this.gcp.addressesByIp.get(ip);
    if (reserved?.region === cluster.region && reserved.project === cluster.project) return;
    refuse(
      `${what}: Error syncing load balancer: failed to ensure load balancer: requested ip ${JSON.stringify(ip)} ` +
        `is neither static nor assigned to the LB (` +
        (reserved
          ? `address ${reserved.name} is in ${reserved.project}/${reserved.region}, the cluster in ${cluster.project}/${cluster.region})`
          : `no address reserved in ${cluster.project}/${cluster.region} has it)`),
    );
  }
}
