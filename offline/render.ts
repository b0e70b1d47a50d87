// The plan as text for a terminal or a pull request: resources per cluster and kind, totals, and the
// critical path with the time each step starts and ends under the duration model.
import { formatDuration, type PlanAnalysis } from "./analysis";
import { UNMODELLED_SECONDS } from "./durations";
import { kindOf } from "./groups";

export interface ReportHeading {
  stack: string;
  topology?: string;
}

/** Names beyond this many per kind are summarized as "+k more" to keep N=32 readable. */
const NAMES_SHOWN = 4;

export function namesLine(names: readonly string[]): string {
  const shown = names.slice(0, NAMES_SHOWN).join(", ");
  return names.length > NAMES_SHOWN ? `${shown}, +${names.length - NAMES_SHOWN} more` : shown;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

function minutes(seconds: number): string {
  return `${(seconds / 60).toFixed(1).padStart(5)} min`;
}

export function renderReport(analysis: PlanAnalysis, heading: ReportHeading): string {
  const lines: string[] = [];
  const topology = heading.topology ? `, ${heading.topology}` : "";
  lines.push(
    `Plan for stack "${heading.stack}"${topology}: evaluated on the mock engine, nothing was created.`,
  );
  lines.push("");

  const kindWidth = Math.max(4, ...[...analysis.countsByKind.keys()].map((k) => k.length));
  for (const group of analysis.groups) {
    lines.push(`${group.group} (${plural(group.count, "resource")})`);
    for (const [kind, names] of group.kinds) {
      lines.push(`  ${kind.padEnd(kindWidth)} ${String(names.length).padStart(3)}  ${namesLine(names)}`);
    }
    lines.push("");
  }

  lines.push(
    `Totals: ${plural(analysis.resourceCount, "resource")} in ${plural(analysis.groups.length, "group")}` +
      ` (and ${plural(analysis.componentCount, "component")}, which create nothing)`,
  );
  for (const [kind, count] of analysis.countsByKind) {
    lines.push(`  ${kind.padEnd(kindWidth)} ${String(count).padStart(3)}`);
  }
  lines.push("");

  const { critical } = analysis;
  lines.push(
    `Critical path: ${formatDuration(critical.seconds)} in ${plural(critical.path.length, "step")}` +
      ` (sequential sum ${formatDuration(critical.sequentialSeconds)};` +
      ` longest chain ${plural(critical.depth, "resource")})`,
  );
  for (const step of critical.path) {
    const { record } = step.node;
    const group = analysis.groupOf.get(record.urn) ?? "?";
    lines.push(
      `  ${minutes(step.start)} -> ${minutes(step.finish)}  ${kindOf(record.type).padEnd(kindWidth)} ` +
        `${record.name} [${group}]`,
    );
  }

  if (analysis.unmodelledTypes.length > 0) {
    lines.push("");
    lines.push(
      `Types without a duration rule (counted as ${UNMODELLED_SECONDS} s each, see offline/durations.ts):`,
    );
    for (const type of analysis.unmodelledTypes) lines.push(`  ${type}`);
  }
  if (analysis.graph.unresolved.length > 0) {
    lines.push("");
    lines.push("Dependencies on URNs that were never registered (ignored):");
    for (const urn of analysis.graph.unresolved) lines.push(`  ${urn}`);
  }
  return `${lines.join("\n")}\n`;
}
