// Canary control-plane revisions, as pure data: which istiod revisions each cluster runs, which revision
// each tag points to, and what `base` follows (docs/upgrades.md has the facts behind each choice, with the
// chart files they come from).
import type { IstioRevisionsConfig, RevisionTag } from "../config/schema";
import type { ClusterRevisions, IstioRevision, TagTargets } from "./types";

/** The `revision` of the unnamed istiod (Istio's charts treat "" as the default revision). */
export const UNNAMED_REVISION = "";
/** How Istio's charts name the unnamed revision in labels and in base's `defaultRevision`. */
export const DEFAULT_REVISION_LABEL = "default";

/** `1.31.1` -> `1-31-1`: a DNS label (Istio's revision naming), stable for as long as the version is. */
export function revisionName(version: string): string {
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`revisionName: "${version}" is not a version x.y.z`);
  return version.replaceAll(".", "-");
}

/** A revision as Istio's labels name it: `default` for the unnamed one. */
export const revisionLabel = (name: string) => (name === UNNAMED_REVISION ? DEFAULT_REVISION_LABEL : name);

/** `istiod` or `istiod-<revision>`: the Helm release, Deployment and Service names the istiod chart uses. */
export const istiodNameOf = (revision: string) =>
  revision === UNNAMED_REVISION ? "istiod" : `istiod-${revision}`;

const newest = (a: string, b: string) => {
  const [x, y] = [a, b].map((v) => v.split(".").map(Number));
  for (let i = 0; i < 3; i++) if (x![i] !== y![i]) return x![i]! > y![i]! ? a : b;
  return a;
};

/**
 * The revisions of one cluster. `stableVersion` is the version of the cluster's stable releases (its own
 * istioVersion); `nameVersion` the version the stable revision is named after (a remote: its primary's,
 * since the primary's istiod is what the revision is); `runsCanary` whether the canary runs here (a
 * remote: whether its primary runs it).
 */
export function planClusterRevisions(
  settings: IstioRevisionsConfig,
  stableVersion: string,
  nameVersion: string,
  runsCanary: boolean,
): ClusterRevisions {
  const stableName = settings.stable === "versioned" ? revisionName(nameVersion) : UNNAMED_REVISION;
  const canary =
    runsCanary && settings.canary !== undefined
      ? { name: revisionName(settings.canary), version: settings.canary }
      : undefined;
  if (canary && canary.name === stableName) {
    // Validation reports this with its field (config/revisionRules.ts).
    throw new Error(`planClusterRevisions: the canary ${settings.canary} is the stable revision`);
  }
  // prod-canary exists only while a canary runs here. A tag moving between two live releases in one
  // update would make Helm refuse the release gaining it (the webhook still belongs to the other), so
  // only prod-stable ever moves, and the releases are ordered for it (releaseOrder).
  const tagTargets: TagTargets = {
    "prod-stable": canary && settings.promoted ? canary.name : stableName,
    ...(canary ? { "prod-canary": canary.name } : {}),
  };
  const tagsOf = (name: string) =>
    (Object.keys(tagTargets) as RevisionTag[]).filter((tag) => tagTargets[tag] === name);
  const revisions: IstioRevision[] = [
    { name: stableName, version: stableVersion, tags: tagsOf(stableName) },
    ...(canary ? [{ ...canary, tags: tagsOf(canary.name) }] : []),
  ];
  return {
    revisions,
    tagTargets,
    baseVersion: canary ? newest(stableVersion, canary.version) : stableVersion,
    defaultRevision: revisionLabel(tagTargets["prod-stable"]),
    // Where no canary runs, prod-canary does not exist: the samples stay on prod-stable.
    samplesTag: canary ? settings.samplesTag : "prod-stable",
  };
}

/** The revision a tag points to, with its version. */
export function revisionOfTag(revisions: ClusterRevisions, tag: RevisionTag): IstioRevision {
  const target = revisions.tagTargets[tag];
  const found = revisions.revisions.find((r) => r.name === target);
  if (!found) throw new Error(`revisionOfTag: ${tag} points to a revision the cluster does not run`);
  return found;
}

/**
 * The order a cluster's istiod releases must be applied in, so that prod-stable, when it moves, leaves
 * one release before the other renders it (Helm refuses to create an object another release owns):
 * promoted, the stable release first (it drops the tag on promotion); otherwise the canary first (it
 * drops the tag when promotion is rolled back). Names, first to last.
 */
export function releaseOrder(revisions: ClusterRevisions): string[] {
  const names = revisions.revisions.map((r) => r.name);
  const promoted = revisions.revisions.length > 1 && revisions.tagTargets["prod-stable"] !== names[0];
  return promoted ? names : [...names].reverse();
}
