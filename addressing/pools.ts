// Deterministic address plan: every cluster gets node, pod and service ranges (and a control plane /28 for
// private clusters) that never overlap anywhere in the mesh, so one flat VPC and several VPCs work alike.
import { formatCidr, nthSubnet, overlaps, parseCidr, subnetCount, type Ipv4Range } from "./cidr";

/** Pools the automatic ranges come from; explicit ranges may sit anywhere in RFC 1918 space. */
export const RESERVED_RANGES = {
  nodes: parseCidr("10.0.0.0/12")!, // /20 per cluster: 4,092 nodes
  services: parseCidr("10.16.0.0/12")!, // /20 per cluster: 4,096 Services
  pods: parseCidr("10.64.0.0/10")!, // /16 per cluster: 256 nodes at 110 pods each
  controlPlanes: parseCidr("172.16.0.0/20")!, // /28 per private cluster (GKE's required size)
} as const;

const BLOCK_PREFIX = { nodes: 20, services: 20, pods: 16, controlPlanes: 28 } as const;
type Pool = keyof typeof BLOCK_PREFIX;

export interface ClusterRanges {
  nodes: string;
  pods: string;
  services: string;
  controlPlane: string;
}

export interface RangeRequest {
  name: string;
  nodeCidr?: string | undefined;
  podCidr?: string | undefined;
  serviceCidr?: string | undefined;
}

/** Hands out the blocks of one pool in order, skipping any block an explicit range already covers. */
class BlockAllocator {
  private next = 0;
  constructor(
    private readonly pool: Pool,
    private readonly taken: readonly Ipv4Range[],
  ) {}

  allocate(forCluster: string): string {
    const parent = RESERVED_RANGES[this.pool];
    const prefix = BLOCK_PREFIX[this.pool];
    const count = subnetCount(parent, prefix);
    while (this.next < count) {
      const candidate = nthSubnet(parent, prefix, this.next++);
      if (!this.taken.some((t) => overlaps(t, candidate))) return formatCidr(candidate);
    }
    throw new Error(
      `address plan: the ${this.pool} pool ${formatCidr(parent)} has no free /${prefix} left for cluster "${forCluster}"`,
    );
  }
}

export function planRanges(clusters: readonly RangeRequest[]): Map<string, ClusterRanges> {
  const explicit = clusters
    .flatMap((c) => [c.nodeCidr, c.podCidr, c.serviceCidr])
    .filter((c): c is string => c !== undefined)
    .map((c) => parseCidr(c)!);
  const allocators = {
    nodes: new BlockAllocator("nodes", explicit),
    pods: new BlockAllocator("pods", explicit),
    services: new BlockAllocator("services", explicit),
    controlPlanes: new BlockAllocator("controlPlanes", explicit),
  };
  return new Map(
    clusters.map((c) => [
      c.name,
      {
        nodes: c.nodeCidr ?? allocators.nodes.allocate(c.name),
        pods: c.podCidr ?? allocators.pods.allocate(c.name),
        services: c.serviceCidr ?? allocators.services.allocate(c.name),
        controlPlane: allocators.controlPlanes.allocate(c.name),
      },
    ]),
  );
}
