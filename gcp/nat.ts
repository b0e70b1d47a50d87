// Cloud NAT sizing for private nodes. Every connection a node keeps to one destination (IP, port,
// protocol) needs a NAT port of its own, and cross-network mesh traffic from a node goes to very few
// destinations: the peer east-west gateways' 15443 and istiod's 15012. With the old fixed 64 ports per VM,
// a busy node ran out at about 64 connections per peer. Dynamic port allocation gives each node a floor
// and lets it grow to a ceiling; the reserved addresses are sized so that every node of a region can reach
// the ceiling at the same time.
import { nodesAtPeak } from "../addressing/capacity";
import { defaultZoneCount, regionOf } from "./locations";

/** Ports one NAT address offers (65,536 minus the 1,024 well-known ports). */
export const NAT_PORTS_PER_ADDRESS = 64_512;
/** Each node starts with this many ports (a power of two, at least 32). */
export const NAT_MIN_PORTS_PER_VM = 256;
/** And may grow to this many: concurrent connections to one peer gateway (a power of two). */
export const NAT_MAX_PORTS_PER_VM = 8_192;

/** NAT addresses a region needs so that `peakNodes` nodes can each hold NAT_MAX_PORTS_PER_VM ports. */
export function natAddressCount(peakNodes: number): number {
  return Math.max(1, Math.ceil((peakNodes * NAT_MAX_PORTS_PER_VM) / NAT_PORTS_PER_ADDRESS));
}

/** How many NAT addresses each network needs in each of its regions: `network -> region -> count`. */
export function natAddressesByRegion(
  clusters: readonly { network: string; location: string; nodeCount: number }[],
): Map<string, Map<string, number>> {
  const peaks = new Map<string, Map<string, number>>();
  for (const c of clusters) {
    const regions = peaks.get(c.network) ?? new Map<string, number>();
    const region = regionOf(c.location);
    regions.set(region, (regions.get(region) ?? 0) + nodesAtPeak(c.nodeCount, defaultZoneCount(c.location)));
    peaks.set(c.network, regions);
  }
  return new Map(
    [...peaks].map(([network, regions]) => [
      network,
      new Map([...regions].map(([region, peak]) => [region, natAddressCount(peak)])),
    ]),
  );
}
