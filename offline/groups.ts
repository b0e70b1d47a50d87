// Which cluster each resource belongs to, read from the recording alone so that new components need no
// changes here: Kubernetes objects by the provider they go through, GCP resources by ancestry or name.
// Names are read without the `<mesh>-` that starts every name below a MulticlusterMesh.
import { childrenOf, customDescendants, providerUrnOf, STACK_TYPE, type ResourceRecord } from "./graph";

/** Resources of the whole mesh: root CA, node identity, VPCs and their firewall rules. */
export const MESH_GROUP = "mesh";

const KUBERNETES_PROVIDER = "pulumi:providers:kubernetes";
const CLUSTER_COMPONENT_SUFFIX = ":GkeCluster";
/** The component that holds the whole mesh: its name is the mesh's, never a cluster's. */
const MESH_COMPONENT = "istio-multicluster:index:MulticlusterMesh";

/** Each record's name without its mesh's name (`<mesh>-<cluster>-istiod` -> `<cluster>-istiod`). */
export function localNames(records: readonly ResourceRecord[]): Map<string, string> {
  const byUrn = new Map(records.map((r) => [r.urn, r]));
  const meshOf = (record: ResourceRecord): ResourceRecord | undefined => {
    for (let at = byUrn.get(record.parent); at; at = byUrn.get(at.parent))
      if (at.type === MESH_COMPONENT) return at;
    return undefined;
  };
  return new Map(
    records.map((r) => {
      const prefix = `${meshOf(r)?.name ?? ""}-`;
      return [r.urn, prefix !== "-" && r.name.startsWith(prefix) ? r.name.slice(prefix.length) : r.name];
    }),
  );
}

/** Cluster names in registration order: every cluster has a GkeCluster and a provider named after it. */
export function clusterNames(records: readonly ResourceRecord[]): string[] {
  const local = localNames(records);
  const names = records
    .filter((r) => r.type === KUBERNETES_PROVIDER || (!r.custom && r.type.endsWith(CLUSTER_COMPONENT_SUFFIX)))
    .map((r) => local.get(r.urn)!);
  return [...new Set(names)];
}

/**
 * The cluster a name is about: `<cluster>` or `<cluster>-...` first, else `...-<cluster>-...` (the mesh CA's
 * `ca-<cluster>-intermediate-ca-key`); the longest cluster name wins.
 */
function clusterInName(name: string, clusters: readonly string[]): string | undefined {
  const longestFirst = [...clusters].sort((a, b) => b.length - a.length);
  return (
    longestFirst.find((c) => name === c || name.startsWith(`${c}-`)) ??
    longestFirst.find((c) => `-${name}-`.includes(`-${c}-`))
  );
}

/** Group of every record by URN: a cluster name or MESH_GROUP. */
export function assignGroups(records: readonly ResourceRecord[]): Map<string, string> {
  const byUrn = new Map(records.map((r) => [r.urn, r]));
  const clusters = clusterNames(records);
  const clusterSet = new Set(clusters);
  const local = localNames(records);
  const nameOf = (record: ResourceRecord) => local.get(record.urn) ?? record.name;
  const groups = new Map<string, string>();
  const children = childrenOf(records);

  const direct = (record: ResourceRecord): string | undefined => {
    // A Kubernetes object lands wherever its provider points, whatever its name says.
    const provider = byUrn.get(providerUrnOf(record.provider));
    if (provider?.type === KUBERNETES_PROVIDER && clusterSet.has(nameOf(provider))) return nameOf(provider);
    if (record.type === KUBERNETES_PROVIDER && clusterSet.has(nameOf(record))) return nameOf(record);
    for (let at: ResourceRecord | undefined = record; at; at = byUrn.get(at.parent)) {
      if (at.type === STACK_TYPE || at.type === MESH_COMPONENT) break;
      if (!at.custom && clusterSet.has(nameOf(at))) return nameOf(at);
    }
    return clusterInName(nameOf(record), clusters);
  };

  for (const record of records) {
    if (record.custom) groups.set(record.urn, direct(record) ?? MESH_GROUP);
  }
  // A component with no cluster of its own sits where all its resources are, or in the mesh.
  for (const record of records) {
    if (record.custom) continue;
    const own = direct(record);
    if (own !== undefined) {
      groups.set(record.urn, own);
      continue;
    }
    const inside = new Set(customDescendants(record.urn, byUrn, children).map((urn) => groups.get(urn)));
    const only = inside.size === 1 ? [...inside][0] : undefined;
    groups.set(record.urn, only ?? MESH_GROUP);
  }
  return groups;
}

/** Group names: mesh first, then clusters in registration order. */
export function groupOrder(
  records: readonly ResourceRecord[],
  groups: ReadonlyMap<string, string>,
): string[] {
  const used = new Set(groups.values());
  return [MESH_GROUP, ...clusterNames(records)].filter((g) => used.has(g));
}

/** A short kind for a type token: `gcp:container/cluster:Cluster` -> `gcp:Cluster`. */
export function kindOf(type: string): string {
  const parts = type.split(":");
  if (parts[0] === "pulumi" && parts[1] === "providers") return `provider:${parts[2] ?? ""}`;
  return `${parts[0]}:${parts[parts.length - 1]}`;
}
