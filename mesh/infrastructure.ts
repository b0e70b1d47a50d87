// GCP layer of the graph: node identity, one VPC per Istio network of the created clusters, one GKE
// cluster per created cluster; adopted GKE clusters and kubeconfig clusters are only connected to; fleet
// memberships for every GKE cluster when asked.
import type * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { GkeCluster } from "../components/cluster";
import type { ClusterAccess } from "../components/clusterAccess";
import { AdoptedGkeCluster, KubeconfigCluster } from "../components/existingCluster";
import { FleetMembership } from "../components/fleetMembership";
import { MeshNetwork } from "../components/network";
import { formerly } from "../components/formerNames";
import { NodeIdentity } from "../components/nodeIdentity";
import type { ClusterPlan, CreatedClusterPlan, MeshPlan } from "../plan/types";

/** What the GCP layer built or connected for one cluster. */
export interface ClusterInfrastructure {
  readonly access: ClusterAccess;
  /** The component other resources of this cluster (its reserved addresses) hang under. */
  readonly parent: pulumi.Resource;
  /** What pods need before they can be scheduled: the node pool of a created cluster. */
  readonly nodesReady: readonly pulumi.Resource[];
  /** The subnet of a created cluster (internal addresses live there). */
  readonly subnetwork?: gcp.compute.Subnetwork;
  /** The GKE cluster resource, when the program creates it. */
  readonly cluster?: gcp.container.Cluster;
  readonly fleetMembership?: FleetMembership;
}

export interface Infrastructure {
  readonly clusters: ReadonlyMap<string, ClusterInfrastructure>;
  /** Egress addresses of the mesh's private nodes, every VPC and region (empty without private nodes). */
  readonly natAddresses: readonly pulumi.Output<string>[];
}

export function buildInfrastructure(
  meshName: string,
  plan: MeshPlan,
  kubeconfigs: Readonly<Record<string, string>>,
  parent: pulumi.Resource,
): Infrastructure {
  const created = plan.clusters.filter((c): c is CreatedClusterPlan => c.source === "created");
  const networks = new Map(
    plan.vpcs.map((vpc) => [
      vpc.network,
      new MeshNetwork(
        `${meshName}-${vpc.network}`,
        { vpc, clusters: created, privateNodes: plan.gke.privateNodes },
        { parent, ...formerly(vpc.network) },
      ),
    ]),
  );
  const natAddresses = [...networks.values()].flatMap((n) => n.natAddresses);
  const nodeIdentity =
    created.length > 0
      ? new NodeIdentity(
          `${meshName}-node-identity`,
          { project: plan.project, meshId: plan.meshId, accountId: plan.nodeServiceAccountId },
          { parent, ...formerly("node-identity") },
        )
      : undefined;

  // Every cluster's components: named after the mesh and the cluster, found under the cluster's name before.
  const clusterName = (c: ClusterPlan) => `${meshName}-${c.name}`;
  const clusterOpts = (c: ClusterPlan) => ({ parent, ...formerly(c.name) });
  const connect = (c: ClusterPlan): ClusterInfrastructure => {
    if (c.source === "kubeconfig") {
      const kubeconfig = kubeconfigs[c.name];
      if (kubeconfig === undefined) throw new Error(`buildInfrastructure: kubeconfigs has no ${c.name}`);
      const access = new KubeconfigCluster(
        clusterName(c),
        { plan: c, gke: plan.gke, kubeconfig },
        clusterOpts(c),
      );
      return { access, parent: access, nodesReady: [] };
    }
    if (c.source === "gke") {
      const access = new AdoptedGkeCluster(clusterName(c), { plan: c, gke: plan.gke }, clusterOpts(c));
      return { access, parent: access, nodesReady: [] };
    }
    const network = networks.get(c.network)!;
    const subnetwork = network.subnets.get(c.name)!;
    const gke = new GkeCluster(
      clusterName(c),
      {
        plan: c,
        project: plan.project,
        meshId: plan.meshId,
        gke: plan.gke,
        network: network.network.id,
        subnetwork,
        nodeServiceAccount: nodeIdentity!.email,
        nodeIdentityReady: nodeIdentity!.grants,
        meshNatAddresses: natAddresses,
      },
      clusterOpts(c),
    );
    return { access: gke, parent: gke, nodesReady: [gke.nodePool], subnetwork, cluster: gke.cluster };
  };

  const clusters = new Map(
    plan.clusters.map((c) => {
      const built = connect(c);
      const fleetMembership =
        plan.fleet && c.source !== "kubeconfig"
          ? new FleetMembership(
              clusterName(c),
              { plan: c, ...(built.cluster ? { cluster: built.cluster } : {}) },
              clusterOpts(c),
            )
          : undefined;
      return [c.name, { ...built, ...(fleetMembership ? { fleetMembership } : {}) }];
    }),
  );
  return { clusters, natAddresses };
}
