// Every cluster's ranges and every problem with them, from the clusters alone (pure). Explicit ranges win;
// everything else comes from the cluster's slot. Used by validation (the problems) and by the planner (the
// ranges), so both always agree.
import { formatCidr, isPrivate, overlaps, parseCidr, type Ipv4Range } from "./cidr";
import { blockOf, FORBIDDEN_RANGES, POOLS, type ClusterRanges, type PoolName } from "./pools";
import { SLOT_COUNT, slotOf } from "./slots";

export interface RangeRequest {
  name: string;
  /** Where the cluster sits in the config, for messages (`clusters[2]`). */
  field: string;
  slot?: number | undefined;
  nodeCidr?: string | undefined;
  podCidr?: string | undefined;
  serviceCidr?: string | undefined;
}

export interface AddressPlan {
  readonly slots: ReadonlyMap<string, { slot: number; pinned: boolean }>;
  readonly ranges: ReadonlyMap<string, ClusterRanges>;
  readonly problems: readonly string[];
}

/** GKE's accepted prefix lengths for explicit ranges. */
export const RANGE_LIMITS = {
  nodeCidr: { min: 8, max: 29 },
  podCidr: { min: 9, max: 21 },
  serviceCidr: { min: 16, max: 27 },
} as const;
type RangeField = keyof typeof RANGE_LIMITS;
const POOL_OF: Record<RangeField, PoolName> = { nodeCidr: "nodes", podCidr: "pods", serviceCidr: "services" };

interface Claim {
  field: string;
  text: string;
  range: Ipv4Range;
}

export function planAddresses(requests: readonly RangeRequest[], privateNodes: boolean): AddressPlan {
  const problems: string[] = [];
  const slots = new Map(
    requests.map((r) => [r.name, { slot: r.slot ?? slotOf(r.name), pinned: r.slot !== undefined }] as const),
  );
  const usesPool = (r: RangeRequest, pool: PoolName) =>
    pool === "controlPlanes" ? privateNodes : r[fieldOf(pool)!] === undefined;

  // Two clusters may not draw the same block of a pool: report each pair once, with a free slot to pin.
  const reported = new Set<string>();
  const taken = new Set([...slots.values()].map((s) => s.slot));
  for (const pool of Object.keys(POOLS) as PoolName[]) {
    const holder = new Map<number, RangeRequest>();
    for (const r of requests.filter((x) => usesPool(x, pool))) {
      const slot = slots.get(r.name)!.slot;
      const first = holder.get(slot);
      if (!first) holder.set(slot, r);
      if (!first || reported.has(`${first.name}/${r.name}`)) continue;
      reported.add(`${first.name}/${r.name}`);
      const free = freeSlotsNear(slot, taken);
      taken.add(free[0]!);
      problems.push(
        `${r.field}.slot: ${r.field} ${JSON.stringify(r.name)} and ${first.field} ${JSON.stringify(first.name)} ` +
          `both take address slot ${slot} (${r.slot !== undefined ? "pinned" : "derived from the name"}): pin ` +
          `the cluster you are adding to a free slot (slot: ${free.join(" or ")}), or give it explicit ranges`,
      );
    }
  }

  // Explicit ranges: GKE's sizes, private space, clear of each other, of reserved ranges and of blocks in use.
  const explicit: Claim[] = [];
  for (const r of requests) {
    for (const key of Object.keys(RANGE_LIMITS) as RangeField[]) {
      const text = r[key];
      const range = text === undefined ? undefined : parseCidr(text);
      if (text === undefined || range === undefined) continue;
      const field = `${r.field}.${key}`;
      const { min, max } = RANGE_LIMITS[key];
      if (range.prefix < min || range.prefix > max) {
        problems.push(`${field}: "${text}" must have a prefix length between /${min} and /${max}`);
      }
      if (!isPrivate(range)) problems.push(`${field}: "${text}" is not in private (RFC 1918) address space`);
      for (const forbidden of FORBIDDEN_RANGES.filter((f) => overlaps(f.range, range))) {
        problems.push(`${field}: "${text}" overlaps ${formatCidr(forbidden.range)}, ${forbidden.why}`);
      }
      const clash = explicit.find((c) => overlaps(c.range, range));
      if (clash) problems.push(`${field}: "${text}" overlaps ${clash.field} "${clash.text}"`);
      explicit.push({ field, text, range });
    }
  }
  const automatic: Claim[] = requests.flatMap((r) =>
    (Object.keys(POOLS) as PoolName[])
      .filter((pool) => usesPool(r, pool))
      .map((pool) => {
        const range = blockOf(pool, slots.get(r.name)!.slot);
        return { field: `${r.field} (automatic ${pool} range)`, text: formatCidr(range), range };
      }),
  );
  for (const claim of explicit) {
    const clash = automatic.find((a) => overlaps(a.range, claim.range));
    if (clash) {
      problems.push(
        `${claim.field}: "${claim.text}" overlaps ${clash.field} ${clash.text}: pick a range outside it, or pin that cluster's slot elsewhere`,
      );
    }
  }

  const ranges = new Map(
    requests.map((r) => {
      const slot = slots.get(r.name)!.slot;
      return [
        r.name,
        {
          nodes: r.nodeCidr ?? formatCidr(blockOf("nodes", slot)),
          pods: r.podCidr ?? formatCidr(blockOf("pods", slot)),
          services: r.serviceCidr ?? formatCidr(blockOf("services", slot)),
          ...(privateNodes ? { controlPlane: formatCidr(blockOf("controlPlanes", slot)) } : {}),
        },
      ] as const;
    }),
  );
  return { slots, ranges, problems };
}

const fieldOf = (pool: PoolName): RangeField | undefined =>
  (Object.keys(POOL_OF) as RangeField[]).find((f) => POOL_OF[f] === pool);

/** Up to two free slots, nearest first, for the message that asks for a pin. */
function freeSlotsNear(slot: number, taken: ReadonlySet<number>): number[] {
  const free: number[] = [];
  for (let d = 1; d < SLOT_COUNT && free.length < 2; d++) {
    for (const candidate of [(slot + d) % SLOT_COUNT, (slot - d + SLOT_COUNT) % SLOT_COUNT]) {
      if (!taken.has(candidate) && !free.includes(candidate) && free.length < 2) free.push(candidate);
    }
  }
  return free;
}
