// What the mesh layers need of any cluster, created or adopted, and what every cluster's provider shares:
// one place for GkeCluster (cluster.ts) and the adopted clusters (existingCluster.ts).
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { gcloudKubeconfig } from "../kube/kubeconfig";
import type { GkePlan } from "../plan/types";

export interface ClusterAccess {
  readonly provider: k8s.Provider;
  /** Kubeconfig of that provider (secret). */
  readonly kubeconfig: pulumi.Output<string>;
  /** API server URL. */
  readonly server: pulumi.Output<string>;
  /** API server host, for the stack outputs. */
  readonly endpoint: pulumi.Output<string>;
}

/** Provider settings every cluster's provider shares. */
export function providerSettings(gke: Pick<GkePlan, "deleteUnreachable">) {
  return {
    // On, `up` and `destroy` drop this cluster's objects from state when its API server cannot be
    // reached (a cluster deleted outside Pulumi). Unset unless configured, so that
    // PULUMI_K8S_DELETE_UNREACHABLE=true still works for a one-off recovery.
    ...(gke.deleteUnreachable ? { deleteUnreachable: true } : {}),
    // Secrets are patched in place, not replaced (delete, then create) on a data change: istiod reads
    // a replaced remote Secret as every cluster in it leaving and coming back.
    enableSecretMutable: true,
  };
}

/** Where a GKE cluster is: its context is named as `gcloud container clusters get-credentials` names it. */
export interface GkeClusterAddress {
  project: string;
  location: string;
  /** The GKE cluster's own (GCP) name. */
  gkeCluster: string;
}

/** The gke-gcloud-auth-plugin kubeconfig of a GKE cluster (secret), created or adopted alike. */
export function gkeKubeconfig(
  at: GkeClusterAddress,
  endpoint: pulumi.Input<string>,
  caData: pulumi.Input<string>,
): pulumi.Output<string> {
  const name = `gke_${at.project}_${at.location}_${at.gkeCluster}`;
  return pulumi.secret(
    pulumi.all([endpoint, caData]).apply(([e, ca]) => gcloudKubeconfig({ name, endpoint: e, caData: ca })),
  );
}
