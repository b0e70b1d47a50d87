// Synthetic meshes of any size for the bench and the tests: N clusters spread over regions, roles and
// networks chosen by topology, as a stack file would describe them.
import { pinsForCollisions } from "../../addressing/slots";
import { projectDefaults, withOverrides, type CliConfig } from "./stackFiles";

export type SyntheticTopology = "multi-primary" | "primary-remote" | "shared-control-plane";

export interface ClusterSpec {
  name: string;
  location: string;
  network: string;
  role: "primary" | "remote";
  [extra: string]: unknown;
}

const REGIONS = ["us-east1", "us-central1", "europe-west4", "asia-east1", "us-west1"];

/**
 * `cluster1..clusterN`; cluster1 is the primary where there is one; one network per cluster unless flat.
 * Names whose address slot an earlier cluster holds are pinned to a free slot, as a user would pin them
 * when validation asks (cluster10 contends with cluster2, for example).
 */
export function syntheticClusters(topology: SyntheticTopology, n: number): ClusterSpec[] {
  const clusters: ClusterSpec[] = Array.from({ length: n }, (_, i) => ({
    name: `cluster${i + 1}`,
    location: `${REGIONS[i % REGIONS.length]}-b`,
    network: topology === "shared-control-plane" ? "network1" : `network${i + 1}`,
    role: topology === "multi-primary" || i === 0 ? "primary" : "remote",
  }));
  const pins = pinsForCollisions(clusters);
  return clusters.map((c) => (pins.has(c.name) ? { ...c, slot: pins.get(c.name)! } : c));
}

/** The CLI config of a synthetic mesh (project `my-gcp-project`), with extra keys on top. */
export function meshConfig(
  topology: SyntheticTopology,
  n: number,
  overrides: Record<string, unknown> = {},
): CliConfig {
  return withOverrides(
    { "gcp:project": "my-gcp-project", topology, clusters: syntheticClusters(topology, n), ...overrides },
    projectDefaults(),
  );
}
