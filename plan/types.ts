// The plan: everything the components need to know, decided once, from data, without Pulumi.
import type { ClusterConfig, Role, Topology } from "../config/schema";
import type { ClusterRanges } from "../addressing/pools";

/** How remotes reach the primary's istiod (ports 15012 xDS/CA and 15017 injection webhook). */
export type IstiodExposure =
  | "none"
  /** Gateway `istiod-gateway` + VirtualService `istiod-vs` on the public east-west gateway. */
  | "eastWestGateway"
  /** An internal, globally accessible load balancer Service in the one flat VPC. */
  | "internalLoadBalancer";

export interface ClusterPlan {
  readonly name: string;
  readonly index: number;
  readonly location: string;
  readonly region: string;
  readonly network: string;
  /** Key of the VPC (see VpcPlan.name) this cluster's subnet lives in. */
  readonly vpc: string;
  readonly role: Role;
  readonly nodePool: ClusterConfig["nodePool"];
  readonly ranges: ClusterRanges;
  /** Network tag on this cluster's nodes: the target of the mesh firewall rules. */
  readonly nodeTag: string;
  /** istiod runs here (and so does the `cacerts` plug-in CA). */
  readonly runsIstiod: boolean;
  /** Primary that serves remotes: `global.externalIstiod`. */
  readonly externalIstiod: boolean;
  /** For a remote: the cluster whose istiod controls it. */
  readonly controlPlaneCluster?: string;
  readonly eastWestGateway: boolean;
  /** The `cross-network-gateway` Gateway (15443 AUTO_PASSTHROUGH) is applied in this cluster. */
  readonly crossNetworkGateway: boolean;
  readonly istiodExposure: IstiodExposure;
  /** Clusters whose API servers this cluster's istiod watches: their remote secrets live here. */
  readonly watches: readonly string[];
}

export interface VpcPlan {
  /** Resource and GCP name: `<meshId>-<network>`. */
  readonly name: string;
  readonly network: string;
  readonly clusters: readonly string[];
  /** Regions with mesh nodes: one Cloud NAT router each when nodes are private. */
  readonly regions: readonly string[];
}

export interface WatchEdge {
  /** Cluster whose istiod holds the remote secret. */
  readonly watcher: string;
  /** Cluster the secret describes. */
  readonly described: string;
}

export interface MeshPlan {
  readonly project: string;
  readonly meshId: string;
  readonly topology: Topology;
  readonly istioVersion: string;
  readonly multiNetwork: boolean;
  readonly privateNodes: boolean;
  readonly clusters: readonly ClusterPlan[];
  readonly vpcs: readonly VpcPlan[];
  readonly watchEdges: readonly WatchEdge[];
}
