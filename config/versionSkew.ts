// Istio's version skew across one mesh: every cluster's control plane within one minor of every other, and
// a remote within one minor of the primary that injects its pods and serves its proxies.
import type { ClusterConfig } from "./schema";

const minorOf = (version: string) => Number(version.split(".")[1]);

export function versionSkewProblems(
  meshVersion: string,
  clusters: readonly { field: string; cluster: Pick<ClusterConfig, "name" | "role" | "istioVersion"> }[],
): string[] {
  const versionOf = (c: Pick<ClusterConfig, "istioVersion">) => c.istioVersion ?? meshVersion;
  const problems: string[] = [];
  const minors = clusters.map(({ cluster }) => minorOf(versionOf(cluster)));
  const lowest = Math.min(...minors);
  const highest = Math.max(...minors);
  if (highest - lowest > 1) {
    const at = (minor: number) => clusters.find(({ cluster }) => minorOf(versionOf(cluster)) === minor)!;
    const [low, high] = [at(lowest), at(highest)];
    problems.push(
      `${high.field}.istioVersion: ${versionOf(high.cluster)} is more than one minor ahead of ${low.field} ` +
        `(${versionOf(low.cluster)}): Istio supports a skew of one minor across a mesh; upgrade in steps`,
    );
  }
  const primary = clusters.find(({ cluster }) => cluster.role === "primary");
  for (const { field, cluster } of clusters.filter((c) => c.cluster.role === "remote")) {
    if (!primary) break;
    const gap = Math.abs(minorOf(versionOf(cluster)) - minorOf(versionOf(primary.cluster)));
    if (gap > 1) {
      problems.push(
        `${field}.istioVersion: ${versionOf(cluster)} is more than one minor from its primary ` +
          `${primary.field} (${versionOf(primary.cluster)}), whose istiod injects and configures it`,
      );
    }
  }
  return problems;
}
