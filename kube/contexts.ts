// Kubeconfig contexts named after the mesh's clusters, built from the stack outputs: one context per
// cluster (context, cluster and user all carry the cluster's name), authenticated through
// gke-gcloud-auth-plugin by kube/kubeconfig.ts, merged into one file or kept one file per cluster.
import { parse, stringify } from "yaml";
import { gcloudKubeconfig, type ClusterAccess } from "./kubeconfig";

/** What a context needs of one cluster's stack outputs (mesh/outputs.ts ClusterOutputs, resolved). */
export interface ClusterEntry {
  name: string;
  /** API server host without scheme (`endpoint` output). */
  endpoint?: string;
  /** The cluster's own kubeconfig output: the CA data comes from there. */
  kubeconfig: string;
  /** A cluster reached through a kubeconfig keeps that kubeconfig's own authentication. */
  source?: "kubeconfig";
}

interface KubeconfigDoc {
  clusters?: { name: string; cluster: Record<string, unknown> }[];
  contexts?: { name: string; context: Record<string, unknown> }[];
  users?: { name: string; user: Record<string, unknown> }[];
  "current-context"?: string;
}

/** Endpoint and CA of a cluster, read from its kubeconfig output; throws naming the cluster. */
export function accessOf(entry: ClusterEntry): ClusterAccess {
  let doc: KubeconfigDoc;
  try {
    doc = parse(entry.kubeconfig) as KubeconfigDoc;
  } catch {
    throw new Error(`clusters.${entry.name}.kubeconfig is not YAML`);
  }
  const cluster = doc?.clusters?.[0]?.cluster;
  const caData = cluster?.["certificate-authority-data"];
  const server = cluster?.["server"];
  if (typeof caData !== "string" || caData === "") {
    throw new Error(`clusters.${entry.name}.kubeconfig has no certificate-authority-data`);
  }
  const endpoint = entry.endpoint || (typeof server === "string" ? server.replace(/^https:\/\//, "") : "");
  if (endpoint === "") throw new Error(`clusters.${entry.name} has no endpoint`);
  return { name: entry.name, endpoint, caData };
}

/** A given kubeconfig's current context, with context, cluster and user renamed to the cluster's name. */
export function renamedKubeconfig(entry: ClusterEntry): string {
  let doc: KubeconfigDoc;
  try {
    doc = parse(entry.kubeconfig) as KubeconfigDoc;
  } catch {
    throw new Error(`clusters.${entry.name}.kubeconfig is not YAML`);
  }
  const context = doc?.contexts?.find((c) => c.name === doc["current-context"]) ?? doc?.contexts?.[0];
  const cluster = doc?.clusters?.find((c) => c.name === context?.context["cluster"]) ?? doc?.clusters?.[0];
  const user = doc?.users?.find((u) => u.name === context?.context["user"]) ?? doc?.users?.[0];
  if (!cluster || !user) throw new Error(`clusters.${entry.name}.kubeconfig has no cluster or user`);
  const name = entry.name;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: cluster.cluster }],
    contexts: [{ name, context: { ...(context?.context ?? {}), cluster: name, user: name } }],
    "current-context": name,
    users: [{ name, user: user.user }],
  });
}

/** One kubeconfig per cluster, keyed by cluster name, each with its context current. */
export function perClusterKubeconfigs(entries: readonly ClusterEntry[]): Map<string, string> {
  return new Map(
    entries.map((entry) => [
      entry.name,
      entry.source === "kubeconfig" ? renamedKubeconfig(entry) : gcloudKubeconfig(accessOf(entry)),
    ]),
  );
}

/** All clusters in one kubeconfig; the first cluster's context is current. */
export function mergedKubeconfig(entries: readonly ClusterEntry[]): string {
  if (entries.length === 0) throw new Error("no clusters to write contexts for");
  const docs = [...perClusterKubeconfigs(entries).values()].map((text) => parse(text) as KubeconfigDoc);
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: docs.flatMap((d) => d.clusters ?? []),
    contexts: docs.flatMap((d) => d.contexts ?? []),
    "current-context": entries[0]!.name,
    users: docs.flatMap((d) => d.users ?? []),
  });
}
