// The offline diff as text: what `pulumi up` would create, update, replace and delete to go from one
// config to another, per cluster, with the inputs that changed and why a resource is replaced. The risky
// changes (offline/risks.ts, and the root rotation's lines of offline/rotationWarnings.ts) come first, right
// under the counts.
import type { MeshDiff, StepKind } from "./engine/diff";
import { kindOf } from "./groups";
import type { Warning } from "./risks";

const SYMBOL: Record<StepKind, string> = { create: "+", update: "~", replace: "+-", delete: "-" };
const ORDER: StepKind[] = ["replace", "delete", "create", "update"];

/** One `WARNING:` line per risk, then why and what to do, indented under it. */
export function renderWarnings(warnings: readonly Warning[]): string[] {
  return warnings.flatMap((w) => [`WARNING: ${w.summary}`, `  why: ${w.why}`, `  do:  ${w.action}`]);
}

export function renderDiff(
  diff: MeshDiff,
  groupOf: ReadonlyMap<string, string>,
  heading: string,
  warnings: readonly Warning[] = [],
  /** Lines other checks wrote already (root rotation, offline/rotationWarnings.ts), shown with the warnings. */
  moreWarnings: readonly string[] = [],
): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const lines = [
    heading,
    `${plural(diff.count("create"), "create")}, ${plural(diff.count("update"), "update")}, ` +
      `${plural(diff.count("replace"), "replacement")}, ${plural(diff.count("delete"), "delete")}; ` +
      `${diff.unchanged} unchanged.`,
  ];
  if (warnings.length + moreWarnings.length > 0) lines.push("", ...renderWarnings(warnings), ...moreWarnings);
  if (diff.steps.length === 0) return `${[...lines, "Nothing changes."].join("\n")}\n`;
  const groups = [...new Set(diff.steps.map((s) => groupOf.get(s.urn) ?? "mesh"))].sort((a, b) =>
    a === "mesh" ? -1 : b === "mesh" ? 1 : a.localeCompare(b),
  );
  for (const group of groups) {
    lines.push("", group);
    const steps = diff.steps
      .filter((s) => (groupOf.get(s.urn) ?? "mesh") === group)
      .sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || a.name.localeCompare(b.name));
    for (const step of steps) {
      const reasons = step.reasons.length > 0 ? `  (${step.reasons.join("; ")})` : "";
      lines.push(
        `  ${SYMBOL[step.kind].padEnd(2)} ${step.kind.padEnd(7)} ${kindOf(step.type)} ${step.name}${reasons}`,
      );
    }
  }
  lines.push(
    "",
    "Pulumi applies creates, updates and replacements first and deletes last, each after what depends on it:",
    "secrets and firewall lists of the remaining clusters change before a removed cluster goes.",
  );
  return `${lines.join("\n")}\n`;
}
