// Kubeconfig contexts named after the mesh's clusters, built from the stack outputs: one context per
// cluster (context, cluster and user all carry the cluster's name), authenticated through
// gke-gcloud-auth-plugin by kube/kubeconfig.ts, merged into one file or kept one file per cluster.
import { parse, stringify } from "yaml";
import {
  endpointOf,
  gcloudKubeconfig,
  KubeconfigError,
  readKubeconfig,
  type ClusterAccess,
  type CurrentContext,
} from "./kubeconfig";

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

/** The current context of a cluster's kubeconfig output; a KubeconfigError names the cluster. */
function currentContextOf(entry: ClusterEntry): CurrentContext {
  try {
    return readKubeconfig(entry.kubeconfig);
  } catch (e) {
    if (e instanceof KubeconfigError)
      throw new KubeconfigError(`clusters.${entry.name}.kubeconfig ${e.problem}`);
    throw e;
  }
}

/** Endpoint and CA of a cluster, read from its kubeconfig output's current context; throws naming the cluster. */
export function accessOf(entry: ClusterEntry): ClusterAccess {
  const { cluster } = currentContextOf(entry);
  if (cluster.caData === undefined) {
    throw new KubeconfigError(`clusters.${entry.name}.kubeconfig has no certificate-authority-data`);
  }
  return { name: entry.name, endpoint: entry.endpoint || endpointOf(cluster.server), caData: cluster.caData };
}

/** A given kubeconfig's current context, with context, cluster and user renamed to the cluster's name. */
export function renamedKubeconfig(entry: ClusterEntry): string {
  const { context, cluster, user } = currentContextOf(entry);
  if (!user)
    throw new KubeconfigError(`clusters.${entry.name}.kubeconfig names no user for its current context`);
  const name = entry.name;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: cluster.cluster }],
    contexts: [{ name, context: { ...context.context, cluster: name, user: name } }],
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
