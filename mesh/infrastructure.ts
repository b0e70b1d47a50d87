// GCP layer of the graph: node identity, one VPC per Istio network, one GKE cluster per plan entry.
import type { MeshConfig } from "../config/schema";
import { GkeCluster } from "../components/cluster";
import { MeshNetwork } from "../components/network";
import { NodeIdentity } from "../components/nodeIdentity";
import type { MeshPlan } from "../plan/types";

export interface Infrastructure {
  networks: ReadonlyMap<string, MeshNetwork>;
  clusters: ReadonlyMap<string, GkeCluster>;
}

export function buildInfrastructure(plan: MeshPlan, config: MeshConfig): Infrastructure {
  const nodeIdentity = new NodeIdentity("node-identity", { project: plan.project, meshId: plan.meshId });

  const networks = new Map(
    plan.vpcs.map((vpc) => [
      vpc.name,
      new MeshNetwork(vpc.name, { vpc, clusters: plan.clusters, privateNodes: plan.privateNodes }),
    ]),
  );

  const clusters = new Map(
    plan.clusters.map((c) => {
      const network = networks.get(c.vpc)!;
      const cluster = new GkeCluster(c.name, {
        plan: c,
        project: plan.project,
        meshId: plan.meshId,
        network: network.network.id,
        subnetwork: network.subnets.get(c.name)!.id,
        releaseChannel: config.releaseChannel,
        deletionProtection: config.deletionProtection,
        privateNodes: plan.privateNodes,
        nodeServiceAccount: nodeIdentity.email,
        nodeIdentityReady: nodeIdentity.grants,
      });
      return [c.name, cluster];
    }),
  );

  return { networks, clusters };
}
