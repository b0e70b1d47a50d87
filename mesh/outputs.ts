// The stack outputs: one shape for the program (values are Outputs) and for `npm run verify`, which reads
// them back resolved (`pulumi stack output --json --show-secrets`).
import type { Role, Topology } from "../config/schema";
import type { RotationNotice } from "../pki/rotation";
import type {
  BookinfoService,
  BookinfoWorkload,
  BoutiqueComponent,
  HelloworldVersion,
} from "../samples/placement";

export interface ClusterOutputs<S> {
  name: string;
  /** created, gke (adopted) or kubeconfig. */
  source: "created" | "gke" | "kubeconfig";
  /** GKE clusters only. */
  location?: string;
  role: Role;
  network: string;
  /** API server host, without scheme. */
  endpoint: S;
  /** gke-gcloud-auth-plugin kubeconfig (secret). */
  kubeconfig: S;
  /** The command that points kubectl at a GKE cluster. */
  getCredentials?: string;
  /** The fleet membership of a GKE cluster, with `fleet: true`. */
  fleetMembership?: S;
  /** Clusters this cluster's istiod watches (their remote secrets live here). */
  watches: string[];
  eastWestGatewayAddress?: S;
  /** Where remotes reach this primary's istiod. */
  istiodAddress?: S;
}

export interface HelloworldOutputs {
  namespace: string;
  /** Version each cluster runs. */
  placement: Record<string, HelloworldVersion>;
  /** Clusters with a curl client. */
  clients: string[];
}

export interface OnlineBoutiqueOutputs<S> {
  namespace: string;
  placement: Record<string, readonly BoutiqueComponent[]>;
  remoteServices: Record<string, readonly BoutiqueComponent[]>;
  frontendCluster: string;
  address: S;
  url: S;
}

export interface BookinfoOutputs {
  namespace: string;
  /** Workloads (Deployment names) each cluster runs. */
  placement: Record<string, readonly BookinfoWorkload[]>;
  /** Services each cluster has for apps that run only elsewhere. */
  remoteServices: Record<string, readonly BookinfoService[]>;
  productpageCluster: string;
  reviewsV3Cluster: string;
}

export interface HttpbinOutputs {
  namespace: string;
  /** Runs httpbin. */
  serverCluster: string;
  /** Runs the curl client that calls it. */
  clientCluster: string;
}

export interface SampleOutputs<S> {
  helloworld?: HelloworldOutputs;
  onlineBoutique?: OnlineBoutiqueOutputs<S>;
  bookinfo?: BookinfoOutputs;
  httpbin?: HttpbinOutputs;
}

export interface StackOutputs<S> {
  topology: Topology;
  meshId: string;
  clusters: Record<string, ClusterOutputs<S>>;
  /** PEM of the mesh root CA (public): trust anchor for anything outside the mesh; both roots mid-rotation. */
  rootCertificate: S;
  /** A staged root rotation in progress: its stage and what to restart before the next one. */
  caRotation?: RotationNotice;
  samples: SampleOutputs<S>;
}
