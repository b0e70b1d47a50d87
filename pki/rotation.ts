// What each stage of a staged root rotation puts into the clusters, and what it asks of the people running
// them. Facts behind the choices (Istio 1.30 and 1.31, same code on both branches):
// - istiod hot-reloads `cacerts` (pilot/pkg/bootstrap/istio_ca.go handleEvent): a new intermediate under an
//   unchanged root-cert.pem always; a changed root-cert.pem only with ISTIO_MULTIROOT_MESH=true
//   (pilot/pkg/features/pilot.go, default false) and only when one bundle is a subset of the other
//   (pemBundleHasSubsetRelation), so old -> old+new and old+new -> new reload, old -> new does not.
// - With it on, istiod pushes its root bundle to proxies over PCDS (pilot/pkg/xds/pcds.go), which a proxy
//   reads only when started with PROXY_CONFIG_XDS_AGENT=true (pilot/cmd/pilot-agent/options/options.go,
//   default false; pkg/istio-agent/xds_proxy.go); Istio's own rotation test sets both
//   (tests/integration/security/cacert_rotation/main_test.go). Without it a proxy trusts only the root its
//   own certificate chains to (security/pkg/nodeagent/cache/secretcache.go: the citadel client returns no
//   bundle, so the root is the last certificate of the chain).
// - Workload certificates live DEFAULT_WORKLOAD_CERT_TTL = 24 h (security/pkg/cmd/constants.go) and are
//   renewed at SECRET_GRACE_PERIOD_RATIO = 0.5 of their life (pilot-agent options), from the istiod CA of
//   that moment.
import { ROTATION_STAGES, type RotationStage } from "../config/schema";
import { normalizePem } from "./cacerts";

export type RootRole = "old" | "new";

export interface StageEffects {
  /** The root every intermediate is signed by (cert-chain.pem ends with it). */
  readonly signedBy: RootRole;
  /** The roots in every cluster's root-cert.pem and in remotes' injection webhook caBundle. */
  readonly trusts: readonly RootRole[];
  /** istiod runs with ISTIO_MULTIROOT_MESH and injects proxies with PROXY_CONFIG_XDS_AGENT. */
  readonly multiRoot: boolean;
}

/** No rotation in progress: one root does everything. */
const STEADY: StageEffects = { signedBy: "old", trusts: ["old"], multiRoot: false };

const EFFECTS: Record<RotationStage, StageEffects> = {
  "trust-both": { signedBy: "old", trusts: ["old", "new"], multiRoot: true },
  reissue: { signedBy: "new", trusts: ["old", "new"], multiRoot: true },
  // Multi-root stays on: istiod then hot-reloads the smaller bundle and pushes it to proxies, so the old
  // root is distrusted without a restart. It goes with the caRotation block (the finishing edit).
  "drop-old": { signedBy: "new", trusts: ["new"], multiRoot: true },
};

export function stageEffects(stage: RotationStage | undefined): StageEffects {
  return stage === undefined ? STEADY : EFFECTS[stage];
}

/** root-cert.pem of several roots: each once, in the given order (istiod compares bundles as sets). */
export function trustBundle(rootPems: readonly string[]): string {
  const roots = rootPems.map((pem, i) => normalizePem(pem, `trusted root ${i}`));
  return [...new Set(roots)].join("");
}

/** What the people running the clusters do after the `pulumi up` of a stage (a stack output). */
export interface RotationNotice {
  readonly stage: RotationStage;
  readonly restartDue: boolean;
  /** What to restart, and when. */
  readonly restart: string;
  /** How long to wait before the next stage, and what to check. */
  readonly beforeNextStage: string;
  /** The config edit that follows. */
  readonly next: string;
}

const NOTICES: Record<RotationStage, Omit<RotationNotice, "stage">> = {
  "trust-both": {
    restartDue: true,
    restart:
      "istiod restarts by itself (its environment changed). Then restart every injected workload and gateway in every cluster (kubectl rollout restart): a proxy receives the trust bundle only if it started with PROXY_CONFIG_XDS_AGENT",
    beforeNextStage:
      "every proxy to trust both roots after its restart (npm run verify shows it per cluster)",
    next: "append reissue to caRotation.stages",
  },
  reissue: {
    restartDue: false,
    restart:
      "istiod hot-reloads the new intermediate; workloads get certificates under the new root at their next renewal, within about 12 h, or at once if restarted",
    beforeNextStage:
      "24 hours (the workload certificate lifetime) or a restart of every workload, so that no certificate still chains to the old root",
    next: "append drop-old to caRotation.stages",
  },
  "drop-old": {
    restartDue: false,
    restart:
      "istiod hot-reloads the smaller bundle and pushes it to the proxies; a proxy that misses the push drops the old root at its next renewal or restart",
    beforeNextStage: "npm run verify to show only the new root in every cluster",
    next: "finish: move caRotation.newRoot into the mesh's CA settings and remove caRotation (docs/certificates.md)",
  },
};

export function rotationNotice(stage: RotationStage): RotationNotice {
  return { stage, ...NOTICES[stage] };
}

/** Index of a stage in the order (-1 for none): a plan compares two configs with it. */
export const stageIndex = (stage: RotationStage | undefined): number =>
  stage === undefined ? -1 : ROTATION_STAGES.indexOf(stage);
