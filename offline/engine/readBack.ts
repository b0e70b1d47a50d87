// What each provider stores after an `up` and after a refresh, where it differs from what the program
// sent: the rules that turn the mock cloud's answers into the state a real deployment holds. Every rule
// names its source; types without a rule store what the mock cloud answered (the inputs as sent, plus the
// computed outputs the API fills in, shaped in cloud/*.ts).
import type { DeploymentState, StateEntry } from "./state";
import { withOutputs } from "./state";

/** After the operation that created or updated the resource, or after `pulumi refresh`. */
export type Moment = "apply" | "refresh";

export interface ReadBackRule {
  readonly type: string;
  readonly moments: readonly Moment[];
  /** What the provider stores, in a sentence. */
  readonly what: string;
  readonly source: string;
  /** The stored outputs of the entry after the rule. */
  readBack(entry: StateEntry, state: DeploymentState): Record<string, unknown>;
}

const TPG = "terraform-provider-google-beta (bridged by @pulumi/gcp 9.37)";
const CLUSTER = "gcp:container/cluster:Cluster";
const NODE_POOL = "gcp:container/nodePool:NodePool";

/** GKE's answer for a node config: what the pool was created with, and the defaults the API fills in. */
function reportedNodeConfig(sent: Record<string, unknown>): Record<string, unknown> {
  return {
    diskType: "pd-balanced",
    imageType: "COS_CONTAINERD",
    metadata: { "disable-legacy-endpoints": "true" },
    loggingVariant: "DEFAULT",
    ...sent,
  };
}

/** The cluster's node pools in the state, in the order they were registered (GKE lists the oldest first). */
function poolsOf(cluster: StateEntry, state: DeploymentState): StateEntry[] {
  return [...state.values()].filter(
    (e) =>
      e.type === NODE_POOL &&
      e.outputs["cluster"] === cluster.outputs["name"] &&
      e.outputs["location"] === cluster.outputs["location"] &&
      (e.outputs["project"] ?? "") === (cluster.outputs["project"] ?? ""),
  );
}

const COMPUTE_V1 = "https://www.googleapis.com/compute/v1/";
const asSelfLink = (v: unknown) =>
  typeof v === "string" && v.startsWith("projects/") ? `${COMPUTE_V1}${v}` : v;

/** Compute Engine references the API answers with, stored by the provider as v1 self links. */
const SELF_LINK_FIELDS: Readonly<Record<string, string>> = {
  "gcp:compute/address:Address": "subnetwork",
  "gcp:compute/subnetwork:Subnetwork": "network",
  "gcp:compute/firewall:Firewall": "network",
  "gcp:compute/router:Router": "network",
};

/** Types on which the provider's CustomizeDiff fills in `deletionPolicy` (every GCP type but IAMMember). */
const WITH_DELETION_POLICY = [
  "gcp:compute/network:Network",
  "gcp:compute/subnetwork:Subnetwork",
  "gcp:compute/firewall:Firewall",
  "gcp:compute/address:Address",
  "gcp:compute/router:Router",
  "gcp:compute/routerNat:RouterNat",
  "gcp:container/cluster:Cluster",
  "gcp:container/nodePool:NodePool",
  "gcp:serviceaccount/account:Account",
  "gcp:gkehub/membership:Membership",
];

