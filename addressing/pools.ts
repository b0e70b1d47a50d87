// The automatic address plan: one block per slot in each pool, sized for a comfortable cluster, all in
// RFC 1918 space and clear of 172.17.0.0/16 (the Docker bridge range GKE refuses).
import { formatCidr, nthSubnet, parseCidr, type Ipv4Range } from "./cidr";
import { SLOT_COUNT } from "./slots";

export interface Pool {
  readonly range: Ipv4Range;
  /** Prefix length of each slot's block. */
  readonly prefix: number;
  readonly purpose: string;
}

const pool = (cidr: string, prefix: number, purpose: string): Pool => ({
  range: parseCidr(cidr)!,
  prefix,
  purpose,
});

/** Each pool holds exactly SLOT_COUNT blocks. */
export const POOLS = {
  pods: pool("10.0.0.0/8", 16, "pods: a /16 per cluster holds 256 nodes at 110 pods (a /24) per node"),
  services: pool("172.20.0.0/14", 22, "Services: a /22 per cluster, 1,024 ClusterIPs"),
  nodes: pool("172.24.0.0/14", 22, "nodes: a /22 per cluster, 1,020 node addresses"),
  controlPlanes: pool(
    "172.28.0.0/20",
    28,
    "private control planes: the /28 GKE requires, private clusters only",
  ),
} as const;
export type PoolName = keyof typeof POOLS;

/** Ranges GKE and Docker keep for themselves: no cluster range may touch them. */
export const FORBIDDEN_RANGES = [
  { range: parseCidr("172.17.0.0/16")!, why: "the Docker bridge range GKE reserves" },
];

export function blockOf(poolName: PoolName, slot: number): Ipv4Range {
  if (!Number.isInteger(slot) || slot < 0 || slot >= SLOT_COUNT) throw new RangeError(`no slot ${slot}`);
  const { range, prefix } = POOLS[poolName];
  return nthSubnet(range, prefix, slot);
}

export const blockText = (poolName: PoolName, slot: number) => formatCidr(blockOf(poolName, slot));

export interface ClusterRanges {
  readonly nodes: string;
  readonly pods: string;
  readonly services: string;
  /** The private control plane's /28, on private clusters only. */
  readonly controlPlane?: string;
}
