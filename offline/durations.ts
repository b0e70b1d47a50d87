// How long `pulumi up` waits for each kind of resource to be created: the weights of the critical path
// (deletion times are in deletionDurations.ts). Figures are typical create times on GCP/GKE; every rule
// says where its figure comes from, and a figure without a published measurement says it is an estimate.

export interface DurationRule {
  /** Exact type token, or a prefix ending in `*` (`kubernetes:*`). */
  readonly type: string;
  /** Narrows the rule to some resources of the type (a Helm release of one chart...). */
  readonly when?: (inputs: Record<string, unknown>) => boolean;
  /** What the rule covers, for the documentation table. */
  readonly covers: string;
  /** Typical create time used for the critical path. */
  readonly seconds: number;
  /** Observed range, for the documentation table. */
  readonly range: readonly [low: number, high: number];
  readonly source: string;
}

/** A resource type no rule covers: counted with this weight (create or delete) and listed as unmodelled. */
export const UNMODELLED_SECONDS = 10;

export const chartIs =
  (chart: string) =>
  (inputs: Record<string, unknown>): boolean => {
    const name = String(inputs["chart"] ?? "");
    return name === chart || name.endsWith(`/${chart}`);
  };

export const serviceIsLoadBalancer = (inputs: Record<string, unknown>): boolean =>
  (inputs["spec"] as { type?: unknown } | undefined)?.type === "LoadBalancer";

const secretIsToken = (inputs: Record<string, unknown>): boolean =>
  inputs["type"] === "kubernetes.io/service-account-token";

const TF_CLUSTER_LOG =
  "terraform apply logs of google_container_cluster showing 'Still creating... [6m-8m elapsed]' " +
  "(github.com/eclipse-theia/theia-cloud/issues/336, github.com/bitpoke/stack/issues/69); the GKE " +
  "create operation's default client timeout is 30 min (cloud.google.com/workflows/docs/reference/" +
  "googleapis/container/v1/projects.locations.clusters/create)";

