// GCP layer of the graph: node identity, one VPC per Istio network, one GKE cluster per plan entry.
import type * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { GkeCluster } from "../components/cluster";
import { MeshNetwork } from "../components/network";
import { NodeIdentity } from "../components/nodeIdentity";
import type { MeshPlan } from "../plan/types";

/** What the GCP layer built for one cluster. */
export interface ClusterInfrastructure {
  readonly gke: GkeCluster;
  readonly network: MeshNetwork;
  readonly subnetwork: gcp.compute.Subnetwork;
}

export interface Infrastructure {
  readonly clusters: ReadonlyMap<string, ClusterInfrastructure>;
  /** Egress addresses of the mesh's private nodes, every VPC and region (empty without private nodes). */
  readonly natAddresses: readonly pulumi.Output<string>[];
}

export function buildInfrastructure(plan: MeshPlan, parent: pulumi.Resource): Infrastructure {
  const nodeIdentity = new NodeIdentity(
    "node-identity",
    { project: plan.project, meshId: plan.meshId, accountId: plan.nodeServiceAccountId },
    { parent },
  );

  const networks = new Map(
    plan.vpcs.map((vpc) => [
      vpc.network,
      new MeshNetwork(
        vpc.network,
        { vpc, clusters: plan.clusters, privateNodes: plan.gke.privateNodes },
        { parent },
      ),
    ]),
  );

  const natAddresses = [...networks.values()].flatMap((n) => n.natAddresses);
  const clusters = new Map(
    plan.clusters.map((c) => {
      const network = networks.get(c.network)!;
      const subnetwork = network.subnets.get(c.name)!;
      const gke = new GkeCluster(
        c.name,
        {
          plan: c,
          project: plan.project,
          meshId: plan.meshId,
          gke: plan.gke,
          network: network.network.id,
          subnetwork,
          nodeServiceAccount: nodeIdentity.email,
          nodeIdentityReady: nodeIdentity.grants,
          meshNatAddresses: natAddresses,
        },
        { parent },
      );
      return [c.name, { gke, network, subnetwork }];
    }),
  );
  return { clusters, natAddresses };
}
