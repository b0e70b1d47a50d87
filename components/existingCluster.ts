// Clusters the program adopts instead of creating: an existing GKE cluster, read from GCP by name and
// location, or any conformant cluster through a kubeconfig. Either way the mesh gets what it gets from a
// created cluster: a Kubernetes provider, the kubeconfig behind it (secret) and the API server URL that
// istiod in other clusters reads.
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { endpointOf } from "../kube/kubeconfig";
import { gkeKubeconfig, providerSettings, type ClusterAccess } from "./clusterAccess";
import { formerly } from "./formerNames";
import type { AdoptedGkeClusterPlan, GkePlan, KubeconfigClusterPlan } from "../plan/types";

export interface AdoptedGkeClusterArgs {
  plan: AdoptedGkeClusterPlan;
  gke: GkePlan;
}

export class AdoptedGkeCluster extends pulumi.ComponentResource implements ClusterAccess {
  readonly provider: k8s.Provider;
  readonly kubeconfig: pulumi.Output<string>;
  readonly server: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;

  constructor(name: string, args: AdoptedGkeClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("istio-multicluster:gcp:AdoptedGkeCluster", name, {}, opts);
    const { plan } = args;
    // Read, never managed: `pulumi destroy` leaves the cluster as it found it.
    const cluster = gcp.container.getClusterOutput(
      { name: plan.gcp.gkeCluster, location: plan.location, project: plan.project },
      { parent: this },
    );
    this.endpoint = cluster.endpoint;
    this.server = pulumi.interpolate`https://${cluster.endpoint}`;
    const caData = cluster.masterAuths.apply((auths) => auths[0]?.clusterCaCertificate ?? "");
    this.kubeconfig = gkeKubeconfig(
      { project: plan.project, location: plan.location, gkeCluster: plan.gcp.gkeCluster },
      cluster.endpoint,
      caData,
    );
    this.provider = new k8s.Provider(
      name,
      {
        kubeconfig: this.kubeconfig,
        clusterIdentifier: `${plan.project}/${plan.location}/${plan.gcp.gkeCluster}`,
        ...providerSettings(args.gke),
      },
      { parent: this, ...formerly(plan.name) },
    );
    this.registerOutputs({ endpoint: this.endpoint, kubeconfig: this.kubeconfig });
  }
}

export interface KubeconfigClusterArgs {
  plan: KubeconfigClusterPlan;
  gke: Pick<GkePlan, "deleteUnreachable">;
  /** The cluster's kubeconfig as given (secret); exec plugins work for the program itself. */
  kubeconfig: pulumi.Input<string>;
}

export class KubeconfigCluster extends pulumi.ComponentResource implements ClusterAccess {
  readonly provider: k8s.Provider;
  readonly kubeconfig: pulumi.Output<string>;
  readonly server: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;

  constructor(name: string, args: KubeconfigClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("istio-multicluster:kubernetes:KubeconfigCluster", name, {}, opts);
    this.kubeconfig = pulumi.secret(args.kubeconfig);
    // The plan carries the server its kubeconfig's current context names (kube/kubeconfig.ts).
    const { server } = args.plan;
    this.server = pulumi.output(server);
    this.endpoint = pulumi.output(endpointOf(server));
    // The server names the cluster: a kubeconfig with new credentials updates the provider, a cluster
    // behind another server replaces it and everything created through it.
    this.provider = new k8s.Provider(
      name,
      { kubeconfig: this.kubeconfig, clusterIdentifier: server, ...providerSettings(args.gke) },
      { parent: this, ...formerly(args.plan.name) },
    );
    this.registerOutputs({ endpoint: this.endpoint });
  }
}
