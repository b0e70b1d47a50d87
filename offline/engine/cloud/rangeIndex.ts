// The IPv4 ranges of one VPC, with an overlap test in constant time: two CIDR blocks overlap only if one
// contains the other, so it is enough to look up the new block's 33 possible ancestors and whether the
// new block is itself an ancestor of a block already there.
import { formatCidr, type Ipv4Range } from "../../../addressing/cidr";

const blockKey = (start: number, prefix: number) => `${start}/${prefix}`;
const maskTo = (start: number, prefix: number) => start - (start % 2 ** (32 - prefix));

export class RangeIndex<Owner> {
  private readonly blocks = new Map<string, { range: Ipv4Range; owner: Owner }>();
  /** Every block that contains a stored block (the stored ones included), with one block inside it. */
  private readonly containers = new Map<string, { range: Ipv4Range; owner: Owner }>();

  /** A stored block overlapping `range`, if any. */
  conflict(range: Ipv4Range): { cidr: string; owner: Owner } | undefined {
    for (let prefix = 0; prefix <= range.prefix; prefix++) {
      const found = this.blocks.get(blockKey(maskTo(range.start, prefix), prefix));
      if (found) return { cidr: formatCidr(found.range), owner: found.owner };
    }
    const inside = this.containers.get(blockKey(range.start, range.prefix));
    return inside ? { cidr: formatCidr(inside.range), owner: inside.owner } : undefined;
  }

  add(range: Ipv4Range, owner: Owner): void {
    const entry = { range, owner };
    this.blocks.set(blockKey(range.start, range.prefix), entry);
    for (let prefix = 0; prefix <= range.prefix; prefix++) {
      const key = blockKey(maskTo(range.start, prefix), prefix);
      if (!this.containers.has(key)) this.containers.set(key, entry);
    }
  }
}
