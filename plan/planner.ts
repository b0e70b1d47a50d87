// Pure planner: validated config -> MeshPlan. Roles and networks decide which secrets, gateways and
// exposures exist, where samples run and in which order clusters are built; names and address ranges come
// from gcp/names.ts and addressing/ (the same functions validation checks them with). The layers under
// mesh/ only realize these decisions.
import { planAddresses, type AddressPlan } from "../addressing/plan";
import { isCreated } from "../config/clusterKinds";
import type { ClusterConfig, MeshConfig, Topology } from "../config/schema";
import { regionOf } from "../gcp/locations";
import { natAddressesByRegion } from "../gcp/nat";
import { clusterGcpNames, networkGcpNames, nodeServiceAccountId } from "../gcp/names";
import { planClusterRevisions } from "./revisions";
import { placeBookinfo, placeBoutique, placeHelloworld, placeHttpbin } from "../samples/placement";
import {
  exposureKindOf,
  hasEastWestGateway,
  hasMeshPodsFirewall,
  planGcpResources,
  primariesFirst,
} from "./resources";
import { planClusterWiring } from "./wiring";
import type {
  ClusterPlan,
  CaRotationPlan,
  CreatedClusterPlan,
  EastWestAccess,
  IstiodExposure,
  MeshPlan,
  SamplesPlan,
  VpcPlan,
  WatchEdge,
} from "./types";

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

/** What a cluster's load balancers answer with: reserved IPs on GKE, the platform's choice elsewhere. */
const addressKind = (c: ClusterConfig): "ip" | "hostname" =>
  c.existing === "kubeconfig" && c.loadBalancerAddress === "hostname" ? "hostname" : "ip";

function istiodExposure(topology: Topology, cluster: ClusterConfig, vpcRanges: string[]): IstiodExposure {
  const kind = exposureKindOf(topology, cluster.role);
  if (kind === "none") return { kind };
  // Private exposure on the flat network: only the mesh's own nodes and pods may call istiod.
  if (kind === "internalLoadBalancer") return { kind, sourceRanges: vpcRanges };
  return { kind, address: addressKind(cluster) };
}

function eastWestAccess(config: MeshConfig, exposure: IstiodExposure): EastWestAccess {
  if (!config.privateNodes) {
    return { from: "anywhere", why: "nodes egress from ephemeral public IPs, unknown in advance" };
  }
  if (!config.clusters.every(isCreated)) {
    return {
      from: "anywhere",
      why: "existing clusters' nodes egress from addresses this program does not know",
    };
  }
  if (exposure.kind === "eastWestGateway") {
    return {
      from: "anywhere",
      why: "remote clusters' control planes call istiod's injection webhook (15017) from Google's network",
    };
  }
  return { from: "meshNat" };
}

function planSamples(config: MeshConfig, clusters: readonly ClusterPlan[]): SamplesPlan {
  // Primaries first, whatever the order of the list: Istio reads config (the frontend's Gateway and
  // VirtualService) only from primaries, so the storefront and the first helloworld version land there.
  const names = primariesFirst(clusters).map((c) => c.name);
  return {
    ...(config.helloworld ? { helloworld: placeHelloworld(names) } : {}),
    ...(config.onlineBoutique ? { onlineBoutique: placeBoutique(names) } : {}),
    ...(config.bookinfo ? { bookinfo: placeBookinfo(names) } : {}),
    ...(config.httpbin ? { httpbin: placeHttpbin(names) } : {}),
    verifyOnUp: config.verifyOnUp,
  };
}

