// Pure planner: validated config -> MeshPlan. Roles and networks decide which secrets, gateways and
// exposures exist; components never re-derive these decisions.
import type { ClusterConfig, MeshConfig } from "../config/schema";
import { planRanges } from "../addressing/pools";
import { regionOf } from "../gcp/locations";
import type { ClusterPlan, IstiodExposure, MeshPlan, VpcPlan, WatchEdge } from "./types";

export function vpcName(meshId: string, network: string): string {
  return `${meshId}-${network}`;
}

/** Which clusters each cluster's istiod watches (the remote secret edges). */
export function planWatchEdges(config: {
  topology: MeshConfig["topology"];
  clusters: readonly Pick<ClusterConfig, "name" | "role">[];
}): WatchEdge[] {
  const primaries = config.clusters.filter((c) => c.role === "primary");
  return primaries.flatMap((watcher) =>
    config.clusters
      .filter((described) => described.name !== watcher.name)
      // A primary watches every other cluster; in multi-primary the others are primaries too.
      .filter((described) => config.topology === "multi-primary" || described.role === "remote")
      .map((described) => ({ watcher: watcher.name, described: described.name })),
  );
}

function istiodExposure(config: MeshConfig, cluster: ClusterConfig): IstiodExposure {
  if (cluster.role !== "primary" || config.topology === "multi-primary") return "none";
  return config.topology === "shared-control-plane" ? "internalLoadBalancer" : "eastWestGateway";
}

export function planMesh(config: MeshConfig): MeshPlan {
  const networks = [...new Set(config.clusters.map((c) => c.network))];
  const multiNetwork = networks.length > 1;
  const ranges = planRanges(config.clusters);
  const edges = planWatchEdges(config);
  const primary = config.clusters.find((c) => c.role === "primary");

  const clusters: ClusterPlan[] = config.clusters.map((c, index) => {
    const exposure = istiodExposure(config, c);
    const runsIstiod = c.role === "primary";
    return {
      name: c.name,
      index,
      location: c.location,
      region: regionOf(c.location),
      network: c.network,
      vpc: vpcName(config.meshId, c.network),
      role: c.role,
      nodePool: c.nodePool,
      ranges: ranges.get(c.name)!,
      nodeTag: `${config.meshId}-${c.name}-node`,
      runsIstiod,
      externalIstiod: runsIstiod && config.topology !== "multi-primary",
      ...(c.role === "remote" && primary ? { controlPlaneCluster: primary.name } : {}),
      // Cross-network service traffic needs a gateway in every cluster; a primary that serves remotes
      // through its gateway needs one even when all clusters share a network.
      eastWestGateway: multiNetwork || exposure === "eastWestGateway",
      // Gateways are config: each istiod reads its own cluster, and remotes follow their primary's config.
      crossNetworkGateway: multiNetwork && runsIstiod,
      istiodExposure: exposure,
      watches: edges.filter((e) => e.watcher === c.name).map((e) => e.described),
    };
  });

  const vpcs: VpcPlan[] = networks.map((network) => {
    const members = clusters.filter((c) => c.network === network);
    return {
      name: vpcName(config.meshId, network),
      network,
      clusters: members.map((c) => c.name),
      regions: [...new Set(members.map((c) => c.region))],
    };
  });

  return {
    project: config.project,
    meshId: config.meshId,
    topology: config.topology,
    istioVersion: config.istioVersion,
    multiNetwork,
    privateNodes: config.privateNodes,
    clusters,
    vpcs,
    watchEdges: edges,
  };
}

export function clusterByName(plan: MeshPlan, name: string): ClusterPlan {
  const found = plan.clusters.find((c) => c.name === name);
  if (!found) throw new Error(`plan has no cluster named "${name}"`);
  return found;
}
