// Istio layer of the graph: reserved addresses, control planes, istiod exposures, east-west gateways and
// remote secrets, one record per cluster, all decided by the plan. Edges here are the ones Istio requires;
// the comments say why.
import * as pulumi from "@pulumi/pulumi";
import { IstioControlPlane } from "../components/controlPlane";
import { EastWestGateway } from "../components/eastWestGateway";
import { formerly } from "../components/formerNames";
import { IstiodInternalLoadBalancer } from "../components/istiodInternalLoadBalancer";
import { RemoteAccess } from "../components/remoteAccess";
import { RemoteSecrets } from "../components/remoteSecrets";
import { ReservedAddress } from "../components/reservedAddress";
import { stageEffects } from "../pki/rotation";
import type { ClusterPlan, MeshPlan } from "../plan/types";
import type { ClusterContext } from "./context";
import type { ClusterInfrastructure, Infrastructure } from "./infrastructure";

/** Supplies each istiod cluster's plug-in CA files (see components/meshCa.ts). */
export interface CacertsSource {
  cacertsData(cluster: string): pulumi.Output<Record<string, string>>;
  /** The roots every cluster trusts (public): what remotes' injection webhooks trust. */
  readonly trustBundlePem: pulumi.Output<string>;
}

/** Everything the Istio layer built in one cluster. */
export interface ClusterIstio {
  readonly plan: ClusterPlan;
  readonly controlPlane: IstioControlPlane;
  readonly gateway?: EastWestGateway;
  readonly internalLoadBalancer?: IstiodInternalLoadBalancer;
  /** The reader token other clusters' istiods use, when some cluster watches this one. */
  readonly remoteAccess?: RemoteAccess;
  /** The one remote Secret this cluster's istiod reads, when it watches other clusters. */
  readonly remoteSecrets?: RemoteSecrets;
  /** Public address of the east-west gateway. */
  readonly gatewayAddress?: pulumi.Output<string>;
  /** Where remotes reach this primary's istiod. */
  readonly istiodAddress?: pulumi.Output<string>;
  readonly context: ClusterContext;
}

export interface IstioLayer {
  readonly clusters: ReadonlyMap<string, ClusterIstio>;
  /** Everything cross-cluster traffic relies on beyond each cluster's own control plane. */
  readonly wiring: readonly pulumi.Resource[];
}

interface Addresses {
  gateway?: pulumi.Output<string>;
  istiod?: pulumi.Output<string>;
}

/** Reserved GCP addresses of a GKE cluster's gateway and istiod exposure (another platform assigns its own). */
function reserveAddresses(meshName: string, c: ClusterPlan, infra: ClusterInfrastructure): Addresses {
  const { parent } = infra;
  const addresses: Addresses = {};
  if (c.source === "kubeconfig") return addresses;
  if (c.eastWestGateway) {
    addresses.gateway = new ReservedAddress(
      `${meshName}-${c.name}-eastwest`,
      {
        addressName: c.gcp.eastWestAddress,
        region: c.region,
        project: c.project,
        addressType: "EXTERNAL",
        description: `Istio east-west gateway of ${c.name}`,
      },
      { parent, ...formerly(`${c.name}-eastwest`) },
    ).address;
    if (c.istiodExposure.kind === "eastWestGateway") addresses.istiod = addresses.gateway;
  }
  if (c.istiodExposure.kind === "internalLoadBalancer") {
    addresses.istiod = new ReservedAddress(
      `${meshName}-${c.name}-istiod`,
      {
        addressName: c.gcp.istiodAddress,
        region: c.region,
        project: c.project,
        addressType: "INTERNAL",
        subnetwork: infra.subnetwork!.id,
        description: `istiod of ${c.name}`,
      },
      { parent, ...formerly(`${c.name}-istiod`) },
    ).address;
  }
  return addresses;
}

/** Mutable while the layer is being built; handed out read-only. */
type Building = { -readonly [K in keyof ClusterIstio]: ClusterIstio[K] };