/** The cluster's own part of the plan: where it runs and what the program builds for it. */
function placed<T extends object>(
  c: ClusterConfig,
  common: T,
  prefix: string,
  project: string,
  addresses: AddressPlan,
  servers: Readonly<Record<string, string>>,
) {
  if (c.existing === "kubeconfig") {
    const server = servers[c.name];
    if (server === undefined) throw new Error(`planMesh: config.kubeconfigServers has no ${c.name}`);
    return {
      ...common,
      source: "kubeconfig" as const,
      server,
      loadBalancerAddress: c.loadBalancerAddress ?? "ip",
    };
  }
  const location = c.location!;
  const names = clusterGcpNames(prefix, c.name, c.nodePool?.spot ?? false);
  const onGke = { location, region: regionOf(location), project: c.project ?? project };
  if (c.existing === "gke") {
    // Its GKE name is its own; what the program makes for it carries the prefix.
    const { eastWestAddress, istiodAddress, ingressAddress, fleetMembership } = names;
    return {
      ...common,
      ...onGke,
      source: "gke" as const,
      gcp: { gkeCluster: c.name, eastWestAddress, istiodAddress, ingressAddress, fleetMembership },
    };
  }
  return {
    ...common,
    ...onGke,
    source: "created" as const,
    nodePool: c.nodePool!,
    slot: addresses.slots.get(c.name)!,
    ranges: addresses.ranges.get(c.name)!,
    gcp: names,
  };
}

/** A rotation's new root with the mesh's CA settings as defaults (validation checked the combination). */
function planRotation(config: MeshConfig): CaRotationPlan {
  const { stages, newRoot } = config.caRotation!;
  return {
    stage: stages.at(-1)!,
    newRoot:
      newRoot.certificate !== undefined
        ? { kind: "byo", certificate: newRoot.certificate }
        : {
            kind: "generated",
            name: newRoot.name!,
            validityHours: newRoot.validityHours ?? config.caRootValidityHours,
          },
    keyAlgorithm: newRoot.keyAlgorithm ?? config.caKeyAlgorithm,
    organization: newRoot.organization ?? config.caOrganization,
  };
}

