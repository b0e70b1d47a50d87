// Pure planner: validated config -> MeshPlan. Roles and networks decide which secrets, gateways and
// exposures exist, where samples run and in which order clusters are built; the layers under mesh/ only
// realize these decisions.
import { planRanges } from "../addressing/pools";
import type { ClusterConfig, MeshConfig, Topology } from "../config/schema";
import { regionOf } from "../gcp/locations";
import { placeBoutique, placeHelloworld } from "../samples/placement";
import type { ClusterPlan, IstiodExposure, MeshPlan, SamplesPlan, VpcPlan, WatchEdge } from "./types";

export function vpcName(meshId: string, network: string): string {
  return `${meshId}-${network}`;
}

/** Which clusters each cluster's istiod watches (the remote secret edges). */
export function planWatchEdges(config: {
  topology: Topology;
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

/** Every watch edge of a plan, watcher by watcher in plan order. */
export function watchEdgesOf(plan: Pick<MeshPlan, "clusters">): WatchEdge[] {
  return plan.clusters.flatMap((c) => c.watches.map((described) => ({ watcher: c.name, described })));
}

function istiodExposure(config: MeshConfig, cluster: ClusterConfig, vpcRanges: string[]): IstiodExposure {
  if (cluster.role !== "primary" || config.topology === "multi-primary") return { kind: "none" };
  if (config.topology === "shared-control-plane") {
    // Private exposure on the flat network: only the mesh's own nodes and pods may call istiod.
    return { kind: "internalLoadBalancer", sourceRanges: vpcRanges };
  }
  return { kind: "eastWestGateway" };
}

function planSamples(config: MeshConfig, clusters: readonly ClusterPlan[]): SamplesPlan {
  const names = clusters.map((c) => c.name);
  return {
    ...(config.helloworld ? { helloworld: placeHelloworld(names) } : {}),
    ...(config.onlineBoutique ? { onlineBoutique: placeBoutique(names) } : {}),
    verifyOnUp: config.verifyOnUp,
  };
}

export function planMesh(config: MeshConfig): MeshPlan {
  const networks = [...new Set(config.clusters.map((c) => c.network))];
  const multiNetwork = networks.length > 1;
  const ranges = planRanges(config.clusters);
  const edges = planWatchEdges(config);
  const primary = config.clusters.find((c) => c.role === "primary");
  const vpcRangesOf = (network: string) =>
    config.clusters
      .filter((c) => c.network === network)
      .flatMap((c) => [ranges.get(c.name)!.nodes, ranges.get(c.name)!.pods]);

  const istio = {
    version: config.istioVersion,
    chartRepository: config.istioChartRepository,
    hub: config.istioHub,
  };
  const clusters: ClusterPlan[] = config.clusters.map((c) => {
    const exposure = istiodExposure(config, c, vpcRangesOf(c.network));
    const runsIstiod = c.role === "primary";
    const primaryExposure =
      c.role === "remote" && primary
        ? istiodExposure(config, primary, vpcRangesOf(primary.network))
        : undefined;
    return {
      name: c.name,
      location: c.location,
      region: regionOf(c.location),
      network: c.network,
      vpc: vpcName(config.meshId, c.network),
      role: c.role,
      nodePool: c.nodePool,
      ranges: ranges.get(c.name)!,
      istio,
      nodeTag: `${config.meshId}-${c.name}-node`,
      runsIstiod,
      ...(primary && primaryExposure && primaryExposure.kind !== "none"
        ? { remote: { primary: primary.name, through: primaryExposure.kind } }
        : {}),
      istiodExposure: exposure,
      // Cross-network service traffic needs a gateway in every cluster; a primary that serves remotes
      // through its gateway needs one even when all clusters share a network.
      eastWestGateway: multiNetwork || exposure.kind === "eastWestGateway",
      // Gateways are config: each istiod reads its own cluster, and remotes follow their primary's config.
      crossNetworkGateway: multiNetwork && runsIstiod,
      watches: edges.filter((e) => e.watcher === c.name).map((e) => e.described),
      watchedBy: edges.filter((e) => e.described === c.name).map((e) => e.watcher),
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
    istio,
    gke: {
      releaseChannel: config.releaseChannel,
      deletionProtection: config.deletionProtection,
      privateNodes: config.privateNodes,
    },
    ca: {
      keyAlgorithm: config.caKeyAlgorithm,
      organization: config.caOrganization,
      rootValidityHours: config.caRootValidityHours,
      intermediateValidityHours: config.caIntermediateValidityHours,
      earlyRenewalHours: config.caEarlyRenewalHours,
      ...(config.caRootCertificate !== undefined ? { byoRootCertificate: config.caRootCertificate } : {}),
      intermediates: clusters.filter((c) => c.runsIstiod).map((c) => c.name),
    },
    clusters,
    provisioningOrder: [
      ...clusters.filter((c) => c.runsIstiod),
      ...clusters.filter((c) => !c.runsIstiod),
    ].map((c) => c.name),
    vpcs,
    samples: planSamples(config, clusters),
  };
}

export function clusterByName(plan: Pick<MeshPlan, "clusters">, name: string): ClusterPlan {
  const found = plan.clusters.find((c) => c.name === name);
  if (!found) throw new Error(`plan has no cluster named "${name}"`);
  return found;
}
