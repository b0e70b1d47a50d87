// The destroy order as text: waves in the order `pulumi destroy` runs them, the critical path (the slowest
// delete of each wave) and the checks, each with what it compared and every violation.
import { formatDuration } from "./analysis";
import type { DestroyPlan } from "./destroy";
import type { DestroyCheck } from "./destroyChecks";
import { kindOf } from "./groups";
import { namesLine, type ReportHeading } from "./render";

const minutes = (seconds: number) => `${(seconds / 60).toFixed(1).padStart(5)} min`;

export function renderDestroyReport(
  plan: DestroyPlan,
  checks: readonly DestroyCheck[],
  groupOf: ReadonlyMap<string, string>,
  heading: ReportHeading,
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
    const byKind = new Map<string, string[]>();
    for (const m of wave.members) {
      const kind = kindOf(m.record.type);
      byKind.set(kind, [...(byKind.get(kind) ?? []), m.record.name]);
    }
    const width = Math.max(...[...byKind.keys()].map((k) => k.length));
    for (const [kind, names] of [...byKind].sort(([a], [b]) => a.localeCompare(b)))
      lines.push(`  ${kind.padEnd(width)} ${String(names.length).padStart(3)}  ${namesLine(names)}`);
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
  lines.push("", "Checks on the destroy order:");
  for (const check of checks) {
    const status = check.violations.length === 0 ? "ok  " : "FAIL";
    lines.push(`  ${status} ${check.name} (${check.compared} orderings)`);
    for (const violation of check.violations) lines.push(`       ${violation}`);
  }
  return `${lines.join("\n")}\n`;
}

/** 1 when any check found a violation. */
export function destroyExitCode(checks: readonly DestroyCheck[]): 0 | 1 {
  return checks.some((c) => c.violations.length > 0) ? 1 : 0;
}
