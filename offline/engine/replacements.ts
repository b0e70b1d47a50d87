// Which input changes force a replacement, per resource type: the documented list behind the offline diff.
// Sources: the ForceNew markers of terraform-provider-google 7.x (google_container_cluster,
// google_container_node_pool, google_compute_*: the upstream of @pulumi/gcp 9.x), pulumi-kubernetes
// (metadata.name/namespace and immutable fields replace an object; a Helm release's name and namespace),
// @pulumi/tls (every certificate input) and the Kubernetes provider's clusterIdentifier contract.

export interface ReplacementRule {
  /** Input paths (dot-separated, prefix match) whose change replaces the resource. */
  readonly paths: readonly string[];
  readonly source: string;
}

const GOOGLE = "terraform-provider-google 7.x ForceNew";

export const REPLACEMENT_RULES: Readonly<Record<string, ReplacementRule>> = {
  "gcp:container/cluster:Cluster": {
    // enablePrivateNodes changes in place (provider >= 4.45) but the control plane's /28 does not.
    paths: [
      "name",
      "location",
      "network",
      "subnetwork",
      "ipAllocationPolicy",
      "networkingMode",
      "initialNodeCount",
      "defaultMaxPodsPerNode",
      "privateClusterConfig.masterIpv4CidrBlock",
      "nodeConfig",
    ],
    source: GOOGLE,
  },
  "gcp:container/nodePool:NodePool": {
    // machineType and diskSizeGb update in place (provider >= 5.10: GKE recreates the nodes).
    paths: [
      "name",
      "location",
      "cluster",
      "initialNodeCount",
      "maxPodsPerNode",
      "nodeConfig.spot",
      "nodeConfig.preemptible",
      "nodeConfig.serviceAccount",
      "nodeConfig.oauthScopes",
      "nodeConfig.metadata",
    ],
    source: GOOGLE,
  },
  "gcp:compute/network:Network": { paths: ["name", "autoCreateSubnetworks"], source: GOOGLE },
  // ipCidrRange may only grow in place; any other change of it replaces (see primaryRangeReplaces).
  "gcp:compute/subnetwork:Subnetwork": { paths: ["name", "network", "region"], source: GOOGLE },
  "gcp:compute/firewall:Firewall": { paths: ["name", "direction", "network"], source: GOOGLE },
  "gcp:compute/address:Address": {
    paths: [
      "name",
      "region",
      "address",
      "addressType",
      "subnetwork",
      "purpose",
      "description",
      "networkTier",
    ],
    source: GOOGLE,
  },
  "gcp:compute/router:Router": { paths: ["name", "network", "region"], source: GOOGLE },
  "gcp:compute/routerNat:RouterNat": { paths: ["name", "router", "region"], source: GOOGLE },
  "gcp:serviceaccount/account:Account": { paths: ["accountId", "project"], source: GOOGLE },
  "gcp:projects/iAMMember:IAMMember": { paths: ["project", "role", "member", "condition"], source: GOOGLE },
  "gcp:gkehub/membership:Membership": {
    paths: ["membershipId", "location", "endpoint", "authority"],
    source: GOOGLE,
  },
  "pulumi:providers:kubernetes": {
    paths: ["clusterIdentifier"],
    source: "pulumi-kubernetes Provider: replaced only when clusterIdentifier changes",
  },
  "kubernetes:helm.sh/v3:Release": { paths: ["name", "namespace"], source: "pulumi-kubernetes Release" },
  "kubernetes:core/v1:Secret": {
    paths: ["metadata.name", "metadata.namespace", "type"],
    source: "Kubernetes",
  },
  "kubernetes:apps/v1:Deployment": {
    paths: ["metadata.name", "metadata.namespace", "spec.selector"],
    source: "Kubernetes (a Deployment's selector is immutable)",
  },
  "kubernetes:core/v1:Service": {
    paths: ["metadata.name", "metadata.namespace", "spec.clusterIP"],
    source: "Kubernetes (clusterIP is immutable)",
  },
  "tls:index/privateKey:PrivateKey": { paths: ["algorithm", "rsaBits", "ecdsaCurve"], source: "@pulumi/tls" },
  "tls:index/selfSignedCert:SelfSignedCert": { paths: [""], source: "@pulumi/tls (every input)" },
  "tls:index/certRequest:CertRequest": { paths: [""], source: "@pulumi/tls (every input)" },
  "tls:index/locallySignedCert:LocallySignedCert": { paths: [""], source: "@pulumi/tls (every input)" },
  "command:local:Command": { paths: ["triggers"], source: "@pulumi/command: a trigger change replaces" },
};

/** Kubernetes objects of any other kind replace when their name or namespace changes. */
const KUBERNETES_DEFAULT: ReplacementRule = {
  paths: ["metadata.name", "metadata.namespace"],
  source: "pulumi-kubernetes",
};

export function replacementRule(type: string): ReplacementRule | undefined {
  return REPLACEMENT_RULES[type] ?? (type.startsWith("kubernetes:") ? KUBERNETES_DEFAULT : undefined);
}

/** Does a change of `path` replace a resource of `type`? */
export function forcesReplacement(type: string, path: string): boolean {
  const rule = replacementRule(type);
  return (rule?.paths ?? []).some((p) => p === "" || path === p || path.startsWith(`${p}.`));
}
