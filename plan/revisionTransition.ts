// Whether one config may follow another in a canary upgrade (docs/upgrades.md): per cluster, a change
// must not remove the revision prod-stable pointed to (workloads run on it: promote first, stage 3), and
// must not point prod-stable at a revision that did not run before (add the canary first, stage 1). An
// in-place version change of a versioned revision is both. Pure; the offline diff (`npm run plan --
// --against`) reports these before anything is applied.
import { revisionLabel, UNNAMED_REVISION } from "./revisions";
import type { ClusterPlan, MeshPlan } from "./types";

/** What a cluster runs: its revisions, or the one unnamed istiod of a mesh without istioRevisions. */
function revisionsOf(c: ClusterPlan): { names: string[]; stable: string } {
  if (!c.revisions) return { names: [UNNAMED_REVISION], stable: UNNAMED_REVISION };
  return { names: c.revisions.revisions.map((r) => r.name), stable: c.revisions.tagTargets["prod-stable"] };
}

export function revisionTransitionProblems(
  before: Pick<MeshPlan, "clusters">,
  after: Pick<MeshPlan, "clusters">,
): string[] {
  const problems: string[] = [];
  after.clusters.forEach((c, i) => {
    const previous = before.clusters.find((b) => b.name === c.name);
    if (!previous) return; // a new cluster starts wherever the config says
    const was = revisionsOf(previous);
    const is = revisionsOf(c);
    const field = `clusters[${i}] (${c.name})`;
    if (!is.names.includes(was.stable)) {
      problems.push(
        `${field}: this change removes revision ${revisionLabel(was.stable)}, which prod-stable points to and ` +
          `workloads run on: promote first (istioRevisions.promoted: true, stage 3), then remove it (stage 4)`,
      );
    }
    if (is.stable !== was.stable && !was.names.includes(is.stable)) {
      problems.push(
        `${field}: this change points prod-stable at revision ${revisionLabel(is.stable)}, which does not run ` +
          `yet: add it as istioRevisions.canary first (stage 1), then promote it (stage 3)`,
      );
    }
  });
  return problems;
}
