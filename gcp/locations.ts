// GCP locations: zones and regions as GKE takes them.

/** "us-east1-b" -> "us-east1"; a region stays itself. */
export function regionOf(location: string): string {
  return /-[a-z]$/.test(location) ? location.slice(0, -2) : location;
}