/** First matching rule wins: specific rules before the prefix fallbacks. */
export const DURATION_RULES: readonly DurationRule[] = [
  {
    type: "gcp:container/cluster:Cluster",
    covers: "GKE Standard cluster (control plane + the temporary default pool it removes)",
    seconds: 390,
    range: [300, 480],
    source: `${TF_CLUSTER_LOG}; 6.5 min is the midpoint of the 5-8 min commonly seen for zonal clusters`,
  },
  {
    type: "gcp:container/nodePool:NodePool",
    covers: "GKE node pool (VMs boot and register)",
    seconds: 180,
    range: [120, 240],
    source:
      "terraform apply log of google_container_node_pool still creating after 1m30s " +
      "(github.com/hashicorp/terraform-provider-google/issues/13178); 3 min is an estimate",
  },
  {
    type: "gcp:compute/network:Network",
    covers: "custom-mode VPC",
    seconds: 30,
    range: [20, 60],
    source: "estimate: global Compute operation, tens of seconds",
  },
  {
    type: "gcp:compute/subnetwork:Subnetwork",
    covers: "subnet with secondary ranges",
    seconds: 30,
    range: [15, 45],
    source: "estimate: regional Compute operation, tens of seconds",
  },
  {
    type: "gcp:compute/firewall:Firewall",
    covers: "VPC firewall rule",
    seconds: 15,
    range: [10, 30],
    source: "estimate: global Compute operation, tens of seconds",
  },
  {
    type: "gcp:compute/router:Router",
    covers: "Cloud Router",
    seconds: 20,
    range: [10, 30],
    source: "estimate: regional Compute operation",
  },
  {
    type: "gcp:compute/routerNat:RouterNat",
    covers: "Cloud NAT",
    seconds: 30,
    range: [20, 60],
    source: "estimate: updates the router, tens of seconds",
  },
  {
    type: "gcp:compute/address:Address",
    covers: "reserved regional IP address",
    seconds: 5,
    range: [2, 10],
    source: "estimate: a reservation, seconds",
  },
  {
    type: "gcp:compute/globalAddress:GlobalAddress",
    covers: "reserved global IP address",
    seconds: 5,
    range: [2, 10],
    source: "estimate: a reservation, seconds",
  },
  {
    type: "gcp:serviceaccount/account:Account",
    covers: "Google service account",
    seconds: 5,
    range: [2, 10],
    source: "estimate: IAM API call, seconds",
  },
  {
    type: "gcp:projects/iAMMember:IAMMember",
    covers: "project IAM binding",
    seconds: 10,
    range: [5, 60],
    source: "estimate: read-modify-write of the project policy, seconds (propagation may take longer)",
  },
  {
    type: "kubernetes:helm.sh/v3:Release",
    when: chartIs("istiod"),
    covers: "Helm release of istiod (waits for the Deployment to be ready)",
    seconds: 90,
    range: [60, 120],
    source: "estimate: image pull + readiness of istiod, 1-2 min",
  },
  {
    type: "kubernetes:helm.sh/v3:Release",
    when: chartIs("gateway"),
    covers: "Helm release of a gateway with an external load balancer",
    seconds: 120,
    range: [60, 180],
    source:
      "estimate: GCP network load balancer provisioning, 1-3 min; external IPs seen to take up to " +
      "5 min (github.com/linkerd/linkerd-examples/issues/78)",
  },
  {
    type: "kubernetes:helm.sh/v3:Release",
    when: chartIs("base"),
    covers: "Helm release of Istio's base chart (CRDs, no pods)",
    seconds: 15,
    range: [5, 30],
    source: "estimate: CRDs and RBAC only, seconds",
  },
  {
    type: "kubernetes:helm.sh/v3:Release",
    covers: "other Helm release",
    seconds: 60,
    range: [20, 120],
    source: "estimate: a chart with pods that Helm waits for",
  },
  {
    type: "kubernetes:core/v1:Service",
    when: serviceIsLoadBalancer,
    covers: "LoadBalancer Service (awaited until it has an address)",
    seconds: 120,
    range: [60, 180],
    source: "estimate, as for the gateway release (github.com/linkerd/linkerd-examples/issues/78)",
  },
  {
    type: "kubernetes:core/v1:Secret",
    when: secretIsToken,
    covers: "service-account token Secret (awaited until the token is filled in)",
    seconds: 5,
    range: [2, 10],
    source: "estimate: token controller, seconds",
  },
  {
    type: "kubernetes:apps/v1:Deployment",
    covers: "Deployment (awaited until rolled out)",
    seconds: 45,
    range: [20, 120],
    source: "estimate: image pull + readiness",
  },
  {
    type: "kubernetes:*",
    covers: "other Kubernetes object (namespace, secret, config, Istio resource)",
    seconds: 3,
    range: [1, 5],
    source: "estimate: one API server call, seconds",
  },
  {
    type: "tls:*",
    covers: "key, certificate, signing (local cryptography)",
    seconds: 1,
    range: [0, 3],
    source: "estimate: local; an RSA 4096 key takes up to a few seconds",
  },
  {
    type: "command:local:Command",
    covers: "local command (verification)",
    seconds: 30,
    range: [5, 120],
    source: "estimate: depends on the script",
  },
  {
    type: "pulumi:providers:*",
    covers: "provider configuration",
    seconds: 0,
    range: [0, 0],
    source: "no cloud call",
  },
];

export interface ModelledDuration {
  seconds: number;
  /** The rule that applied, or undefined for an unmodelled type. */
  rule: DurationRule | undefined;
}

function typeMatches(pattern: string, type: string): boolean {
  return pattern.endsWith("*") ? type.startsWith(pattern.slice(0, -1)) : pattern === type;
}

export function modelDuration(
  type: string,
  inputs: Record<string, unknown> = {},
  rules: readonly DurationRule[] = DURATION_RULES,
): ModelledDuration {
  const rule = rules.find((r) => typeMatches(r.type, type) && (r.when?.(inputs) ?? true));
  return { seconds: rule?.seconds ?? UNMODELLED_SECONDS, rule };
}

/**
 * The least time any `pulumi up` of a mesh can take: one cluster, its node pool, istiod and a gateway's
 * load balancer, one after the other, in the cluster that takes longest (every cluster takes the same
 * under this model). Everything else can, in principle, run in parallel with these.
 */
export function physicalFloorSeconds(rules: readonly DurationRule[] = DURATION_RULES): number {
  const of = (type: string, inputs: Record<string, unknown> = {}) =>
    modelDuration(type, inputs, rules).seconds;
  return (
    of("gcp:container/cluster:Cluster") +
    of("gcp:container/nodePool:NodePool") +
    of("kubernetes:helm.sh/v3:Release", { chart: "istiod" }) +
    of("kubernetes:helm.sh/v3:Release", { chart: "gateway" })
  );
}
