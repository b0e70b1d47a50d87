// A VPC-native GKE cluster with a separately managed node pool, and the Kubernetes provider that every
// object of this cluster is created through.
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { gkeKubeconfig, providerSettings, type ClusterAccess } from "./clusterAccess";
import { formerly } from "./formerNames";
import type { CreatedClusterPlan, GkePlan } from "../plan/types";

/** Nodes reach Google APIs with the node account's roles; the scope itself grants nothing more. */
const CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";

export interface GkeClusterArgs {
  plan: CreatedClusterPlan;
  project: string;
  meshId: string;
  /** Mesh-wide GKE settings: release channel, deletion protection, private nodes. */
  gke: GkePlan;
  network: pulumi.Input<string>;
  /** The cluster's subnet: replacing it (new ranges) replaces the cluster. */
  subnetwork: gcp.compute.Subnetwork;
  /** Egress addresses of every private node of the mesh: istiod elsewhere reads this API server from them. */
  meshNatAddresses: readonly pulumi.Input<string>[];
  /** Least-privilege node identity (see NodeIdentity). */
  nodeServiceAccount: pulumi.Input<string>;
  /** Grants the node identity needs before nodes boot. */
  nodeIdentityReady?: pulumi.Input<pulumi.Resource>[];
}

export class GkeCluster extends pulumi.ComponentResource implements ClusterAccess {
  readonly cluster: gcp.container.Cluster;
  readonly nodePool: gcp.container.NodePool;
  readonly endpoint: pulumi.Output<string>;
  readonly server: pulumi.Output<string>;
  /** Base64 PEM of the cluster CA. */
  readonly caData: pulumi.Output<string>;
  /** gke-gcloud-auth-plugin kubeconfig (secret). */
  readonly kubeconfig: pulumi.Output<string>;
  readonly provider: k8s.Provider;

  constructor(name: string, args: GkeClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("istio-multicluster:gcp:GkeCluster", name, {}, opts);
    const { plan, gke } = args;

    this.cluster = new gcp.container.Cluster(
      name,
      {
        name: plan.gcp.gkeCluster,
        location: plan.location,
        network: args.network,
        subnetwork: args.subnetwork.id,
        // The default pool cannot be changed in place; drop it and manage our own pool below.
        removeDefaultNodePool: true,
        initialNodeCount: 1,
        // The default pool boots before it is removed: it runs as the mesh's node account too, because
        // hardened organizations disable the Compute Engine default account and cluster creation fails.
        nodeConfig: {
          serviceAccount: args.nodeServiceAccount,
          oauthScopes: [CLOUD_PLATFORM_SCOPE],
          shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
          workloadMetadataConfig: { mode: "GKE_METADATA" },
        },
        networkingMode: "VPC_NATIVE",
        ipAllocationPolicy: {
          clusterSecondaryRangeName: plan.gcp.podRange,
          servicesSecondaryRangeName: plan.gcp.serviceRange,
        },
        workloadIdentityConfig: { workloadPool: `${args.project}.svc.id.goog` },
        releaseChannel: { channel: gke.releaseChannel },
        enableShieldedNodes: true,
        deletionProtection: gke.deletionProtection,
        resourceLabels: { "istio-mesh": args.meshId, "istio-network": plan.network },
        ...(gke.masterAuthorizedNetworks.length > 0
          ? {
              masterAuthorizedNetworksConfig: {
                cidrBlocks: [
                  ...gke.masterAuthorizedNetworks.map((cidrBlock, i) => ({
                    cidrBlock,
                    displayName: `operator-${i}`,
                  })),
                  ...args.meshNatAddresses.map((ip, i) => ({
                    cidrBlock: pulumi.interpolate`${ip}/32`,
                    displayName: `mesh-nat-${i}`,
                  })),
                ],
              },
            }
          : {}),
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
      // The name is fixed: a replacement (new location, network or ranges) must delete the old cluster
      // first, and with it everything that lives in it. Its subnet keeps its id when it is replaced, so
      // the tie is explicit.
      {
        parent: this,
        deleteBeforeReplace: true,
        replaceWith: [args.subnetwork],
        ...formerly(plan.name),
        // Its default pool's nodes boot with the node account, which needs its role first.
        dependsOn: args.nodeIdentityReady ?? [],
        // The bootstrap nodeConfig is only read at creation. The provider stores what GKE reports for the
        // cluster's first pool instead (nothing once the default pool is gone, later our own pool), and
        // node_config is Optional + Computed + ForceNew (terraform-provider-google schemaNodeConfig()):
        // without this every later `up`, and every `up --refresh`, would replace the cluster.
        ignoreChanges: ["nodeConfig"],
      },
    );

    this.nodePool = new gcp.container.NodePool(
      `${name}-nodes`,
      {
        // The name changes with what forces a new pool (spot), so the new pool comes up first.
        name: plan.gcp.nodePool,
        cluster: this.cluster.name,
        location: plan.location,
        nodeCount: plan.nodePool.nodeCount,
        management: { autoRepair: true, autoUpgrade: true },
        nodeConfig: {
          machineType: plan.nodePool.machineType,
          spot: plan.nodePool.spot,
          diskSizeGb: plan.nodePool.diskSizeGb,
          serviceAccount: args.nodeServiceAccount,
          oauthScopes: [CLOUD_PLATFORM_SCOPE],
          tags: [plan.gcp.nodeTag],
          labels: { "istio-network": plan.network },
          shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
          workloadMetadataConfig: { mode: "GKE_METADATA" },
        },
      },
      // A new cluster has none of the old one's pools (the cluster's name, its input here, stays the same).
      // Deleting a cluster deletes its pools: draining this one first would only add minutes to destroy.
      // Everything running on the nodes (load balancer Services) is still deleted before, in dependency order.
      {
        parent: this,
        dependsOn: args.nodeIdentityReady ?? [],
        replaceWith: [this.cluster],
        deletedWith: this.cluster,
        ...formerly(`${plan.name}-nodes`),
      },
    );

    this.endpoint = this.cluster.endpoint;
    this.server = pulumi.interpolate`https://${this.cluster.endpoint}`;
    this.caData = this.cluster.masterAuth.clusterCaCertificate.apply((ca) => ca ?? "");
    this.kubeconfig = gkeKubeconfig(
      { project: args.project, location: plan.location, gkeCluster: plan.gcp.gkeCluster },
      this.endpoint,
      this.caData,
    );

    // The provider's identity follows the cluster instance: a fixed clusterIdentifier means a new
    // kubeconfig (rotated credentials, a new endpoint IP) only updates the provider, while replaceWith
    // replaces it, and with it every object created through it, whenever the cluster itself is replaced.
    // It needs only the API server: namespaces, secrets, tokens and the CRD-only base chart go in while
    // the nodes boot; what runs pods waits for `nodePool` itself (see mesh/istio.ts).
    this.provider = new k8s.Provider(
      name,
      {
        kubeconfig: this.kubeconfig,
        clusterIdentifier: `${args.project}/${plan.location}/${plan.gcp.gkeCluster}`,
        ...providerSettings(gke),
      },
      { parent: this, replaceWith: [this.cluster], ...formerly(plan.name) },
    );

    this.registerOutputs({ endpoint: this.endpoint, kubeconfig: this.kubeconfig });
  }
}
