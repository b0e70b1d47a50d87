// What a mesh takes in a GCP project, as a planner reviews it: the real names, nodes and vCPUs per region,
// reserved addresses, networks, and the Compute Engine quota metric each consumes. Clusters and node pools
// come from the plan; everything else from the recorded resources, so the count is what `pulumi up` makes.
import { defaultZoneCount, regionOf } from "../gcp/locations";
import type { ResourceRecord } from "./graph";
import type { MeshPlan } from "../plan/types";

/**
 * vCPUs of a machine type: predefined `<series>-standard|highmem|highcpu-<n>` types have n, and E2's
 * shared-core types count as 2 (Compute Engine general-purpose machine family,
 * cloud.google.com/compute/docs/general-purpose-machines). Anything else (custom types) is unknown.
 */
export function vcpusOf(machineType: string): number | undefined {
  if (/^e2-(micro|small|medium)$/.test(machineType)) return 2;
  const predefined = /^[a-z][a-z0-9]*-(standard|highmem|highcpu)-(\d+)$/.exec(machineType);
  return predefined ? Number(predefined[2]) : undefined;
}

export interface ClusterFootprint {
  readonly name: string;
  readonly gkeName: string;
  readonly location: string;
  readonly region: string;
  readonly zones: number;
  readonly machineType: string;
  readonly spot: boolean;
  /** Nodes in all zones (nodeCount per zone times zones). */
  readonly nodes: number;
  /** vCPUs of those nodes, undefined for an unknown machine type. */
  readonly vcpus: number | undefined;
  readonly diskGb: number;
}

export interface RegionFootprint {
  /** Regional quotas are per project: an adopted cluster's addresses are reserved in its own project. */
  readonly project: string;
  readonly region: string;
  readonly nodes: number;
  readonly vcpus: number | undefined;
  readonly spotVcpus: number;
  readonly diskGb: number;
  /** What a node pool upgrade adds for its duration: one surge node per zone (GKE's default maxSurge 1). */
  readonly surgeNodes: number;
  readonly surgeVcpus: number | undefined;
  /** Reserved external addresses (gateways, NAT) by GCP name. */
  readonly externalAddresses: readonly string[];
  /** Reserved internal addresses (the private istiod load balancer) by GCP name. */
  readonly internalAddresses: readonly string[];
  /** External IPs in use: the reserved ones, plus one ephemeral per node without privateNodes. */
  readonly inUseAddresses: number;
  readonly zonalClusters: number;
  readonly regionalClusters: number;
}

export interface Footprint {
  readonly project: string;
  readonly clusters: readonly ClusterFootprint[];
  readonly regions: readonly RegionFootprint[];
  /** GCP names by kind, project-wide: networks, subnets, firewalls, routers, NAT, accounts, memberships. */
  readonly names: ReadonlyMap<string, readonly string[]>;
}

const NAMED: [type: string, kind: string][] = [
  ["gcp:compute/network:Network", "networks"],
  ["gcp:compute/subnetwork:Subnetwork", "subnets"],
  ["gcp:compute/firewall:Firewall", "firewalls"],
  ["gcp:compute/router:Router", "routers"],
  ["gcp:compute/routerNat:RouterNat", "Cloud NAT"],
  ["gcp:serviceaccount/account:Account", "service accounts"],
  ["gcp:gkehub/membership:Membership", "fleet memberships"],
];
const ADDRESS = "gcp:compute/address:Address";

const nameOf = (r: ResourceRecord) => {
  const inputs = r.inputs ?? {};
  return String(inputs["name"] ?? inputs["accountId"] ?? inputs["membershipId"] ?? r.name);
};
const sum = (values: readonly (number | undefined)[]) =>
  values.some((v) => v === undefined) ? undefined : values.reduce<number>((a, v) => a + v!, 0);

export function footprintOf(plan: MeshPlan, records: readonly ResourceRecord[]): Footprint {
  const clusters = plan.clusters.flatMap((c): ClusterFootprint[] => {
    if (c.source !== "created") return [];
    const zones = defaultZoneCount(c.location);
    const nodes = c.nodePool.nodeCount * zones;
    const perNode = vcpusOf(c.nodePool.machineType);
    return [
      {
        name: c.name,
        gkeName: c.gcp.gkeCluster,
        location: c.location,
        region: c.region,
        zones,
        machineType: c.nodePool.machineType,
        spot: c.nodePool.spot,
        nodes,
        vcpus: perNode === undefined ? undefined : perNode * nodes,
        diskGb: c.nodePool.diskSizeGb * nodes,
      },
    ];
  });
  const addresses = records.filter((r) => r.custom && r.type === ADDRESS);
  const regionOfAddress = (r: ResourceRecord) => String((r.inputs ?? {})["region"] ?? "");
  const projectOfAddress = (r: ResourceRecord) => String((r.inputs ?? {})["project"] ?? plan.project);
  const isInternal = (r: ResourceRecord) => (r.inputs ?? {})["addressType"] === "INTERNAL";
  const places = new Map<string, { project: string; region: string }>();
  for (const c of clusters)
    places.set(`${plan.project} ${c.region}`, { project: plan.project, region: c.region });
  for (const a of addresses) {
    const [project, region] = [projectOfAddress(a), regionOfAddress(a)];
    places.set(`${project} ${region}`, { project, region });
  }
  const regions = [...places.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, { project, region }]): RegionFootprint => {
      const here = project === plan.project ? clusters.filter((c) => c.region === region) : [];
      const reserved = addresses.filter(
        (a) => regionOfAddress(a) === region && projectOfAddress(a) === project,
      );
      const external = reserved.filter((a) => !isInternal(a)).map(nameOf);
      const nodes = here.reduce((n, c) => n + c.nodes, 0);
      return {
        project,
        region,
        nodes,
        vcpus: sum(here.map((c) => c.vcpus)),
        spotVcpus: here.filter((c) => c.spot).reduce((n, c) => n + (c.vcpus ?? 0), 0),
        diskGb: here.reduce((n, c) => n + c.diskGb, 0),
        surgeNodes: here.reduce((n, c) => n + c.zones, 0),
        surgeVcpus: sum(here.map((c) => (c.vcpus === undefined ? undefined : (c.vcpus / c.nodes) * c.zones))),
        externalAddresses: external,
        internalAddresses: reserved.filter(isInternal).map(nameOf),
        inUseAddresses: external.length + (plan.gke.privateNodes ? 0 : nodes),
        zonalClusters: here.filter((c) => c.zones === 1).length,
        regionalClusters: here.filter((c) => regionOf(c.location) === c.location).length,
      };
    });
  const names = new Map(
    NAMED.map(([type, kind]) => [kind, records.filter((r) => r.custom && r.type === type).map(nameOf)]),
  );
  return { project: plan.project, clusters, regions, names };
}
