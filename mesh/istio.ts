// Istio layer of the graph: reserved addresses, control planes, istiod exposure, east-west gateways and
// remote secrets, all decided by the plan. Edges here are the ones Istio requires; see the comments.
import type * as pulumi from "@pulumi/pulumi";
import { IstioControlPlane } from "../components/controlPlane";
import { EastWestGateway } from "../components/eastWestGateway";
import { IstiodInternalLoadBalancer } from "../components/istiodInternalLoadBalancer";
import { RemoteAccess } from "../components/remoteAccess";
import { RemoteSecrets } from "../components/remoteSecrets";
import { ReservedAddress } from "../components/reservedAddress";
import { clusterByName } from "../plan/planner";
import type { ClusterPlan, MeshPlan } from "../plan/types";
import type { ClusterContext } from "./context";
import type { Infrastructure } from "./infrastructure";

/** Supplies each istiod cluster's plug-in CA files (see components/meshCa.ts). */
export interface CacertsSource {
  cacertsData(cluster: string): pulumi.Output<Record<string, string>>;
}

export interface IstioLayer {
  contexts: ReadonlyMap<string, ClusterContext>;
  controlPlanes: ReadonlyMap<string, IstioControlPlane>;
  gateways: ReadonlyMap<string, EastWestGateway>;
  /** Where remotes reach istiod, per primary that serves remotes. */
  istiodAddresses: ReadonlyMap<string, pulumi.Output<string>>;
  /** Per watching cluster. */
  remoteSecrets: ReadonlyMap<string, RemoteSecrets>;
  /** Everything cross-cluster traffic relies on beyond each cluster's own control plane. */
  wiring: pulumi.Resource[];
}

function reserveAddresses(plan: MeshPlan, infra: Infrastructure) {
  const gatewayAddresses = new Map<string, pulumi.Output<string>>();
  const istiodAddresses = new Map<string, pulumi.Output<string>>();
  for (const c of plan.clusters) {
    const parent = infra.clusters.get(c.name)!;
    if (c.eastWestGateway) {
      const reserved = new ReservedAddress(
        `${c.name}-eastwest`,
        { region: c.region, addressType: "EXTERNAL", description: `Istio east-west gateway of ${c.name}` },
        { parent },
      );
      gatewayAddresses.set(c.name, reserved.address);
      if (c.istiodExposure === "eastWestGateway") istiodAddresses.set(c.name, reserved.address);
    }
    if (c.istiodExposure === "internalLoadBalancer") {
      const subnet = infra.networks.get(c.vpc)!.subnets.get(c.name)!;
      const reserved = new ReservedAddress(
        `${c.name}-istiod`,
        {
          region: c.region,
          addressType: "INTERNAL",
          subnetwork: subnet.id,
          description: `istiod of ${c.name}`,
        },
        { parent },
      );
      istiodAddresses.set(c.name, reserved.address);
    }
  }
  return { gatewayAddresses, istiodAddresses };
}

