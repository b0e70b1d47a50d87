// The plan: everything the resource layers need to know, decided once, from data, without Pulumi. The
// layers under mesh/ and the components read only this (and the secrets handed along with it): they never
// re-derive a decision from the config.
import type {
  CaKeyAlgorithm,
  ReleaseChannel,
  RevisionTag,
  Role,
  RotationStage,
  Topology,
} from "../config/schema";
import type { ClusterRanges } from "../addressing/pools";
import type { ClusterGcpNames } from "../gcp/names";
import type { IstioInstall } from "../istio/artifacts";
import type { GcpResource } from "./resources";
import type {
  BookinfoPlacement,
  BoutiquePlacement,
  HelloworldVersion,
  HttpbinPlacement,
} from "../samples/placement";

/** How a primary's istiod is reached by remote clusters (ports 15012 xDS/CA and 15017 injection webhook). */
export type IstiodExposure =
  | { readonly kind: "none" }
  /**
   * Gateway `istiod-gateway` + VirtualService `istiod-vs` on the primary's public east-west gateway,
   * whose load balancer answers with an IP (GKE, most platforms) or a host name (AWS).
   */
  | { readonly kind: "eastWestGateway"; readonly address: "ip" | "hostname" }
  /** An internal, globally accessible load balancer Service in the one flat VPC, open to these ranges. */
  | { readonly kind: "internalLoadBalancer"; readonly sourceRanges: readonly string[] };

export interface NodePoolPlan {
  readonly machineType: string;
  /** Nodes per zone. */
  readonly nodeCount: number;
  readonly spot: boolean;
  readonly diskSizeGb: number;
}

/**
 * Source ranges of an east-west gateway's load balancer: the mesh's own NAT addresses when every peer
 * reaches it from them, or anywhere, with the reason (README, "Security defaults").
 */
export type EastWestAccess =
  { readonly from: "meshNat" } | { readonly from: "anywhere"; readonly why: string };

/** What a remote cluster needs of its control plane. */
export interface RemoteControl {
  /** The primary whose istiod controls this cluster. */
  readonly primary: string;
  /** How that primary's istiod is exposed: injected pods here wait for that exposure. */
  readonly through: Exclude<IstiodExposure["kind"], "none">;
  /** Whether the primary is reached at an IP or a host name. */
  readonly address: "ip" | "hostname";
}

/**
 * One resource of the Istio layer that something waits for, named by what it is and in which cluster;
 * mesh/istio.ts looks each up and decides nothing.
 */
export type Readiness =
  /** The cluster's nodes: pods need somewhere to run. */
  | { readonly kind: "nodes"; readonly cluster: string }
  /** The cluster's istiod release: its injector and validation webhook (on a remote, the remote profile). */
  | { readonly kind: "istiod"; readonly cluster: string }
  /** The mesh-wide strict-mTLS PeerAuthentication a primary's istiod applies. */
  | { readonly kind: "meshPolicy"; readonly cluster: string }
  /** The one remote Secret the cluster's istiod reads (the kubeconfigs of the clusters it watches). */
  | { readonly kind: "remoteSecret"; readonly cluster: string }
  /** How remotes reach the cluster's istiod: its internal load balancer, or its east-west gateway. */
  | { readonly kind: "istiodExposure"; readonly cluster: string };

export interface GatewayWiring {
  /** Reserved in GCP before anything runs (GKE), or the platform's load balancer's once it runs. */
  readonly address: "reserved" | "loadBalancer";
  /** What its pods wait for. */
  readonly pods: readonly Readiness[];
  /** What its Istio config objects wait for (the CRDs and the validation webhook, not the pods). */
  readonly config: readonly Readiness[];
}

/** What waits for what around one cluster's Istio, decided by the planner (plan/wiring.ts). */
export interface ClusterWiring {
  /** What injected pods here (samples, a remote's gateway) wait for. */
  readonly injectionReady: readonly Readiness[];
  /** Set when the cluster has an east-west gateway. */
  readonly gateway?: GatewayWiring;
  /** Where remotes reach this primary's istiod: its gateway's address, or an internal reserved address. */
  readonly istiodAddress?: "gateway" | "reservedInternal";
}

/** One istiod revision in a cluster: its own istiod release (a primary) or injection config (a remote). */
export interface IstioRevision {
  /**
   * The chart's `revision` value: "" for the unnamed istiod of a mesh built before revisions (Helm release
   * `istiod`, Service `istiod`), otherwise derived from the version (`1-31-1`: release and Service
   * `istiod-1-31-1`).
   */
  readonly name: string;
  /** Chart version and image tag of this revision's releases. */
  readonly version: string;
  /** Tags this revision's istiod release renders (`revisionTags`): each tag is rendered by exactly one. */
  readonly tags: readonly RevisionTag[];
}

