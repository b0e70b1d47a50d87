// What `npm run plan` says about a stack's lifecycle: whether the first `pulumi preview` of a new stack
// would fail (and on which resource), and what the second `up` (after a refresh, with --refresh) would do.
import type { MeshDiff } from "./engine/diff";
import { preview, secondUps, type LifecycleOptions, type Operation } from "./engine/lifecycle";
import { RegistrationError } from "./engine/recorder";
import { assignGroups } from "./groups";
import { renderDiff } from "./diffReport";

/** Why a real `pulumi preview` of a new stack with this config would fail, or undefined when it passes. */
export async function previewFailure(
  config: Record<string, string>,
  options: LifecycleOptions = {},
): Promise<string | undefined> {
  const evaluation = await preview(config, undefined, options);
  const error = evaluation.error;
  if (error === undefined) return undefined;
  if (error instanceof RegistrationError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  // A failed read surfaces through the outputs that use it; the read's own words are the useful part.
  return message.replace(/^(error serializing property "[^"]*": )+/, "");
}

export interface SecondUpReport {
  readonly text: string;
  /** Nothing would change. */
  readonly empty: boolean;
}

/**
 * The first `up`, then the same config again: the steps a plain second `up` would take, and those of a
 * `pulumi up --refresh` (the state refreshed first).
 */
export async function secondUpReport(
  config: Record<string, string>,
  stack: string,
  options: LifecycleOptions = {},
  firstUp?: Operation,
): Promise<SecondUpReport> {
  const parts: string[] = [];
  let empty = true;
  const run = await secondUps(config, { ...options, stack }, firstUp);
  for (const [refresh, second] of [
    [false, run.plain],
    [true, run.refreshed],
  ] as const) {
    const command = refresh ? "pulumi up --refresh" : "pulumi up";
    const heading = `${command} of stack "${stack}" after its first up${refresh ? " (the stored state refreshed)" : ""}, with the same config:`;
    const error = second.evaluation.error;
    if (error !== undefined) {
      empty = false;
      parts.push(`${heading}\nfails: ${error instanceof Error ? error.message : String(error)}\n`);
      continue;
    }
    const diff: MeshDiff = second.diff;
    const groups = assignGroups([...run.first.evaluation.resources, ...second.evaluation.resources]);
    parts.push(renderDiff(diff, groups, heading));
    empty &&= diff.steps.length === 0;
  }
  return { text: parts.join("\n"), empty };
}
