// Rules of `istioRevisions` (canary upgrades, docs/upgrades.md) that one config can be checked for: the
// canary runs where a primary is, stays within Istio's skew of one minor of every control plane it meets,
// and each stage's keys come with the stage before them. Stages skipped between two configs are checked
// by plan/revisionTransition.ts (the offline diff).
import type { ClusterConfig, IstioRevisionsConfig } from "./schema";
import { quote } from "./messages";

const minorOf = (version: string) => Number(version.split(".")[1]);
const parts = (version: string) => version.split(".").map(Number);
const older = (a: string, b: string) => {
  const [x, y] = [parts(a), parts(b)];
  const i = x.findIndex((n, k) => n !== y[k]);
  return i >= 0 && x[i]! < y[i]!;
};

export interface RevisionRuleInput {
  meshVersion: string;
  revisions: IstioRevisionsConfig;
  clusters: readonly { field: string; cluster: Pick<ClusterConfig, "name" | "role" | "istioVersion"> }[];
}

export function revisionProblems({ meshVersion, revisions, clusters }: RevisionRuleInput): string[] {
  const problems: string[] = [];
  const { canary, canaryClusters, promoted } = revisions;
  const versionOf = (c: Pick<ClusterConfig, "istioVersion">) => c.istioVersion ?? meshVersion;
  const primaries = clusters.filter(({ cluster }) => cluster.role === "primary");

  if (canary === undefined) {
    if (promoted) {
      problems.push(
        "istioRevisions.promoted: needs istioRevisions.canary (stage 3 moves prod-stable to the canary revision; " +
          "after stage 4 the promoted version is istioVersion and promoted goes)",
      );
    }
    if (revisions.samplesTag === "prod-canary") {
      problems.push(
        "istioRevisions.samplesTag: prod-canary exists only while a canary runs: set it back to prod-stable " +
          "(after promotion both point to the same revision, so no restart) before the canary goes",
      );
    }
    if (canaryClusters !== undefined) {
      problems.push("istioRevisions.canaryClusters: needs istioRevisions.canary (the version they run)");
    }
    return problems;
  }

  canaryClusters?.forEach((name, i) => {
    if (!primaries.some(({ cluster }) => cluster.name === name)) {
      problems.push(
        `istioRevisions.canaryClusters[${i}]: ${quote(name)} is not a primary of this mesh ` +
          "(a remote runs the revisions of its primary)",
      );
    }
  });
  if (canaryClusters?.length === 0) {
    problems.push(
      "istioRevisions.canaryClusters: is empty; leave it out to run the canary in every primary, or remove istioRevisions.canary",
    );
  }

  const primary = primaries[0];
  const runsCanary = (c: Pick<ClusterConfig, "name" | "role">) => {
    const control = c.role === "remote" && primary ? primary.cluster : c;
    return canaryClusters?.includes(control.name) ?? true;
  };
  for (const { field, cluster } of clusters.filter(({ cluster }) => runsCanary(cluster))) {
    const stable = versionOf(cluster);
    const where = `${field}${cluster.istioVersion ? ".istioVersion" : " (istioVersion)"}`;
    if (Math.abs(minorOf(canary) - minorOf(stable)) > 1) {
      problems.push(
        `istioRevisions.canary: ${canary} is more than one minor from ${where} ${stable}: ` +
          `Istio supports revisions one minor apart${cluster.role === "remote" ? " (the remote's own releases included)" : ""}; upgrade in steps`,
      );
    } else if (older(canary, stable)) {
      problems.push(
        `istioRevisions.canary: ${canary} is older than ${where} ${stable}: a canary is the next version; ` +
          "to go back, remove the canary (or set promoted: false) instead",
      );
    } else if (canary === stable && revisions.stable === "versioned" && cluster.role === "primary") {
      problems.push(
        `istioRevisions.canary: ${canary} is already the stable revision of ${where} ` +
          `(istiod-${canary.replaceAll(".", "-")}); a canary needs another version`,
      );
    }
  }
  return problems;
}