/** Which revision each tag points to (by name); prod-canary only while a canary runs. */
export type TagTargets = { readonly "prod-stable": string; readonly "prod-canary"?: string };

/** A cluster's revisions, set once the mesh uses them (`istioRevisions`); absent, one unnamed istiod. */
export interface ClusterRevisions {
  /** Stable first, then the canary (if this cluster runs one). */
  readonly revisions: readonly IstioRevision[];
  readonly tagTargets: TagTargets;
  /** `base`: CRDs follow the newest revision. */
  readonly baseVersion: string;
  /** `base` defaultRevision (the default validation webhook): follows prod-stable; "default" = unnamed. */
  readonly defaultRevision: string;
  /** The tag sample namespaces and the ingress gateway choose (`istio.io/rev`). */
  readonly samplesTag: RevisionTag;
}

/** What every cluster of the mesh has, whoever made it. */
interface ClusterPlanCommon {
  readonly name: string;
  /** The Istio network, and for created clusters the key of their VPC (VpcPlan.network). */
  readonly network: string;
  readonly role: Role;
  /** Istio version, chart repository and image hub of this cluster's releases. */
  readonly istio: IstioInstall;
  /** istiod runs here, with the `cacerts` plug-in CA: every primary. */
  readonly runsIstiod: boolean;
  /** Set on a remote: which primary controls it and through what. */
  readonly remote?: RemoteControl;
  /** Revisions and tags (a remote: its primary's); unset until the mesh configures `istioRevisions`. */
  readonly revisions?: ClusterRevisions;
  /** How remotes reach this cluster's istiod; `none` unless it is a primary that serves remotes. */
  readonly istiodExposure: IstiodExposure;
  readonly eastWestGateway: boolean;
  /** Who may reach the east-west gateway's load balancer. */
  readonly eastWestAccess: EastWestAccess;
  /** The `cross-network-gateway` Gateway (15443 AUTO_PASSTHROUGH) is applied in this cluster. */
  readonly crossNetworkGateway: boolean;
  /** Clusters whose API servers this cluster's istiod watches: their remote secrets live here. */
  readonly watches: readonly string[];
  /** Clusters whose istiod watches this one: they need a reader token here. */
  readonly watchedBy: readonly string[];
  readonly wiring: ClusterWiring;
}

/** A cluster on GKE: it has a place, and GCP addresses (gateways) and a fleet membership can be made for it. */
interface OnGke {
  readonly location: string;
  readonly region: string;
  /** The project the GKE cluster lives in. */
  readonly project: string;
}

/** A GKE cluster the program creates, with its VPC subnet, node pool and address slot. */
export interface CreatedClusterPlan extends ClusterPlanCommon, OnGke {
  readonly source: "created";
  readonly nodePool: NodePoolPlan;
  /** The cluster's address slot: from its name, or pinned in the stack file. */
  readonly slot: { readonly slot: number; readonly pinned: boolean };
  readonly ranges: ClusterRanges;
  /** Physical names of the cluster's GCP resources (gcp/names.ts). */
  readonly gcp: ClusterGcpNames;
}

/** An existing GKE cluster, adopted by name and location: the program creates nothing of GCP's for it but addresses. */
export interface AdoptedGkeClusterPlan extends ClusterPlanCommon, OnGke {
  readonly source: "gke";
  /** GCP names of what the program makes for it; `gkeCluster` is its own name. */
  readonly gcp: Pick<
    ClusterGcpNames,
    "gkeCluster" | "eastWestAddress" | "istiodAddress" | "ingressAddress" | "fleetMembership"
  >;
}

/** Any conformant cluster, reached through a kubeconfig: no GCP resource at all. */
export interface KubeconfigClusterPlan extends ClusterPlanCommon {
  readonly source: "kubeconfig";
  /** Its API server URL, from its kubeconfig's current context (config kubeconfigServers). */
  readonly server: string;
  /** What its platform's load balancers answer with: an IP, or (AWS) a host name. */
  readonly loadBalancerAddress: "ip" | "hostname";
}

export type GkeClusterPlan = CreatedClusterPlan | AdoptedGkeClusterPlan;
export type ClusterPlan = GkeClusterPlan | KubeconfigClusterPlan;

