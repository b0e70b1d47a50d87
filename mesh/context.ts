// What the mesh layers hand each other about one cluster once its control plane exists.
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterPlan } from "../plan/types";

export interface ClusterContext {
  readonly plan: ClusterPlan;
  /** Every Kubernetes object of this cluster is created through this provider, and only this one. */
  readonly provider: k8s.Provider;
  /** The kubeconfig behind that provider (secret): what the traffic check and people use. */
  readonly kubeconfig: pulumi.Output<string>;
  /**
   * Resources that must exist before injected pods start in this cluster: its nodes, istiod (or, on a
   * remote, the remote profile plus the primary holding this cluster's remote secret) and the mesh-wide
   * config.
   */
  readonly meshReady: pulumi.Resource[];
}