export function planMesh(config: MeshConfig): MeshPlan {
  const prefix = config.namePrefix;
  const networks = [...new Set(config.clusters.map((c) => c.network))];
  const multiNetwork = networks.length > 1;
  const addresses = planAddresses(
    config.clusters.flatMap((c, i) => (isCreated(c) ? [{ ...c, field: `clusters[${i}]` }] : [])),
    config.privateNodes,
  );
  if (addresses.problems.length > 0) {
    // Validation reports these with their fields; reaching here means a caller skipped it.
    throw new Error(`planMesh: the config was not validated: ${addresses.problems.join("; ")}`);
  }
  const edges = planWatchEdges(config);
  const primary = config.clusters.find((c) => c.role === "primary");
  // Sorted: reordering the cluster list must not rewrite a load balancer's source ranges.
  const vpcRangesOf = (network: string) =>
    config.clusters
      .filter((c) => c.network === network && isCreated(c))
      .flatMap((c) => [addresses.ranges.get(c.name)!.nodes, addresses.ranges.get(c.name)!.pods])
      .sort();
  const meshIstio = {
    version: config.istioVersion,
    chartRepository: config.istioChartRepository,
    hub: config.istioHub,
  };
  // A cluster's own istioVersion stages an upgrade: only its releases change.
  const installOf = (c: ClusterConfig) =>
    c.istioVersion ? { ...meshIstio, version: c.istioVersion } : meshIstio;

  // Revisions exist only once configured: a mesh without istioRevisions keeps its one unnamed istiod.
  const revisionsOf = (c: ClusterConfig) => {
    const settings = config.istioRevisions;
    if (!settings) return {};
    // A remote runs its primary's revisions: the primary's istiod is what each of them is.
    const control = c.role === "remote" && primary ? primary : c;
    const runsCanary = settings.canaryClusters?.includes(control.name) ?? true;
    return {
      revisions: planClusterRevisions(settings, installOf(c).version, installOf(control).version, runsCanary),
    };
  };

  const clusters: ClusterPlan[] = config.clusters.map((c) => {
    const exposure = istiodExposure(config.topology, c, vpcRangesOf(c.network));
    const runsIstiod = c.role === "primary";
    const primaryExposure =
      c.role === "remote" && primary
        ? istiodExposure(config.topology, primary, vpcRangesOf(primary.network))
        : undefined;
    const common = {
      name: c.name,
      network: c.network,
      role: c.role,
      istio: installOf(c),
      runsIstiod,
      ...(primary && primaryExposure && primaryExposure.kind !== "none"
        ? { remote: { primary: primary.name, through: primaryExposure.kind, address: addressKind(primary) } }
        : {}),
      ...revisionsOf(c),
      istiodExposure: exposure,
      eastWestGateway: hasEastWestGateway(multiNetwork, exposure.kind),
      eastWestAccess: eastWestAccess(config, exposure),
      // Gateways are config: each istiod reads its own cluster, and remotes follow their primary's config.
      crossNetworkGateway: multiNetwork && runsIstiod,
      watches: edges.filter((e) => e.watcher === c.name).map((e) => e.described),
      watchedBy: edges.filter((e) => e.described === c.name).map((e) => e.watcher),
    };
    const cluster = placed(c, common, prefix, config.project, addresses, config.kubeconfigServers);
    return { ...cluster, wiring: planClusterWiring(cluster) };
  });
  const created = clusters.filter((c): c is CreatedClusterPlan => c.source === "created");

  const natCounts = natAddressesByRegion(
    created.map((c) => ({ network: c.network, location: c.location, nodeCount: c.nodePool.nodeCount })),
  );
  // VPCs carry the networks of the clusters the program creates; existing clusters bring their own.
  const vpcs: VpcPlan[] = [...new Set(created.map((c) => c.network))].map((network) => {
    const members = created.filter((c) => c.network === network);
    const names = networkGcpNames(prefix, network);
    return {
      network,
      name: names.vpc,
      clusters: members.map((c) => c.name),
      firewalls: {
        ...(hasMeshPodsFirewall(members.length) ? { meshPods: names.meshPodsFirewall } : {}),
        webhooks: names.webhooksFirewall,
      },
      regions: [...new Set(members.map((c) => c.region))].map((region) => ({
        region,
        router: names.router(region),
        nat: names.nat(region),
        natAddresses: Array.from({ length: natCounts.get(network)!.get(region)! }, (_, i) =>
          names.natAddress(region, i),
        ),
      })),
    };
  });

  return {
    project: config.project,
    meshId: config.meshId,
    namePrefix: prefix,
    nodeServiceAccountId: nodeServiceAccountId(prefix),
    topology: config.topology,
    istio: meshIstio,
    gke: {
      releaseChannel: config.releaseChannel,
      deletionProtection: config.deletionProtection,
      privateNodes: config.privateNodes,
      deleteUnreachable: config.deleteUnreachable,
      masterAuthorizedNetworks: config.masterAuthorizedNetworks,
    },
    ca: {
      keyAlgorithm: config.caKeyAlgorithm,
      organization: config.caOrganization,
      rootValidityHours: config.caRootValidityHours,
      intermediateValidityHours: config.caIntermediateValidityHours,
      earlyRenewalHours: config.caEarlyRenewalHours,
      ...(config.caRootCertificate !== undefined ? { byoRootCertificate: config.caRootCertificate } : {}),
      intermediates: clusters.filter((c) => c.runsIstiod).map((c) => c.name),
      ...(config.caRootName !== undefined ? { rootName: config.caRootName } : {}),
      ...(config.caRotation !== undefined ? { rotation: planRotation(config) } : {}),
    },
    clusters,
    provisioningOrder: [
      ...clusters.filter((c) => c.runsIstiod),
      ...clusters.filter((c) => !c.runsIstiod),
    ].map((c) => c.name),
    vpcs,
    samples: planSamples(config, clusters),
    fleet: config.fleet,
    gcpResources: planGcpResources(config),
  };
}

export function clusterByName(plan: Pick<MeshPlan, "clusters">, name: string): ClusterPlan {
  const found = plan.clusters.find((c) => c.name === name);
  if (!found) throw new Error(`plan has no cluster named "${name}"`);
  return found;
}
