// The GCP resources a mesh implies, from the planner's own decisions: each with the Pulumi type that
// carries the name, the GCP name, where that name must be unique, its project, and what it is made of.
// The plan carries this list (MeshPlan.gcpResources); validation checks every name and the node subnets'
// capacity over it (config/rules.ts), so a resource added here is checked, and one the program registers
// but this list lacks fails test/gcp-resources.test.ts.
import { isCreated, isOnGke } from "../config/clusterKinds";
import type { ClusterConfig, Role, Topology } from "../config/schema";
import { regionOf } from "../gcp/locations";
import { natAddressesByRegion } from "../gcp/nat";
import {
  clusterGcpNames,
  networkGcpNames,
  nodeServiceAccountId,
  type ClusterGcpNames,
  type NameKind,
  type NetworkGcpNames,
} from "../gcp/names";
import { placeBoutique } from "../samples/placement";
import type { IstiodExposure } from "./types";

/** One ingredient of a GCP name: a cluster's setting, the name prefix, or a region. */
export type NamePart =
  | { readonly cluster: string; readonly key: "name" | "network" | "nodePool.spot" }
  | { readonly setting: "namePrefix" }
  | { readonly region: string };

export interface GcpResource {
  /** What the resource is for the mesh: a key of gcp/names.ts's names, or the nodes' service account. */
  readonly what: keyof ClusterGcpNames | keyof NetworkGcpNames | "nodeServiceAccount";
  /** Pulumi type token of what carries the name (for a secondary range or a tag, of what holds it). */
  readonly type: string;
  /** The GCP naming rule the name follows (gcp/names.ts). */
  readonly kind: NameKind;
  readonly name: string;
  /** Where the name must be unique: the project, a region, a zone or region (`location`), or inside another resource. */
  readonly scope: "global" | "region" | "location" | "subnet" | "cluster" | "router" | "fleet";
  /** The region, location, subnet, cluster or router of the scope; "" for global and fleet. */
  readonly within: string;
  readonly project: string;
  /** An internal address: the cluster whose node subnet it is reserved in (that subnet's capacity counts it). */
  readonly inSubnetOf?: string;
  /** What the name is made of, the part a user most likely changes first. */
  readonly madeOf: readonly NamePart[];
}

/** How remotes reach a cluster's istiod, by topology and role (ports 15012 and 15017). */
export function exposureKindOf(topology: Topology, role: Role): IstiodExposure["kind"] {
  if (role !== "primary" || topology === "multi-primary") return "none";
  return topology === "shared-control-plane" ? "internalLoadBalancer" : "eastWestGateway";
}

/**
 * Cross-network service traffic needs a gateway in every cluster; a primary that serves remotes through
 * its gateway needs one even when all clusters share a network.
 */
export const hasEastWestGateway = (multiNetwork: boolean, exposure: IstiodExposure["kind"]) =>
  multiNetwork || exposure === "eastWestGateway";

/** GKE opens a cluster's own pod range to its nodes; a firewall opens the other clusters' on the VPC. */
export const hasMeshPodsFirewall = (clustersOnVpc: number) => clustersOnVpc > 1;

/** Primaries first, whatever the order of the list: samples place their entry points there. */
export const primariesFirst = <C extends { role: Role }>(clusters: readonly C[]): C[] => [
  ...clusters.filter((c) => c.role === "primary"),
  ...clusters.filter((c) => c.role !== "primary"),
];

export interface GcpResourceInput {
  readonly project: string;
  readonly namePrefix: string;
  readonly topology: Topology;
  readonly privateNodes: boolean;
  readonly fleet: boolean;
  readonly onlineBoutique: boolean;
  /** Clusters with unique names (validation passes the first of each name). */
  readonly clusters: readonly ClusterConfig[];
}

const COMPUTE = {
  network: "gcp:compute/network:Network",
  subnet: "gcp:compute/subnetwork:Subnetwork",
  firewall: "gcp:compute/firewall:Firewall",
  router: "gcp:compute/router:Router",
  nat: "gcp:compute/routerNat:RouterNat",
  address: "gcp:compute/address:Address",
} as const;

