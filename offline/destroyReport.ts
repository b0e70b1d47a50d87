// The destroy order as text: waves in the order `pulumi destroy` runs them, the critical path (the slowest
// delete of each wave), where deletion protection stops it, and the checks, each with what it compared and
// every violation.
import { formatDuration } from "./analysis";
import type { DestroyPlan } from "./destroy";
import type { DestroyCheck } from "./destroyChecks";
import type { DestroyStop } from "./destroyProtection";
import type { ResourceRecord } from "./graph";
import { kindOf } from "./groups";
import { namesLine, type ReportHeading } from "./render";

const minutes = (seconds: number) => `${(seconds / 60).toFixed(1).padStart(5)} min`;

export function renderDestroyReport(
  plan: DestroyPlan,
  checks: readonly DestroyCheck[],
  groupOf: ReadonlyMap<string, string>,
  heading: ReportHeading,
  stop?: DestroyStop,
): string {
  const topology = heading.topology ? `, ${heading.topology}` : "";
  const waves = plan.waves.filter((w) => w.members.length > 0);
  const lines = [
    `Destroy order for stack "${heading.stack}"${topology}: ${waves.length} waves of deletes, each run in ` +
      "parallel and to completion before the next (components and the stack take no time).",
    "",
  ];
  for (const wave of waves) {
    lines.push(
      `wave ${String(wave.index).padStart(2)}  ${minutes(wave.start)} -> ${minutes(wave.start + wave.seconds)}`,
    );
    lines.push(...kindLines(wave.members.map((m) => m.record)));
  }
  lines.push(
    "",
    `Destroy critical path: ${formatDuration(plan.seconds)} (the slowest delete of each wave, one after the ` +
      `other; ${formatDuration(plan.dependencyBoundSeconds)} if each delete started once everything ` +
      `depending on it was gone; sequential sum ${formatDuration(plan.sequentialSeconds)})`,
  );
  for (const wave of waves) {
    const slowest = wave.slowest!;
    if (slowest.seconds === 0) continue;
    lines.push(
      `  ${minutes(wave.start)} -> ${minutes(wave.start + wave.seconds)}  ${kindOf(slowest.record.type)} ` +
        `${slowest.record.name} [${groupOf.get(slowest.record.urn) ?? "?"}]`,
    );
  }
  if (stop) lines.push("", ...stopLines(stop));
  lines.push("", "Checks on the destroy order:");
  for (const check of checks) {
    const status = check.violations.length === 0 ? "ok  " : "FAIL";
    lines.push(`  ${status} ${check.name} (${check.compared} orderings)`);
    for (const violation of check.violations) lines.push(`       ${violation}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Resources by kind, one line each: count and the first names. */
function kindLines(records: readonly ResourceRecord[], indent = "  "): string[] {
  const byKind = new Map<string, string[]>();
  for (const r of records) byKind.set(kindOf(r.type), [...(byKind.get(kindOf(r.type)) ?? []), r.name]);
  const width = Math.max(0, ...[...byKind.keys()].map((k) => k.length));
  return [...byKind]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([kind, names]) =>
        `${indent}${kind.padEnd(width)} ${String(names.length).padStart(3)}  ${namesLine(names)}`,
    );
}

const count = (n: number) => `${n} resource${n === 1 ? "" : "s"}`;

/** Where deletion protection stops the destroy, what is gone by then, what stays, and the way out. */
function stopLines(stop: DestroyStop): string[] {
  const names = stop.protectedClusters.map((c) => c.name).join(", ");
  const targets = stop.protectedUrns.map((urn) => `--target '${urn}'`).join(" ");
  return [
    `Deletion protection: \`pulumi destroy\` stops in wave ${stop.wave}. The Google provider refuses to delete ` +
      `a cluster whose state has deletionProtection: true (${names}) before it calls GKE, and Pulumi starts ` +
      "no later wave.",
    `  deleted before the stop (waves 1-${stop.wave - 1}): ${count(stop.deletedBefore.length)}`,
    ...kindLines(stop.deletedBefore, "    "),
    ...(stop.sameWave.length > 0
      ? [
          `  dispatched in wave ${stop.wave} with the clusters, deleted or not by timing: ${count(stop.sameWave.length)}`,
          ...kindLines(stop.sameWave, "    "),
        ]
      : []),
    `  left in the cloud and in the state: ${count(stop.left.length)}`,
    ...kindLines(stop.left, "    "),
    `  with \`pulumi destroy --continue-on-error\` only the clusters and what they depend on stay: ` +
      count(stop.leftWithContinueOnError.length),
    ...kindLines(stop.leftWithContinueOnError, "    "),
    "How to proceed:",
    "  before a destroy:  pulumi config set deletionProtection false && pulumi up   (updates the clusters " +
      "in place), then pulumi destroy",
    "  after a destroy stopped here, update only the clusters (a plain `pulumi up` would re-create what the " +
      "destroy deleted), then destroy again:",
    `    pulumi config set deletionProtection false && pulumi up ${targets}`,
    "    pulumi destroy",
  ];
}

/** 1 when any check found a violation. */
export function destroyExitCode(checks: readonly DestroyCheck[]): 0 | 1 {
  return checks.some((c) => c.violations.length > 0) ? 1 : 0;
}