export interface VpcPlan {
  /** The Istio network this VPC carries; also the VPC's key in the plan and its resource name. */
  readonly network: string;
  /** GCP name of the VPC. */
  readonly name: string;
  readonly clusters: readonly string[];
  /** GCP names of its firewall rules; the one for other clusters' pods only with two clusters or more. */
  readonly firewalls: { readonly meshPods?: string; readonly webhooks: string };
  /** Regions with mesh nodes, with their Cloud Router, NAT and NAT address names (private nodes only). */
  readonly regions: readonly {
    readonly region: string;
    readonly router: string;
    readonly nat: string;
    /** Reserved egress addresses, sized in gcp/nat.ts for the region's nodes at peak. */
    readonly natAddresses: readonly string[];
  }[];
}

export interface CaPlan {
  readonly keyAlgorithm: CaKeyAlgorithm;
  /** O= of every certificate. */
  readonly organization: string;
  readonly rootValidityHours: number;
  readonly intermediateValidityHours: number;
  readonly earlyRenewalHours: number;
  /** PEM of the user's own root; its key travels separately, as a secret. Unset: the root is generated. */
  readonly byoRootCertificate?: string;
  /** Clusters that get an intermediate CA (those that run istiod), in plan order. */
  readonly intermediates: readonly string[];
  /** Names the generated root's resources; unset: the first root's names (mesh-ca-root). */
  readonly rootName?: string;
  /** A staged root rotation in progress (pki/rotation.ts says what each stage does). */
  readonly rotation?: CaRotationPlan;
}

/** The root a rotation moves to, and the settings of the intermediates re-issued under it. */
export interface CaRotationPlan {
  /** The last stage applied (the config lists them all). */
  readonly stage: RotationStage;
  readonly newRoot:
    | { readonly kind: "generated"; readonly name: string; readonly validityHours: number }
    | { readonly kind: "byo"; readonly certificate: string };
  /** Key type of a generated new root and of the re-issued intermediates. */
  readonly keyAlgorithm: CaKeyAlgorithm;
  /** O= of a generated new root and of the re-issued intermediates. */
  readonly organization: string;
}

export interface GkePlan {
  readonly releaseChannel: ReleaseChannel;
  readonly deletionProtection: boolean;
  readonly privateNodes: boolean;
  /** Drop a cluster's objects from state when its API server is unreachable (recovery, off by default). */
  readonly deleteUnreachable: boolean;
  /** Operator CIDRs allowed to reach the API servers (the mesh's NAT addresses are added); empty: all. */
  readonly masterAuthorizedNetworks: readonly string[];
}

export interface SamplesPlan {
  /** Version placed in each cluster (every cluster also runs the Service and a curl client). */
  readonly helloworld?: Readonly<Record<string, HelloworldVersion>>;
  readonly onlineBoutique?: BoutiquePlacement;
  /** Bookinfo with reviews-v3 in another cluster than productpage. */
  readonly bookinfo?: BookinfoPlacement;
  /** httpbin in one cluster, its curl client in another. */
  readonly httpbin?: HttpbinPlacement;
  /** Run the traffic check as the last step of `pulumi up`. */
  readonly verifyOnUp: boolean;
}

export interface MeshPlan {
  readonly project: string;
  readonly meshId: string;
  /** Prefix of every GCP name: the stack's scope inside the project. */
  readonly namePrefix: string;
  /** Account id of the mesh nodes' service account. */
  readonly nodeServiceAccountId: string;
  readonly topology: Topology;
  /** The mesh's Istio install (clusters may pin another version). */
  readonly istio: IstioInstall;
  readonly gke: GkePlan;
  readonly ca: CaPlan;
  /** In config order (the order of the stack outputs). */
  readonly clusters: readonly ClusterPlan[];
  /**
   * The order the Istio layer builds clusters in: primaries first, so that what a remote's injected pods
   * wait for (its primary's secret and istiod exposure) already exists when the remote is built.
   */
  readonly provisioningOrder: readonly string[];
  readonly vpcs: readonly VpcPlan[];
  readonly samples: SamplesPlan;
  /** Register every GKE cluster in the project's fleet. */
  readonly fleet: boolean;
  /** Every GCP resource the plan implies, with its name and scope (plan/resources.ts). */
  readonly gcpResources: readonly GcpResource[];
}

/** One remote secret edge: `watcher`'s istiod reads `described`'s API server. */
export interface WatchEdge {
  readonly watcher: string;
  readonly described: string;
}

export const isCreatedPlan = (c: ClusterPlan): c is CreatedClusterPlan => c.source === "created";