export function planGcpResources(input: GcpResourceInput): GcpResource[] {
  const { project, namePrefix: prefix, clusters } = input;
  const resources: GcpResource[] = [];
  const add = (r: Omit<GcpResource, "project"> & { project?: string }) => resources.push({ project, ...r });
  const PREFIX: NamePart = { setting: "namePrefix" };
  const created = clusters.filter(isCreated);

  if (created.length > 0) {
    const name = nodeServiceAccountId(prefix);
    add({
      type: "gcp:serviceaccount/account:Account",
      kind: "serviceAccount",
      name,
      what: "nodeServiceAccount",
      scope: "global",
      within: "",
      madeOf: [PREFIX],
    });
  }

  // VPCs, firewalls and NAT exist for the networks of the clusters the program creates.
  const natCounts = natAddressesByRegion(
    created.map((c) => ({ network: c.network, location: c.location, nodeCount: c.nodePool.nodeCount })),
  );
  for (const network of new Set(created.map((c) => c.network))) {
    const members = created.filter((c) => c.network === network);
    const madeOf: NamePart[] = [{ cluster: members[0]!.name, key: "network" }, PREFIX];
    const names = networkGcpNames(prefix, network);
    const global = { kind: "gce", scope: "global", within: "", madeOf } as const;
    add({ type: COMPUTE.network, what: "vpc", name: names.vpc, ...global });
    if (hasMeshPodsFirewall(members.length))
      add({ type: COMPUTE.firewall, what: "meshPodsFirewall", name: names.meshPodsFirewall, ...global });
    if (!input.privateNodes) continue;
    add({ type: COMPUTE.firewall, what: "webhooksFirewall", name: names.webhooksFirewall, ...global });
    for (const region of new Set(members.map((c) => regionOf(c.location)))) {
      const inRegion = { scope: "region", within: region, madeOf: [...madeOf, { region }] } as const;
      const router = names.router(region);
      add({ type: COMPUTE.router, what: "router", kind: "gce", name: router, ...inRegion });
      add({
        type: COMPUTE.nat,
        kind: "nat",
        what: "nat",
        name: names.nat(region),
        ...inRegion,
        scope: "router",
        within: `${region}/${router}`,
      });
      for (let i = 0; i < (natCounts.get(network)?.get(region) ?? 0); i++) {
        add({
          type: COMPUTE.address,
          what: "natAddress",
          kind: "gce",
          name: names.natAddress(region, i),
          ...inRegion,
        });
      }
    }
  }

  const multiNetwork = new Set(clusters.map((c) => c.network)).size > 1;
  const boutiqueFrontend =
    input.onlineBoutique && clusters.length >= 2
      ? placeBoutique(primariesFirst(clusters).map((c) => c.name)).frontendCluster
      : undefined;
  for (const c of clusters) {
    if (!isOnGke(c)) continue; // a kubeconfig cluster has no GCP resource at all
    const region = regionOf(c.location);
    const madeOf: NamePart[] = [{ cluster: c.name, key: "name" }, PREFIX];
    const names = clusterGcpNames(prefix, c.name, c.nodePool?.spot ?? false);
    const inRegion = { kind: "gce", scope: "region", within: region, madeOf } as const;
    // A load balancer takes a static IP only from its cluster's own project (components/reservedAddress.ts).
    const clusterProject = c.project ?? project;
    const address = { type: COMPUTE.address, ...inRegion, project: clusterProject };
    if (input.fleet) {
      add({
        type: "gcp:gkehub/membership:Membership",
        kind: "membership",
        what: "fleetMembership",
        name: names.fleetMembership,
        scope: "fleet",
        within: "",
        project: clusterProject,
        madeOf,
      });
    }
    if (isCreated(c)) {
      add({
        type: "gcp:container/cluster:Cluster",
        kind: "gkeCluster",
        what: "gkeCluster",
        name: names.gkeCluster,
        scope: "location",
        within: c.location,
        madeOf,
      });
      add({
        type: "gcp:container/nodePool:NodePool",
        kind: "nodePool",
        what: "nodePool",
        name: names.nodePool,
        scope: "cluster",
        within: names.gkeCluster,
        madeOf: [{ cluster: c.name, key: "nodePool.spot" }],
      });
      add({ type: COMPUTE.subnet, what: "subnet", name: names.subnet, ...inRegion });
      const ranges = {
        type: `${COMPUTE.subnet}.secondaryIpRanges`,
        kind: "gce",
        scope: "subnet",
        within: names.subnet,
        madeOf: [{ cluster: c.name, key: "name" }],
      } as const;
      add({ what: "podRange", name: names.podRange, ...ranges });
      add({ what: "serviceRange", name: names.serviceRange, ...ranges });
      add({
        type: "gcp:container/cluster:Cluster.nodeConfig.tags",
        kind: "networkTag",
        what: "nodeTag",
        name: names.nodeTag,
        scope: "global",
        within: "",
        madeOf,
      });
    }
    const exposure = exposureKindOf(input.topology, c.role);
    if (hasEastWestGateway(multiNetwork, exposure))
      add({ what: "eastWestAddress", name: names.eastWestAddress, ...address });
    if (exposure === "internalLoadBalancer") {
      add({
        what: "istiodAddress",
        name: names.istiodAddress,
        ...address,
        ...(isCreated(c) ? { inSubnetOf: c.name } : {}),
      });
    }
    if (c.name === boutiqueFrontend) add({ what: "ingressAddress", name: names.ingressAddress, ...address });
  }
  return resources;
}