export function buildIstio(
  meshName: string,
  plan: MeshPlan,
  mesh: Infrastructure,
  ca: CacertsSource,
  parent: pulumi.Resource,
): IstioLayer {
  const infra = mesh.clusters;
  // Gateways whose every peer egresses from the mesh's NAT admit only those addresses.
  const meshEgress = mesh.natAddresses.map((ip) => pulumi.interpolate`${ip}/32`);
  const built = new Map<string, Building>();
  const get = (name: string) => built.get(name)!;
  const ordered = plan.provisioningOrder.map((name) => plan.clusters.find((c) => c.name === name)!);
  // Every component of a cluster: named after the mesh and the cluster, found under the cluster's name before.
  const clusterName = (c: ClusterPlan) => `${meshName}-${c.name}`;
  const clusterOpts = (c: ClusterPlan) => ({ parent, ...formerly(c.name) });

  const gatewayOf = (c: ClusterPlan, own: Building, injectionReady: pulumi.Resource[]) =>
    new EastWestGateway(
      clusterName(c),
      {
        plan: c,
        provider: own.context.provider,
        ...(own.gatewayAddress ? { address: own.gatewayAddress } : {}),
        sourceRanges: c.eastWestAccess.from === "meshNat" ? meshEgress : [],
        injectionReady,
        configReady: [own.controlPlane.istiod],
      },
      clusterOpts(c),
    );

  // Control planes, primaries first. A remote's values need only its primary's reserved address, not its
  // load balancer: remotes install in parallel with the primary. A primary on another platform gets its
  // gateway's address only from its load balancer, so its gateway comes with it (its pods need only its
  // own istiod's injector).
  for (const c of ordered) {
    const { access, nodesReady } = infra.get(c.name)!;
    const addresses = reserveAddresses(meshName, c, infra.get(c.name)!);
    const controlPlane = new IstioControlPlane(
      clusterName(c),
      {
        plan: c,
        meshId: plan.meshId,
        provider: access.provider,
        nodesReady: [...nodesReady],
        istiod: c.remote
          ? {
              role: "remote",
              remotePilotAddress: get(c.remote.primary).istiodAddress!,
              meshRootPem: ca.trustBundlePem,
            }
          : {
              role: "primary",
              cacerts: ca.cacertsData(c.name),
              multiRoot: stageEffects(plan.ca.rotation?.stage).multiRoot,
            },
      },
      clusterOpts(c),
    );
    built.set(c.name, {
      plan: c,
      controlPlane,
      ...(addresses.gateway ? { gatewayAddress: addresses.gateway } : {}),
      ...(addresses.istiod ? { istiodAddress: addresses.istiod } : {}),
      context: {
        plan: c,
        provider: access.provider,
        kubeconfig: access.kubeconfig,
        meshReady: [],
      },
    });
    const own = get(c.name);
    if (c.runsIstiod && c.eastWestGateway) {
      own.gateway = gatewayOf(c, own, [controlPlane.istiod]);
      own.gatewayAddress ??= own.gateway.address;
      if (c.istiodExposure.kind === "eastWestGateway") own.istiodAddress ??= own.gateway.address;
    }
  }

  // One reader token per watched cluster, however many clusters watch it.
  for (const c of ordered.filter((o) => o.watchedBy.length > 0)) {
    const { access } = infra.get(c.name)!;
    get(c.name).remoteAccess = new RemoteAccess(
      clusterName(c),
      {
        clusterName: c.name,
        server: access.server,
        provider: access.provider,
        readerAccountReady: get(c.name).controlPlane.base,
      },
      clusterOpts(c),
    );
  }
  for (const c of ordered.filter((o) => o.watches.length > 0)) {
    get(c.name).remoteSecrets = new RemoteSecrets(
      clusterName(c),
      {
        watcher: c.name,
        provider: get(c.name).context.provider,
        namespace: get(c.name).controlPlane.namespace,
        watched: c.watches.map((name) => ({
          name,
          kubeconfig: get(name).remoteAccess!.kubeconfig,
          namespace: get(name).controlPlane.namespace,
        })),
      },
      clusterOpts(c),
    );
  }

  // Exposures and gateways, primaries first: a remote's injected pods (its gateway too) wait for the
  // primary's exposure.
  for (const c of ordered) {
    const own = get(c.name);
    if (c.istiodExposure.kind === "internalLoadBalancer") {
      own.internalLoadBalancer = new IstiodInternalLoadBalancer(
        clusterName(c),
        {
          plan: c,
          provider: own.context.provider,
          address: own.istiodAddress!,
          sourceRanges: c.istiodExposure.sourceRanges,
          istiod: own.controlPlane.istiod,
        },
        clusterOpts(c),
      );
    }
    own.context.meshReady.push(...meshReady(c, own, infra.get(c.name)!.nodesReady, get));
    // A remote's gateway pods are injected through the primary's exposure: they need the whole chain.
    if (c.eastWestGateway && !c.runsIstiod) {
      own.gateway = gatewayOf(c, own, own.context.meshReady);
      own.gatewayAddress ??= own.gateway.address;
    }
  }

  const clusters = new Map<string, ClusterIstio>(plan.clusters.map((c) => [c.name, get(c.name)]));
  const wiring = [...clusters.values()].flatMap((c) => [
    ...(c.gateway ? [c.gateway.release, ...c.gateway.configObjects] : []),
    ...(c.internalLoadBalancer ? [c.internalLoadBalancer.service] : []),
    ...(c.remoteSecrets ? [c.remoteSecrets.secret] : []),
  ]);
  return { clusters, wiring };
}

/**
 * What injected pods in a cluster wait for: its nodes and istiod. In a remote the webhook is served by
 * the primary's istiod through its exposure, and the primary patches the remote's webhook caBundle only
 * once it holds the remote's kubeconfig (istio#42327): its remote Secret, which holds the other remotes'
 * keys too.
 */
function meshReady(
  c: ClusterPlan,
  own: Building,
  nodes: readonly pulumi.Resource[],
  get: (name: string) => Building,
): pulumi.Resource[] {
  const { controlPlane } = own;
  // Pods need nodes, and the provider needs only the API server (components/cluster.ts).
  if (!c.remote) {
    return [
      ...nodes,
      controlPlane.istiod,
      ...(controlPlane.peerAuthentication ? [controlPlane.peerAuthentication] : []),
    ];
  }
  const primary = get(c.remote.primary);
  const exposure =
    c.remote.through === "internalLoadBalancer"
      ? [primary.internalLoadBalancer!.service]
      : [primary.gateway!.release, ...primary.gateway!.configObjects];
  // The primary's one remote Secret, which holds this remote's key among others.
  if (!primary.remoteSecrets?.clusters.includes(c.name))
    throw new Error(`meshReady ${c.name}: primary ${c.remote.primary} does not watch it`);
  return [...nodes, controlPlane.istiod, primary.remoteSecrets.secret, ...exposure];
}