export const READ_BACK_RULES: readonly ReadBackRule[] = [
  ...Object.entries(SELF_LINK_FIELDS).map(([type, field]): ReadBackRule => ({
    type,
    moments: ["apply", "refresh"],
    what: `${field} is stored as the v1 self link the Compute API answers with`,
    source:
      `${TPG} google-beta/services/compute (the flatten functions of ${field} call ` +
      "tpgresource.ConvertSelfLinkToV1; the field's DiffSuppressFunc CompareSelfLinkOrResourceName " +
      "compares it with the ID the program sends)",
    readBack: (entry) => ({ ...entry.outputs, [field]: asSelfLink(entry.outputs[field]) }),
  })),
  ...WITH_DELETION_POLICY.map((type): ReadBackRule => ({
    type,
    moments: ["apply", "refresh"],
    what: 'deletionPolicy is stored as "DELETE" (Optional + Computed, filled in at plan time)',
    source: `${TPG} deletion_policy fields and the CustomizeDiff that defaults them (facts/gcp-schema.json)`,
    readBack: (entry) => ({ deletionPolicy: "DELETE", ...entry.outputs }),
  })),
  {
    type: "tls:index/locallySignedCert:LocallySignedCert",
    moments: ["apply", "refresh"],
    what: "readyForRenewal stays false until the certificate is within earlyRenewalHours of its end",
    source:
      "terraform-provider-tls internal/provider/common_cert.go (ready_for_renewal is Computed; the " +
      "plan modifier replaces the certificate once it is true)",
    readBack: (entry) => ({ ...entry.outputs, readyForRenewal: false }),
  },
  {
    type: "tls:index/selfSignedCert:SelfSignedCert",
    moments: ["apply", "refresh"],
    what: "readyForRenewal stays false until the certificate is within earlyRenewalHours of its end",
    source: "terraform-provider-tls internal/provider/common_cert.go",
    readBack: (entry) => ({ ...entry.outputs, readyForRenewal: false }),
  },
  {
    type: CLUSTER,
    moments: ["apply"],
    what:
      "nodeConfig is what GKE reports for the cluster's first node pool: with removeDefaultNodePool the " +
      "default pool is deleted inside create, before the provider reads the cluster back, so none is stored",
    source:
      `${TPG} google-beta/services/container/resource_container_cluster.go: resourceContainerClusterCreate ` +
      "deletes default-pool when remove_default_node_pool is set, then Read sets node_config from " +
      'flattenNodeConfig(cluster.NodeConfig); GKE API reference, Cluster.nodeConfig: "For responses, this ' +
      'field will be populated with the node configuration of the first node pool"',
    readBack: (entry) => {
      if (entry.inputs["removeDefaultNodePool"] !== true) return entry.outputs;
      const { nodeConfig: _dropped, ...rest } = entry.outputs;
      void _dropped;
      return rest;
    },
  },
  {
    type: CLUSTER,
    moments: ["refresh"],
    what: "nodeConfig is the node config of the cluster's first node pool, as GKE reports it",
    source:
      `${TPG} resource_container_cluster.go resourceContainerClusterRead (d.Set("node_config", ` +
      "flattenNodeConfig(cluster.NodeConfig, ...))); GKE API reference, Cluster.nodeConfig",
    readBack: (entry, state) => {
      const first = poolsOf(entry, state)[0];
      const { nodeConfig: _created, ...rest } = entry.outputs;
      void _created;
      if (!first) return rest;
      const sent = (first.outputs["nodeConfig"] ?? {}) as Record<string, unknown>;
      return { ...rest, nodeConfig: reportedNodeConfig(sent) };
    },
  },
  {
    type: NODE_POOL,
    moments: ["apply", "refresh"],
    what: "nodeConfig holds GKE's defaults for what the program leaves unset (disk type, image, metadata)",
    source:
      `${TPG} google-beta/services/container/node_config.go (disk_type, image_type, metadata are Optional + ` +
      "Computed); GKE API reference, NodeConfig (diskType pd-balanced, imageType COS_CONTAINERD, " +
      'metadata "disable-legacy-endpoints": "true")',
    readBack: (entry) => ({
      ...entry.outputs,
      nodeConfig: reportedNodeConfig((entry.outputs["nodeConfig"] ?? {}) as Record<string, unknown>),
    }),
  },
  {
    type: "kubernetes:helm.sh/v3:Release",
    moments: ["refresh"],
    what: "a refresh keeps the release's inputs and reads its status back",
    source: "pulumi-kubernetes provider/pkg/provider/helm_release.go Read (returns the old inputs)",
    readBack: (entry) => entry.outputs,
  },
];

/** A Kubernetes object's inputs after a refresh: the live object pruned to the keys the program sent. */
export const KUBERNETES_REFRESH_SOURCE =
  "pulumi-kubernetes provider/pkg/provider/provider.go Read (pruneLiveState(liveObj, oldInputs))";

function pruneTo(live: unknown, sent: unknown): unknown {
  if (typeof sent !== "object" || sent === null || Array.isArray(sent)) return live;
  if (typeof live !== "object" || live === null || Array.isArray(live)) return undefined;
  const liveRecord = live as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(sent)
      .filter((k) => liveRecord[k] !== undefined)
      .map((k) => [k, pruneTo(liveRecord[k], (sent as Record<string, unknown>)[k])]),
  );
}

/** The state after an operation (`apply`) or a refresh, with every rule applied. */
export function readBack(state: DeploymentState, moment: Moment): DeploymentState {
  const result = new Map<string, StateEntry>();
  for (const [urn, entry] of state) {
    let next = entry;
    for (const rule of READ_BACK_RULES) {
      if (rule.type === entry.type && rule.moments.includes(moment)) {
        next = withOutputs(next, rule.readBack(next, state));
      }
    }
    if (moment === "refresh" && isKubernetesObject(entry.type)) {
      next = { ...next, inputs: pruneTo(next.outputs, next.inputs) as Record<string, unknown> };
    }
    result.set(urn, next);
  }
  return result;
}

const isKubernetesObject = (type: string) =>
  type.startsWith("kubernetes:") && type !== "kubernetes:helm.sh/v3:Release";
