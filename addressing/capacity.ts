// Whether a cluster's ranges can hold its nodes. GKE gives every node a pod block sized from its maximum
// pods (110 by default: a /24), and node pools surge by one node per zone while they upgrade.
import { parseCidr } from "./cidr";

/** GKE's default maximum pods per node, and the per-node pod block it implies. */
export const MAX_PODS_PER_NODE = 110;
export const NODE_POD_BLOCK_PREFIX = 24;
/** Addresses GCP keeps in every subnet's primary range (network, gateway, second-to-last, broadcast). */
export const SUBNET_RESERVED_ADDRESSES = 4;

/** Nodes a pool may have at once: nodeCount per zone, plus the surge node of an upgrade in each zone. */
export const nodesAtPeak = (nodeCount: number, zones: number) => (nodeCount + 1) * zones;

/** How many nodes a pod range can give a pod block to. */
export function podRangeCapacity(podCidr: string): number {
  const prefix = parseCidr(podCidr)!.prefix;
  return prefix <= NODE_POD_BLOCK_PREFIX ? 2 ** (NODE_POD_BLOCK_PREFIX - prefix) : 0;
}

/** How many addresses a subnet's primary range has for nodes and internal load balancers. */
export function subnetCapacity(nodeCidr: string): number {
  return Math.max(0, 2 ** (32 - parseCidr(nodeCidr)!.prefix) - SUBNET_RESERVED_ADDRESSES);
}

export interface CapacityRequest {
  field: string;
  nodeCount: number;
  zones: number;
  pods: string;
  nodes: string;
  /** Internal addresses reserved in the node subnet (the private istiod load balancer). */
  internalAddresses: number;
}

export function capacityProblems(r: CapacityRequest): string[] {
  const problems: string[] = [];
  const peak = nodesAtPeak(r.nodeCount, r.zones);
  const where = `${r.nodeCount} node${r.nodeCount === 1 ? "" : "s"} in each of ${r.zones} zone${r.zones === 1 ? "" : "s"}, plus a surge node per zone while upgrading`;
  const pods = podRangeCapacity(r.pods);
  if (peak > pods) {
    problems.push(
      `${r.field}.nodePool.nodeCount: ${where}, need ${peak} pod blocks of /${NODE_POD_BLOCK_PREFIX} (${MAX_PODS_PER_NODE} pods per node); ` +
        `the pod range ${r.pods} holds ${pods}: give ${r.field}.podCidr a larger range, or use fewer nodes`,
    );
  }
  const addresses = subnetCapacity(r.nodes);
  if (peak + r.internalAddresses > addresses) {
    problems.push(
      `${r.field}.nodePool.nodeCount: ${where}, need ${peak + r.internalAddresses} addresses in the node range ` +
        `${r.nodes}, which has ${addresses}: give ${r.field}.nodeCidr a larger range, or use fewer nodes`,
    );
  }
  return problems;
}
