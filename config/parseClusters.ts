// The cluster list field by field: a bad field of a cluster is reported, and the cluster's other fields
// still take part in the checks that read only them (an unknown key in a cluster no longer hides that its
// nodePool is not allowed with existing: gke).
import { type z } from "zod";
import { clusterSchema, DEFAULT_NODE_POOL, type ClusterConfig } from "./schema";

/** A field of a cluster entry. */
export type ClusterField = keyof ClusterConfig;
export const CLUSTER_FIELDS = Object.keys(clusterSchema.shape) as ClusterField[];

export interface ParsedCluster {
  /** `clusters[i]`. */
  field: string;
  /** The fields that parsed (a field that did not is absent, whatever the type says). */
  cluster: ClusterConfig;
  /** Fields that did not parse; every field when the entry is not a mapping. */
  failed: ReadonlySet<ClusterField>;
  /** Its name is taken by an earlier cluster: reported once, left out of the checks across clusters. */
  duplicate: boolean;
}

export type FieldParser = (schema: z.ZodType, value: unknown, path: readonly PropertyKey[]) => unknown;

const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Each entry's fields parsed on their own by `parse` (which reports a failure and returns `FAILED`). An
 * entry that is not a mapping is parsed whole, so that its message says what it is.
 */
export function parseClusters(
  list: readonly unknown[],
  parse: FieldParser,
  failedMark: unknown,
  reportUnknown: (field: string, key: string) => void,
): ParsedCluster[] {
  const shape = clusterSchema.shape as Record<ClusterField, z.ZodType>;
  const parsed = list.map((entry, i): ParsedCluster => {
    const field = `clusters[${i}]`;
    if (!isMapping(entry)) {
      parse(clusterSchema, entry, ["clusters", i]);
      return { field, cluster: {} as ClusterConfig, failed: new Set(CLUSTER_FIELDS), duplicate: false };
    }
    for (const key of Object.keys(entry).filter((k) => !(k in shape))) reportUnknown(field, key);
    const cluster: Record<string, unknown> = {};
    const failed = new Set<ClusterField>();
    for (const key of CLUSTER_FIELDS) {
      const value = parse(shape[key], entry[key], ["clusters", i, key]);
      if (value === failedMark) failed.add(key);
      else if (value !== undefined) cluster[key] = value;
    }
    // A cluster the program creates gets the default node pool when it describes none.
    if (!failed.has("existing") && !failed.has("nodePool") && cluster["existing"] === undefined) {
      cluster["nodePool"] ??= DEFAULT_NODE_POOL;
    }
    return { field, cluster: cluster as ClusterConfig, failed, duplicate: false };
  });
  // Later clusters with a name already taken: one message (uniqueClusterNames), no follow-on advice.
  const seen = new Set<string>();
  for (const c of parsed) {
    if (c.failed.has("name")) continue;
    if (seen.has(c.cluster.name)) c.duplicate = true;
    seen.add(c.cluster.name);
  }
  return parsed;
}
