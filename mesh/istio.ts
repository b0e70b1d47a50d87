// Istio layer of the graph: reserved addresses, control planes, istiod exposures, east-west gateways and
// remote secrets, one immutable record per cluster. What waits for what is the plan's (ClusterWiring,
// plan/wiring.ts, where the comments say why): this file builds each kind of resource in one pass, in
// the plan's provisioning order, and resolves the plan's Readiness references by looking clusters up.
import * as pulumi from "@pulumi/pulumi";
import { IstioControlPlane } from "../components/controlPlane";
import { EastWestGateway } from "../components/eastWestGateway";
import { formerly } from "../components/formerNames";
import { IstiodInternalLoadBalancer } from "../components/istiodInternalLoadBalancer";
import { RemoteAccess } from "../components/remoteAccess";
import { RemoteSecrets } from "../components/remoteSecrets";
import { ReservedAddress } from "../components/reservedAddress";
import { stageEffects } from "../pki/rotation";
import { clusterByName } from "../plan/planner";
import { UNNAMED_REVISION } from "../plan/revisions";
import type { ClusterPlan, GatewayWiring, MeshPlan, Readiness } from "../plan/types";
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

interface ReservedAddresses {
  readonly gateway?: pulumi.Output<string>;
  readonly istiod?: pulumi.Output<string>;
}

/** Reserved GCP addresses of a GKE cluster's gateway and internal istiod exposure (as the plan says). */
function reserveAddresses(meshName: string, c: ClusterPlan, infra: ClusterInfrastructure): ReservedAddresses {
  const { parent } = infra;
  const gateway =
    c.wiring.gateway?.address === "reserved" && c.source !== "kubeconfig"
      ? new ReservedAddress(
          `${meshName}-${c.name}-eastwest`,
          {
            addressName: c.gcp.eastWestAddress,
            region: c.region,
            project: c.project,
            addressType: "EXTERNAL",
            description: `Istio east-west gateway of ${c.name}`,
          },
          { parent, ...formerly(`${c.name}-eastwest`) },
        ).address
      : undefined;
  const istiod =
    // Reserved for the unnamed istiod's load balancer; named revisions get the platform's (docs/upgrades.md).
    c.wiring.istiodAddress === "reservedInternal" && c.source !== "kubeconfig" && runsUnnamedIstiod(c)
      ? new ReservedAddress(
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
        ).address
      : undefined;
  return { ...(gateway ? { gateway } : {}), ...(istiod ? { istiod } : {}) };
}

const runsUnnamedIstiod = (c: ClusterPlan) =>
  !c.revisions || c.revisions.revisions.some((r) => r.name === UNNAMED_REVISION);

/** A cluster's entry in one of the layer's maps; missing means the plan names it before it is built. */
function lookup<T>(built: ReadonlyMap<string, T>, cluster: string, what: string): T {
  const found = built.get(cluster);
  if (found === undefined) throw new Error(`buildIstio: the plan needs the ${what} of ${cluster}, not built`);
  return found;
}

