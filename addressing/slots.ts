// Address slots: every cluster owns one slot, derived from its own name (or pinned in the stack file), and
// every automatic range of the cluster is the slot's block of each pool. A cluster's ranges therefore never
// depend on the other clusters or on the order of the list: adding, removing or reordering clusters leaves
// every other cluster's subnet, cluster and node pool untouched.
import { createHash } from "node:crypto";

export const SLOT_COUNT = 256;

/** The slot a name takes unless pinned: the first byte of the SHA-256 of the name (0-255). */
export function slotOf(name: string): number {
  return createHash("sha256").update(name).digest()[0]!;
}

/**
 * Pins that make a list of clusters collision-free the way the validation message asks: in list order,
 * each cluster keeps its derived (or pinned) slot unless an earlier cluster holds it, and then takes the
 * next free slot. Returns the pins to add, by cluster name.
 */
export function pinsForCollisions(
  clusters: readonly { name: string; slot?: number | undefined }[],
): Map<string, number> {
  const taken = new Set(clusters.filter((c) => c.slot !== undefined).map((c) => c.slot!));
  const pins = new Map<string, number>();
  const held = new Set<number>();
  for (const c of clusters) {
    let slot = c.slot ?? slotOf(c.name);
    if (held.has(slot)) {
      while (held.has(slot) || taken.has(slot)) slot = (slot + 1) % SLOT_COUNT;
      pins.set(c.name, slot);
    }
    held.add(slot);
  }
  return pins;
}
