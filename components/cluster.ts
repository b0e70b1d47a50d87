// A VPC-native GKE cluster with a separately managed node pool, and the Kubernetes provider that every
// object of this cluster is created through.
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { gcloudKubeconfig } from "../kube/kubeconfig";
import type { ClusterPlan, GkePlan } from "../plan/types";
import { podRangeName, serviceRangeName } from "./network";

export interface GkeClusterArgs {
  plan: ClusterPlan;
  project: string;
  meshId: string;
  /** Mesh-wide GKE settings: release channel, deletion protection, private nodes. */
  gke: GkePlan;
  network: pulumi.Input<string>;
  subnetwork: pulumi.Input<string>;
  /** Least-privilege node identity (see NodeIdentity). */
  nodeServiceAccount: pulumi.Input<string>;
  /** Grants the node identity needs before nodes boot. */
  nodeIdentityReady?: pulumi.Input<pulumi.Resource>[];
}

export class GkeCluster extends pulumi.ComponentResource {
  readonly cluster: gcp.container.Cluster;
  readonly nodePool: gcp.container.NodePool;
  readonly endpoint: pulumi.Output<string>;
  /** Base64 PEM of the cluster CA. */
  readonly caData: pulumi.Output<string>;
  /** gke-gcloud-auth-plugin kubeconfig (secret). */
  readonly kubeconfig: pulumi.Output<string>;
  readonly provider: k8s.Provider;

  constructor(name: string, args: GkeClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("istio-multicluster:gcp:GkeCluster", name, {}, opts);
    const { plan, gke } = args;

    this.cluster = new gcp.container.Cluster(
      plan.name,
      {
        name: plan.name,
        location: plan.location,
        network: args.network,
        subnetwork: args.subnetwork,
        // The default pool cannot be changed in place; drop it and manage our own pool below.
        removeDefaultNodePool: true,
        initialNodeCount: 1,
        networkingMode: "VPC_NATIVE",
        ipAllocationPolicy: {
          clusterSecondaryRangeName: podRangeName(plan.name),
          servicesSecondaryRangeName: serviceRangeName(plan.name),
        },
        workloadIdentityConfig: { workloadPool: `${args.project}.svc.id.goog` },
        releaseChannel: { channel: gke.releaseChannel },
        enableShieldedNodes: true,
        deletionProtection: gke.deletionProtection,
        resourceLabels: { "istio-mesh": args.meshId, "istio-network": plan.network },
        ...(gke.privateNodes
          ? {
              privateClusterConfig: {
                enablePrivateNodes: true,
                // istiod in other clusters reads this API server: keep the public endpoint.
                enablePrivateEndpoint: false,
                masterIpv4CidrBlock: plan.ranges.controlPlane,
                masterGlobalAccessConfig: { enabled: true },
              },
            }
          : {}),
      },
      { parent: this },
    );

    this.nodePool = new gcp.container.NodePool(
      `${plan.name}-nodes`,
      {
        name: `${plan.name}-nodes`,
        cluster: this.cluster.name,
        location: plan.location,
        nodeCount: plan.nodePool.nodeCount,
        management: { autoRepair: true, autoUpgrade: true },
        nodeConfig: {
          machineType: plan.nodePool.machineType,
          spot: plan.nodePool.spot,
          diskSizeGb: plan.nodePool.diskSizeGb,
          serviceAccount: args.nodeServiceAccount,
          oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
          tags: [plan.nodeTag],
          labels: { "istio-network": plan.network },
          shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
          workloadMetadataConfig: { mode: "GKE_METADATA" },
        },
      },
      { parent: this, dependsOn: args.nodeIdentityReady ?? [] },
    );

    this.endpoint = this.cluster.endpoint;
    this.caData = this.cluster.masterAuth.clusterCaCertificate.apply((ca) => ca ?? "");
    const contextName = `gke_${args.project}_${plan.location}_${plan.name}`;
    this.kubeconfig = pulumi.secret(
      pulumi
        .all([this.endpoint, this.caData])
        .apply(([endpoint, caData]) => gcloudKubeconfig({ name: contextName, endpoint, caData })),
    );

    // The provider needs only the API server: namespaces, secrets, tokens and the CRD-only base chart go
    // in while the nodes boot. What runs pods waits for `nodePool` itself (see mesh/istio.ts). The
    // identifier is stable, so a credential refresh never replaces the provider and what it created.
    this.provider = new k8s.Provider(
      plan.name,
      {
        kubeconfig: this.kubeconfig,
        clusterIdentifier: `${args.project}/${plan.location}/${plan.name}`,
        // Secrets are patched in place, not replaced (delete, then create) on a data change: istiod reads
        // a replaced remote Secret as every cluster in it leaving and coming back.
        enableSecretMutable: true,
      },
      { parent: this },
    );

    this.registerOutputs({ endpoint: this.endpoint, kubeconfig: this.kubeconfig });
  }
}
