// What each topology must contain, written from Istio's multi-cluster rules for the clusters that
// offline/engine/syntheticMesh.ts builds (cluster1 is the primary; one network per cluster,
// except shared-control-plane which has one flat network).
import type { Graph } from "./graphQuery";

export type Topology = "multi-primary" | "primary-remote" | "shared-control-plane";

export interface ExpectedShape {
  primaries: string[];
  /** Remote secret edges. */
  edges: { watcher: string; described: string }[];
  /** Clusters whose istiod reads other clusters: one remote Secret each, keyed by what they watch. */
  watchers: string[];
  watchesOf(watcher: string): string[];
  /** Clusters whose reader token some istiod uses. */
  described: string[];
  gatewayClusters: string[];
  networks: number;
  addresses: number;
  networkOf(cluster: string): string;
  controlPlaneOf(cluster: string): string | undefined;
  /** Where remotes reach istiod: the reserved address of the primary's exposure. */
  istiodAddress(graph: Graph): unknown;
}

export function expectedShape(topology: Topology, names: string[]): ExpectedShape {
  const n = names.length;
  const primaries = topology === "multi-primary" ? names : names.slice(0, 1);
  const remotes = names.filter((c) => !primaries.includes(c));
  const edges =
    topology === "multi-primary"
      ? names.flatMap((w) => names.filter((d) => d !== w).map((d) => ({ watcher: w, described: d })))
      : remotes.map((d) => ({ watcher: names[0]!, described: d }));
  const flat = topology === "shared-control-plane";
  return {
    primaries,
    edges,
    watchers: [...new Set(edges.map((e) => e.watcher))],
    watchesOf: (watcher) => edges.filter((e) => e.watcher === watcher).map((e) => e.described),
    described: [...new Set(edges.map((e) => e.described))],
    // Different networks need a gateway everywhere; a flat shared control plane needs none.
    gatewayClusters: flat ? [] : names,
    networks: flat ? 1 : n,
    // One public address per gateway, or one internal address for istiod.
    addresses: flat ? 1 : n,
    networkOf: (cluster) => (flat ? "network1" : `network${names.indexOf(cluster) + 1}`),
    controlPlaneOf: (cluster) => (primaries.includes(cluster) ? undefined : names[0]),
    istiodAddress: (graph) => {
      const name = flat ? `${names[0]}-istiod` : `${names[0]}-eastwest`;
      return graph.one((r) => r.type === "gcp:compute/address:Address" && graph.localName(r) === name, name)
        .outputs["address"];
    },
  };
}
