// GCP locations: zones and regions as GKE takes them, checked against the table in locations.json (its
// source, date and how to refresh it by hand are in the file).
import table from "./locations.json";

export interface LocationTable {
  readonly source: string;
  readonly retrieved: string;
  readonly refresh: string;
  /** Region -> zone suffixes (`us-east1` -> ["b", "c", "d"]). */
  readonly regions: Readonly<Record<string, readonly string[]>>;
}

export const LOCATIONS: LocationTable = table;

/** "us-east1-b" -> "us-east1"; a region stays itself. */
export function regionOf(location: string): string {
  return /-[a-z]$/.test(location) ? location.slice(0, -2) : location;
}

export const isZone = (location: string) => /-[a-z]$/.test(location);

/** Zones a cluster in this location has nodes in by default: its zone, or three zones of its region. */
export function defaultZoneCount(location: string): number {
  return isZone(location) ? 1 : 3;
}

export type LocationCheck = { ok: true } | { ok: false; problem: string; suggestion?: string };

/** Is this a real zone or region? A near miss gets the closest real name as a suggestion. */
export function checkLocation(location: string, locations: LocationTable = LOCATIONS): LocationCheck {
  const region = regionOf(location);
  const zones = locations.regions[region];
  if (zones && (!isZone(location) || zones.includes(location.slice(-1)))) return { ok: true };
  const known = allLocations(locations);
  const suggestion = closest(location, isZone(location) ? known.zones : known.regions);
  const problem = !zones
    ? `is not a GCP region or a zone of one (locations.json, ${locations.retrieved})`
    : `is not a zone of ${region} (its zones: ${zones.map((z) => `${region}-${z}`).join(", ")})`;
  return { ok: false, problem, ...(suggestion ? { suggestion } : {}) };
}

function allLocations(locations: LocationTable): { regions: string[]; zones: string[] } {
  const regions = Object.keys(locations.regions);
  const zones = regions.flatMap((r) => locations.regions[r]!.map((z) => `${r}-${z}`));
  return { regions, zones };
}

/** The candidate within edit distance 2, closest first (ties: the alphabetically first). */
function closest(text: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of [...candidates].sort()) {
    const distance = editDistance(text, name);
    if (distance <= 2 && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** Levenshtein distance (insert, delete, substitute). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