export function buildIstio(
  meshName: string,
  plan: MeshPlan,
  mesh: Infrastructure,
  ca: CacertsSource,
  parent: pulumi.Resource,
): IstioLayer {
  const infra = (name: string) => lookup(mesh.clusters, name, "infrastructure");
  // Gateways whose every peer egresses from the mesh's NAT admit only those addresses.
  const meshEgress = mesh.natAddresses.map((ip) => pulumi.interpolate`${ip}/32`);
  const ordered = plan.provisioningOrder.map((name) => clusterByName(plan, name));
  // One map per kind of resource, each entry set once, in provisioning order (primaries first).
  const reserved = new Map<string, ReservedAddresses>();
  const controlPlanes = new Map<string, IstioControlPlane>();
  const gateways = new Map<string, EastWestGateway>();
  const readers = new Map<string, RemoteAccess>();
  const secrets = new Map<string, RemoteSecrets>();
  const loadBalancers = new Map<string, IstiodInternalLoadBalancer>();

  const gatewayAddress = (name: string): pulumi.Output<string> | undefined =>
    reserved.get(name)?.gateway ?? gateways.get(name)?.address;
  const istiodAddress = (c: ClusterPlan): pulumi.Output<string> | undefined =>
    c.wiring.istiodAddress === "gateway"
      ? gatewayAddress(c.name)
      : c.wiring.istiodAddress === "reservedInternal"
        ? (reserved.get(c.name)?.istiod ??
          loadBalancers
            .get(c.name)
            ?.addresses.get(c.revisions?.tagTargets["prod-stable"] ?? UNNAMED_REVISION))
        : undefined;
  const resolve = (refs: readonly Readiness[]): pulumi.Resource[] =>
    refs.flatMap((r): pulumi.Resource[] => {
      switch (r.kind) {
        case "nodes":
          return [...infra(r.cluster).nodesReady];
        case "istiod":
          return [lookup(controlPlanes, r.cluster, "control plane").istiod];
        case "meshPolicy": {
          const policy = lookup(controlPlanes, r.cluster, "control plane").peerAuthentication;
          if (!policy) throw new Error(`buildIstio: ${r.cluster} applies no mesh policy`);
          return [policy];
        }
        case "remoteSecret":
          return [lookup(secrets, r.cluster, "remote Secret").secret];
        case "istiodExposure": {
          if (clusterByName(plan, r.cluster).istiodExposure.kind === "internalLoadBalancer")
            return [...lookup(loadBalancers, r.cluster, "istiod load balancer").services.values()];
          const gateway = lookup(gateways, r.cluster, "east-west gateway");
          return [gateway.release, ...gateway.configObjects];
        }
      }
    });
  const buildGateway = (c: ClusterPlan, wiring: GatewayWiring) => {
    const address = reserved.get(c.name)?.gateway;
    gateways.set(
      c.name,
      new EastWestGateway(
        `${meshName}-${c.name}`,
        {
          plan: c,
          provider: infra(c.name).access.provider,
          ...(address ? { address } : {}),
          sourceRanges: c.eastWestAccess.from === "meshNat" ? meshEgress : [],
          injectionReady: resolve(wiring.pods),
          configReady: resolve(wiring.config),
        },
        { parent, ...formerly(c.name) },
      ),
    );
  };
  // A gateway whose pods wait only for what its own control plane holds comes with that control plane:
  // a primary off GKE learns the address its remotes reach istiod at only from its load balancer.
  const withControlPlane = (c: ClusterPlan) =>
    c.wiring.gateway?.pods.every((r) => r.cluster === c.name && r.kind === "istiod") ?? false;

  // Control planes, primaries first. A remote's values need only its primary's istiod address (reserved,
  // or its gateway's): remotes install in parallel with the primary.
  for (const c of ordered) {
    const { access, nodesReady } = infra(c.name);
    reserved.set(c.name, reserveAddresses(meshName, c, infra(c.name)));
    const primaryAddress = c.remote ? istiodAddress(clusterByName(plan, c.remote.primary)) : undefined;
    if (c.remote && !primaryAddress)
      throw new Error(`buildIstio: ${c.remote.primary} has no istiod address for ${c.name}`);
    controlPlanes.set(
      c.name,
      new IstioControlPlane(
        `${meshName}-${c.name}`,
        {
          plan: c,
          meshId: plan.meshId,
          provider: access.provider,
          nodesReady: [...nodesReady],
          istiod: primaryAddress
            ? {
                role: "remote",
                remotePilotAddress: primaryAddress,
                meshRootPem: ca.trustBundlePem,
                revisionAddresses: Object.fromEntries(loadBalancers.get(c.remote!.primary)?.addresses ?? []),
              }
            : {
                role: "primary",
                cacerts: ca.cacertsData(c.name),
                multiRoot: stageEffects(plan.ca.rotation?.stage).multiRoot,
              },
        },
        { parent, ...formerly(c.name) },
      ),
    );
    if (c.wiring.gateway && withControlPlane(c)) buildGateway(c, c.wiring.gateway);
    // Before the remotes: each named revision's load balancer address goes into their values.
    if (c.istiodExposure.kind === "internalLoadBalancer") {
      const address = reserved.get(c.name)?.istiod;
      if (!address && runsUnnamedIstiod(c))
        throw new Error(`buildIstio: ${c.name} has no reserved istiod address`);
      loadBalancers.set(
        c.name,
        new IstiodInternalLoadBalancer(
          `${meshName}-${c.name}`,
          {
            plan: c,
            provider: access.provider,
            ...(address ? { address } : {}),
            sourceRanges: c.istiodExposure.sourceRanges,
            istiod: lookup(controlPlanes, c.name, "control plane").istiodReleases,
          },
          { parent, ...formerly(c.name) },
        ),
      );
    }
  }

  // One reader token per watched cluster, however many clusters watch it.
  for (const c of ordered.filter((o) => o.watchedBy.length > 0)) {
    const { access } = infra(c.name);
    readers.set(
      c.name,
      new RemoteAccess(
        `${meshName}-${c.name}`,
        {
          clusterName: c.name,
          server: access.server,
          provider: access.provider,
          readerAccountReady: lookup(controlPlanes, c.name, "control plane").base,
        },
        { parent, ...formerly(c.name) },
      ),
    );
  }
  for (const c of ordered.filter((o) => o.watches.length > 0)) {
    secrets.set(
      c.name,
      new RemoteSecrets(
        `${meshName}-${c.name}`,
        {
          watcher: c.name,
          provider: infra(c.name).access.provider,
          namespace: lookup(controlPlanes, c.name, "control plane").namespace,
          watched: c.watches.map((name) => ({
            name,
            kubeconfig: lookup(readers, name, "reader token").kubeconfig,
            namespace: lookup(controlPlanes, name, "control plane").namespace,
          })),
        },
        { parent, ...formerly(c.name) },
      ),
    );
  }

  // The gateways that wait for exposures, primaries first.
  for (const c of ordered) {
    if (c.wiring.gateway && !withControlPlane(c)) buildGateway(c, c.wiring.gateway);
  }

  const clusters = new Map<string, ClusterIstio>(
    plan.clusters.map((c): [string, ClusterIstio] => {
      const { access } = infra(c.name);
      const gateway = gateways.get(c.name);
      const internalLoadBalancer = loadBalancers.get(c.name);
      const remoteAccess = readers.get(c.name);
      const remoteSecrets = secrets.get(c.name);
      const ownGatewayAddress = gatewayAddress(c.name);
      const ownIstiodAddress = istiodAddress(c);
      return [
        c.name,
        {
          plan: c,
          controlPlane: lookup(controlPlanes, c.name, "control plane"),
          ...(gateway ? { gateway } : {}),
          ...(internalLoadBalancer ? { internalLoadBalancer } : {}),
          ...(remoteAccess ? { remoteAccess } : {}),
          ...(remoteSecrets ? { remoteSecrets } : {}),
          ...(ownGatewayAddress ? { gatewayAddress: ownGatewayAddress } : {}),
          ...(ownIstiodAddress ? { istiodAddress: ownIstiodAddress } : {}),
          context: {
            plan: c,
            provider: access.provider,
            kubeconfig: access.kubeconfig,
            meshReady: resolve(c.wiring.injectionReady),
          },
        },
      ];
    }),
  );
  const wiring = [...clusters.values()].flatMap((c) => [
    ...(c.gateway ? [c.gateway.release, ...c.gateway.configObjects] : []),
    ...(c.internalLoadBalancer ? c.internalLoadBalancer.services.values() : []),
    ...(c.remoteSecrets ? [c.remoteSecrets.secret] : []),
  ]);
  return { clusters, wiring };
}
