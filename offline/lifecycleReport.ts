// What `npm run plan` says about a stack's lifecycle: whether the first `pulumi preview` of a new stack
// would fail (and on which resource), and what the second `up` (after a refresh, with --refresh) would do.
import type { MeshDiff } from "./engine/diff";
import { preview, secondUp, type LifecycleOptions } from "./engine/lifecycle";
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

/** The first `up`, a refresh, and the same config again: the steps the second `up` would take. */
export async function secondUpReport(
  config: Record<string, string>,
  stack: string,
  options: LifecycleOptions = {},
): Promise<SecondUpReport> {
  const run = await secondUp(config, { ...options, stack, refresh: true });
  if (run.second.evaluation.error !== undefined) throw run.second.evaluation.error;
  const diff: MeshDiff = run.second.diff;
  const groups = assignGroups([...run.first.evaluation.resources, ...run.second.evaluation.resources]);
  const heading =
    `pulumi up --refresh of stack "${stack}" after its first up (the state its providers stored, ` +
    `refreshed), with the same config:`;
  return { text: renderDiff(diff, groups, heading), empty: diff.steps.length === 0 };
}