export function buildIstio(plan: MeshPlan, infra: Infrastructure, ca: CacertsSource): IstioLayer {
  const { gatewayAddresses, istiodAddresses } = reserveAddresses(plan, infra);
  const providerOf = (name: string) => infra.clusters.get(name)!.provider;

  // Control planes. A remote's values only need the primary's reserved address, not its load balancer:
  // remotes install in parallel with the primary.
  const controlPlanes = new Map(
    plan.clusters.map((c) => [
      c.name,
      new IstioControlPlane(c.name, {
        plan: c,
        meshId: plan.meshId,
        istioVersion: plan.istioVersion,
        provider: providerOf(c.name),
        ...(c.runsIstiod ? { cacerts: ca.cacertsData(c.name) } : {}),
        ...(c.controlPlaneCluster ? { remotePilotAddress: istiodAddresses.get(c.controlPlaneCluster)! } : {}),
      }),
    ]),
  );

  // Private istiod exposure on a flat network, open to the mesh's node and pod ranges only.
  const internalLoadBalancers = new Map(
    plan.clusters
      .filter((c) => c.istiodExposure === "internalLoadBalancer")
      .map((c) => [
        c.name,
        new IstiodInternalLoadBalancer(c.name, {
          plan: c,
          provider: providerOf(c.name),
          address: istiodAddresses.get(c.name)!,
          sourceRanges: plan.clusters
            .filter((o) => o.vpc === c.vpc)
            .flatMap((o) => [o.ranges.nodes, o.ranges.pods]),
          istiod: controlPlanes.get(c.name)!.istiod,
        }),
      ]),
  );

  // One reader token per described cluster, however many clusters watch it.
  const described = [...new Set(plan.watchEdges.map((e) => e.described))];
  const remoteAccess = new Map(
    described.map((name) => [
      name,
      new RemoteAccess(name, {
        clusterName: name,
        endpoint: infra.clusters.get(name)!.endpoint,
        provider: providerOf(name),
        readerAccountReady: controlPlanes.get(name)!.base,
      }),
    ]),
  );
  const remoteSecrets = new Map(
    plan.clusters
      .filter((c) => c.watches.length > 0)
      .map((c) => [
        c.name,
        new RemoteSecrets(c.name, {
          watcher: c.name,
          provider: providerOf(c.name),
          namespace: controlPlanes.get(c.name)!.namespace,
          watched: c.watches.map((name) => ({
            name,
            kubeconfig: remoteAccess.get(name)!.kubeconfig,
            namespace: controlPlanes.get(name)!.namespace,
          })),
        }),
      ]),
  );

  // What injected pods in a cluster wait for. In a remote the webhook is served by the primary's istiod
  // through its exposure, and the primary patches the remote's webhook caBundle only once it holds the
  // remote's secret (istio#42327).
  const gateways = new Map<string, EastWestGateway>();
  const meshReady = (c: ClusterPlan): pulumi.Resource[] => {
    const own = controlPlanes.get(c.name)!;
    if (c.runsIstiod) return [own.istiod, ...(own.peerAuthentication ? [own.peerAuthentication] : [])];
    const primary = clusterByName(plan, c.controlPlaneCluster!);
    const exposure =
      primary.istiodExposure === "internalLoadBalancer"
        ? [internalLoadBalancers.get(primary.name)!.service]
        : [gateways.get(primary.name)!.release, ...gateways.get(primary.name)!.configObjects];
    const secretInPrimary = remoteSecrets.get(primary.name)!.secrets.get(c.name)!;
    return [own.istiod, secretInPrimary, ...exposure];
  };

  // Primaries first, so a remote's gateway can wait for its primary's istiod exposure.
  const ordered = [...plan.clusters].sort((a, b) => Number(b.runsIstiod) - Number(a.runsIstiod));
  for (const c of ordered.filter((o) => o.eastWestGateway)) {
    const own = controlPlanes.get(c.name)!;
    gateways.set(
      c.name,
      new EastWestGateway(c.name, {
        plan: c,
        istioVersion: plan.istioVersion,
        provider: providerOf(c.name),
        address: gatewayAddresses.get(c.name)!,
        // A primary's gateway pods need only its own istiod's injector; a remote's need the whole chain.
        injectionReady: c.runsIstiod ? [own.istiod] : meshReady(c),
        configReady: [own.istiod],
      }),
    );
  }

  const contexts = new Map<string, ClusterContext>(
    plan.clusters.map((c) => [c.name, { plan: c, provider: providerOf(c.name), meshReady: meshReady(c) }]),
  );
  const wiring: pulumi.Resource[] = [
    ...[...gateways.values()].flatMap((g) => [g.release, ...g.configObjects]),
    ...[...internalLoadBalancers.values()].map((lb) => lb.service),
    ...[...remoteSecrets.values()].flatMap((r) => [...r.secrets.values()]),
  ];
  return { contexts, controlPlanes, gateways, istiodAddresses, remoteSecrets, wiring };
}
