// What `npm run plan -- --against` says about the mesh root between two configs: a root replaced in one
// step, a rotation stage skipped (the program sees only the target config; the plan sees both), a new root
// changed mid-rotation, a finishing edit that does not name the new root, and after each stage what the
// people running the clusters must restart (pki/rotation.ts). Pure: two CA plans in, report lines out.
import { ROTATION_STAGES } from "../config/schema";
import { rotationNotice, stageIndex } from "../pki/rotation";
import type { CaPlan, CaRotationPlan } from "../plan/types";

const compact = (pem: string) => pem.replace(/\s+/g, "");

/** What makes the mesh's root the same root: for a generated one, every input of its resources. */
export function rootIdentity(ca: CaPlan): string {
  return ca.byoRootCertificate !== undefined
    ? `own ${compact(ca.byoRootCertificate)}`
    : `generated ${ca.rootName ?? ""} ${ca.keyAlgorithm} ${ca.organization} ${ca.rootValidityHours}`;
}

/** The identity a rotation's new root has once it is the mesh's root (the finishing edit). */
export function newRootIdentity(rotation: CaRotationPlan): string {
  const { newRoot } = rotation;
  return newRoot.kind === "byo"
    ? `own ${compact(newRoot.certificate)}`
    : `generated ${newRoot.name} ${rotation.keyAlgorithm} ${rotation.organization} ${newRoot.validityHours}`;
}

const FINISH =
  "set the mesh's CA settings to the new root's (caRootName = newRoot.name, caKeyAlgorithm, caOrganization, caRootValidityHours; or caRootCertificate and caRootPrivateKey for your own root)";

function stageName(index: number): string {
  return index < 0 ? "no rotation" : ROTATION_STAGES[index]!;
}

export function rotationWarnings(before: CaPlan, after: CaPlan): string[] {
  const lines: string[] = [];
  const [from, to] = [stageIndex(before.rotation?.stage), stageIndex(after.rotation?.stage)];
  const finishing = before.rotation?.stage === "drop-old" && after.rotation === undefined;

  if (from < 0 && to < 0) {
    if (rootIdentity(before) !== rootIdentity(after)) {
      lines.push(
        "WARNING: the mesh root is replaced in one step: clusters and workloads with certificates of different roots reject each other until every istiod and workload has restarted; rotate in stages instead (caRotation, docs/certificates.md)",
      );
    }
    return lines;
  }
  if (finishing) {
    if (newRootIdentity(before.rotation!) !== rootIdentity(after)) {
      lines.push(
        `WARNING: caRotation is removed but the mesh's CA settings are not its new root: this replaces the root and every intermediate in one step; ${FINISH}`,
      );
    } else {
      lines.push(
        "NOTE: finishes the root rotation: the old root leaves the Pulumi state and istiod restarts without multi-root support; no workload restart is due",
      );
    }
    return lines;
  }
  if (Math.abs(to - from) > 1) {
    const skipped = ROTATION_STAGES.slice(Math.min(from, to) + 1, Math.max(from, to)).join(", ");
    lines.push(
      `WARNING: the root rotation goes from ${stageName(from)} to ${stageName(to)} in one step, skipping ${skipped}: clusters and workloads may reject each other; apply one stage per pulumi up`,
    );
  }
  if (before.rotation && after.rotation && from >= 0 && to >= 0) {
    if (newRootIdentity(before.rotation) !== newRootIdentity(after.rotation)) {
      lines.push(
        "WARNING: caRotation.newRoot changes in the middle of a rotation: what clusters trust and what intermediates chain to moves to yet another root; roll back to trust-both, or finish first",
      );
    }
    if (to >= from && rootIdentity(before) !== rootIdentity(after)) {
      lines.push(
        `WARNING: the mesh's current root changes in the middle of a rotation: keep the CA settings as they were until the rotation finishes (then ${FINISH})`,
      );
    }
  }
  if (after.rotation && to !== from) {
    const notice = rotationNotice(after.rotation.stage);
    lines.push(
      notice.restartDue
        ? `WARNING: root rotation stage ${notice.stage}: a restart is due after pulumi up: ${notice.restart}`
        : `NOTE: root rotation stage ${notice.stage}: no restart is due (${notice.restart})`,
      `NOTE: before the next stage wait for ${notice.beforeNextStage}; then ${notice.next}`,
    );
  }
  return lines;
}
