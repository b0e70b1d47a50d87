// Every GCP name the mesh uses, derived in this one place from the name prefix, the cluster, network and
// region names; and the rules each kind of name must follow. The planner puts the names into the plan,
// validation checks them before anything is created.
import { createHash } from "node:crypto";

export interface NameRule {
  readonly what: string;
  readonly min: number;
  readonly max: number;
  readonly pattern: RegExp;
  readonly shape: string;
}

const LOWER_START_ALNUM_END = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const RFC1035 = "a lower-case letter, then lower-case letters, digits or hyphens, not ending in a hyphen";

export const NAME_RULES = {
  // Compute Engine resource names (networks, subnetworks, firewalls, routers, addresses, secondary range
  // names): RFC 1035, 1-63 (compute API reference "name" fields; terraform-provider-google ValidateGCEName).
  gce: { what: "Compute Engine name", min: 1, max: 63, pattern: LOWER_START_ALNUM_END, shape: RFC1035 },
  // Cloud NAT: same shape, 2-63 (terraform-provider-google resource_compute_router_nat name validation).
  nat: { what: "Cloud NAT name", min: 2, max: 63, pattern: LOWER_START_ALNUM_END, shape: RFC1035 },
  // GKE clusters: at most 40, starts with a letter, ends with a letter or digit (container API
  // projects.locations.clusters.create; terraform-provider-google resource_container_cluster).
  gkeCluster: { what: "GKE cluster name", min: 1, max: 40, pattern: LOWER_START_ALNUM_END, shape: RFC1035 },
  // GKE node pools: at most 40, same shape (the container API's error text quoted in pulumi-gcp#1510).
  nodePool: { what: "GKE node pool name", min: 1, max: 40, pattern: LOWER_START_ALNUM_END, shape: RFC1035 },
  // Service account ids: RFC 1035, 6-30 (IAM projects.serviceAccounts.create accountId).
  serviceAccount: {
    what: "service account id",
    min: 6,
    max: 30,
    pattern: LOWER_START_ALNUM_END,
    shape: RFC1035,
  },
  // Network tags: RFC 1035, 1-63 (compute API Tags.items).
  networkTag: { what: "network tag", min: 1, max: 63, pattern: LOWER_START_ALNUM_END, shape: RFC1035 },
  // Fleet memberships: [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 (gkehub memberships.create membershipId).
  membership: {
    what: "fleet membership id",
    min: 1,
    max: 63,
    pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    shape: "lower-case letters, digits or hyphens, starting and ending with a letter or digit",
  },
} as const satisfies Record<string, NameRule>;

export type NameKind = keyof typeof NAME_RULES;

/** Why `name` breaks `rule`, or undefined. */
export function nameRuleProblem(rule: NameRule, name: string): string | undefined {
  if (name.length < rule.min || name.length > rule.max) {
    return `${rule.what} "${name}" has ${name.length} characters; GCP allows ${rule.min}-${rule.max}`;
  }
  if (!rule.pattern.test(name)) return `${rule.what} "${name}" must be ${rule.shape}`;
  return undefined;
}

/** GCP names of one cluster's resources. */
export interface ClusterGcpNames {
  readonly gkeCluster: string;
  readonly nodePool: string;
  readonly subnet: string;
  readonly podRange: string;
  readonly serviceRange: string;
  readonly nodeTag: string;
  readonly eastWestAddress: string;
  readonly istiodAddress: string;
  readonly ingressAddress: string;
  readonly fleetMembership: string;
}

export function clusterGcpNames(prefix: string, cluster: string, spot: boolean): ClusterGcpNames {
  const scoped = `${prefix}-${cluster}`;
  return {
    gkeCluster: scoped,
    // Spot is fixed at pool creation: a change makes a new pool under another name, created before the
    // old one is deleted, so workloads move instead of waiting on an empty cluster.
    nodePool: spot ? "mesh-spot-nodes" : "mesh-nodes",
    subnet: scoped,
    podRange: `${cluster}-pods`,
    serviceRange: `${cluster}-services`,
    nodeTag: `${scoped}-node`,
    eastWestAddress: `${scoped}-eastwest`,
    istiodAddress: `${scoped}-istiod`,
    ingressAddress: `${scoped}-ingress`,
    fleetMembership: scoped,
  };
}

/** GCP names of one Istio network's VPC and what hangs off it. */
export interface NetworkGcpNames {
  readonly vpc: string;
  readonly meshPodsFirewall: string;
  readonly webhooksFirewall: string;
  router(region: string): string;
  nat(region: string): string;
  natAddress(region: string, index: number): string;
}

export function networkGcpNames(prefix: string, network: string): NetworkGcpNames {
  const vpc = `${prefix}-${network}`;
  return {
    vpc,
    meshPodsFirewall: `${vpc}-mesh-pods`,
    webhooksFirewall: `${vpc}-webhooks`,
    router: (region) => `${vpc}-${region}`,
    nat: (region) => `${vpc}-${region}`,
    natAddress: (region, index) => `${vpc}-${region}-nat-${index}`,
  };
}

/** The mesh nodes' service account id. */
export const nodeServiceAccountId = (prefix: string) => `${prefix}-nodes`;

/**
 * The name prefix of a stack without `namePrefix`: the stack name when it is a DNS label of at most
 * `max` characters, else its first characters made label-safe plus 4 hex digits of its SHA-256, so two
 * long stack names never share a prefix.
 */
export function defaultNamePrefix(stack: string, max: number): string {
  if (stack.length <= max && LOWER_START_ALNUM_END.test(stack)) return stack;
  const safe = stack
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .replace(/-+/g, "-");
  const head = safe.slice(0, max - 5).replace(/-+$/, "") || "stack";
  return `${head}-${createHash("sha256").update(stack).digest("hex").slice(0, 4)}`;
}
