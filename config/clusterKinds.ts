// The three kinds of cluster a mesh can hold: created by the program, an existing GKE cluster adopted by
// name and location, or any conformant cluster reached through a kubeconfig.
import type { ClusterConfig, NodePoolConfig } from "./schema";

/** A cluster the program creates: it has a location and (after validation fills it in) a node pool. */
export type CreatedCluster = ClusterConfig & {
  existing?: undefined;
  location: string;
  nodePool: NodePoolConfig;
};
/** An existing GKE cluster: located, in gcp:project unless `project` says otherwise. */
export type AdoptedGkeCluster = ClusterConfig & { existing: "gke"; location: string };
export type KubeconfigCluster = ClusterConfig & { existing: "kubeconfig" };

export const isCreated = (c: ClusterConfig): c is CreatedCluster =>
  c.existing === undefined && c.location !== undefined && c.nodePool !== undefined;
export const isAdoptedGke = (c: ClusterConfig): c is AdoptedGkeCluster =>
  c.existing === "gke" && c.location !== undefined;
/** Runs on GKE (created or adopted): has a location, a region and a GCP project. */
export const isOnGke = (c: ClusterConfig): c is CreatedCluster | AdoptedGkeCluster =>
  isCreated(c) || isAdoptedGke(c);
