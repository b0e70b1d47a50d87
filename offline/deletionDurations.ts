// How long `pulumi destroy` waits for each kind of resource to be deleted: the weights of the destroy
// order's critical path (offline/destroy.ts). Same rule shape and matching as the create times in
// durations.ts; every figure says where it comes from, or that it is an estimate.
import {
  chartIs,
  modelDuration,
  serviceIsLoadBalancer,
  type DurationRule,
  type ModelledDuration,
} from "./durations";

const TF_DESTROY_LOGS =
  "terraform destroy logs: google_compute_firewall 'Destruction complete after 17s/27s', " +
  "google_compute_subnetwork still destroying after 20s (github.com/terraform-google-modules/" +
  "terraform-google-container-vm/pull/31)";

/**
 * Typical delete times. The Kubernetes provider waits until an object is gone (finalizers included), and
 * a Helm release that was installed atomic is uninstalled with Helm's wait (pulumi-kubernetes
 * helm_release.go Delete: `uninstall.Wait = true` when atomic or not skipAwait), so a release owning a
 * LoadBalancer Service returns only once GKE's service controller has removed the load balancer
 * (the `service.kubernetes.io/load-balancer-cleanup` finalizer).
 */
export const DELETION_RULES: readonly DurationRule[] = [
  {
    type: "gcp:container/cluster:Cluster",
    covers: "GKE Standard cluster (control plane, and what is left of its nodes)",
    seconds: 300,
    range: [180, 600],
    source:
      "a destroy still running at 10 min (github.com/GoogleCloudPlatform/gke-enterprise-demo/pull/52) and " +
      "the provider's delete timeout raised to 30 min for it (github.com/hashicorp/terraform-provider-google/" +
      "pull/1745); 5 min is an estimate for a zonal cluster",
  },
  {
    type: "gcp:container/nodePool:NodePool",
    covers: "GKE node pool (drains nodes, deletes the instance group)",
    seconds: 180,
    range: [60, 300],
    source:
      "node pool destroy logs running for minutes (github.com/terraform-google-modules/terraform-google-" +
      "kubernetes-engine/issues/260); 'a few minutes can be saved' by not deleting node pools before the " +
      "cluster (github.com/vanvalenlab/kiosk-console/issues/279); 3 min is an estimate",
  },
  {
    type: "gcp:compute/network:Network",
    covers: "custom-mode VPC",
    seconds: 30,
    range: [15, 60],
    source: "estimate: global Compute operation, tens of seconds",
  },
  {
    type: "gcp:compute/subnetwork:Subnetwork",
    covers: "subnet with secondary ranges",
    seconds: 30,
    range: [20, 45],
    source: TF_DESTROY_LOGS,
  },
  {
    type: "gcp:compute/firewall:Firewall",
    covers: "VPC firewall rule",
    seconds: 20,
    range: [15, 30],
    source: TF_DESTROY_LOGS,
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
    covers: "reserved regional IP address (released once no forwarding rule uses it)",
    seconds: 10,
    range: [5, 20],
    source: "estimate: a regional Compute operation, seconds",
  },
  {
    type: "gcp:compute/globalAddress:GlobalAddress",
    covers: "reserved global IP address",
    seconds: 10,
    range: [5, 20],
    source: "estimate: a global Compute operation, seconds",
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
    range: [5, 30],
    source: "estimate: read-modify-write of the project policy, seconds",
  },
  {
    type: "kubernetes:helm.sh/v3:Release",
    when: chartIs("gateway"),
    covers: "Helm uninstall of a gateway: waits until GKE has removed its load balancer",
    seconds: 90,
    range: [45, 180],
    source:
      "estimate: pod termination plus the service controller deleting forwarding rule, backend and " +
      "firewall rules, about a minute",
  },
  {
    type: "kubernetes:helm.sh/v3:Release",
    when: chartIs("base"),
    covers: "Helm uninstall of Istio's base chart (CRDs and RBAC, no pods)",
    seconds: 10,
    range: [5, 30],
    source: "estimate: API calls only",
  },
  {
    type: "kubernetes:helm.sh/v3:Release",
    covers: "Helm uninstall of a chart with pods (istiod, samples): waits until its objects are gone",
    seconds: 30,
    range: [10, 60],
    source: "estimate: pod termination within the default 30 s grace period",
  },
  {
    type: "kubernetes:core/v1:Service",
    when: serviceIsLoadBalancer,
    covers: "LoadBalancer Service: gone once GKE has removed its load balancer (finalizer)",
    seconds: 60,
    range: [30, 120],
    source: "estimate: the service controller deletes forwarding rule, backend service and health check",
  },
  {
    type: "kubernetes:core/v1:Namespace",
    covers: "Namespace: gone once the namespace controller has removed everything in it",
    seconds: 15,
    range: [5, 60],
    source: "estimate: finalization of the namespace's remaining objects",
  },
  {
    type: "kubernetes:apps/v1:Deployment",
    covers: "Deployment (awaited until it and its pods are gone)",
    seconds: 30,
    range: [5, 60],
    source: "estimate: pod termination within the default 30 s grace period",
  },
  {
    type: "kubernetes:*",
    covers: "other Kubernetes object (secret, config, Istio resource)",
    seconds: 2,
    range: [1, 5],
    source: "estimate: one API server call, seconds",
  },
  {
    type: "tls:*",
    covers: "key, certificate, signing (state only)",
    seconds: 0,
    range: [0, 0],
    source: "local: nothing to delete outside the state",
  },
  {
    type: "command:local:Command",
    covers: "local command without a delete script",
    seconds: 0,
    range: [0, 0],
    source: "nothing runs on delete",
  },
  {
    type: "pulumi:providers:*",
    covers: "provider configuration",
    seconds: 0,
    range: [0, 0],
    source: "no cloud call",
  },
];

/** Typical delete time of one resource (DELETION_RULES). */
export function modelDeletion(type: string, inputs: Record<string, unknown> = {}): ModelledDuration {
  return modelDuration(type, inputs, DELETION_RULES);
}
