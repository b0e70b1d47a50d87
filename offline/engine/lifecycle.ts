// A stack's lifecycle as the Pulumi engine runs it, on the mock cloud: the first preview of a new stack,
// the first `up`, the state its providers store, a refresh, and the next `up` of the same (or another)
// config against that state. `npm run plan` and the tests use it to prove that a preview succeeds before
// anything exists and that a second `up` of an unchanged program changes nothing.
import { diffOf, type MeshDiff } from "./diff";
import { readBack } from "./readBack";
import { evaluate, type Evaluation } from "./runtime";
import { stateEntry, type DeploymentState, type StateEntry } from "./state";
import { normalizedInputs } from "./providerDiff";
import type { CloudOptions } from "./mockCloud";

export interface LifecycleOptions {
  stack?: string;
  cloud?: Omit<CloudOptions, "prior" | "preview">;
  plainTextKeys?: readonly string[];
  /** Keys the stack file holds as `secure:` values (StackFile.secretKeys). */
  secretKeys?: readonly string[];
}

/** One operation (`up`): its evaluation, the steps it took, and the state it leaves. */
export interface Operation {
  readonly evaluation: Evaluation;
  readonly diff: MeshDiff;
  /** The state after the operation, as the providers store it (read-back rules applied). */
  readonly state: DeploymentState;
}

/** `pulumi preview` of the config against a state (none: a new stack). Its error is the preview's failure. */
export async function preview(
  config: Record<string, string>,
  prior: DeploymentState | undefined,
  options: LifecycleOptions = {},
): Promise<Evaluation> {
  return evaluate(config, {
    ...options,
    cloud: { ...options.cloud, preview: true, ...(prior ? { prior } : {}) },
  });
}

/** `pulumi up` of the config against a state (none: a new stack). */
export async function up(
  config: Record<string, string>,
  prior: DeploymentState | undefined,
  options: LifecycleOptions = {},
): Promise<Operation> {
  const evaluation = await evaluate(config, {
    ...options,
    cloud: { ...options.cloud, ...(prior ? { prior } : {}) },
  });
  const registered = evaluation.resources.filter((r) => r.custom);
  const continued = new Set<string>();
  const after = new Map<string, StateEntry>();
  for (const r of registered) {
    const step = evaluation.cloud.steps.get(r.urn);
    if (step?.prior) continued.add(step.prior.urn);
    after.set(r.urn, stateEntry(r, normalizedInputs(r.type, r.inputs)));
  }
  const deleted = [...(prior?.values() ?? [])].filter((e) => !continued.has(e.urn) && !after.has(e.urn));
  const diff = diffOf(registered, deleted, (urn) => evaluation.cloud.steps.get(urn));
  // What the providers store: the answers, read back as each provider does after create or update.
  const state = readBack(after, "apply");
  return { evaluation, diff, state };
}

/** `pulumi refresh`: every resource read again from the cloud. */
export function refresh(state: DeploymentState): DeploymentState {
  return readBack(state, "refresh");
}

export interface SecondUps {
  readonly first: Operation;
  /** The second `up` against the state the first one stored. */
  readonly plain: Operation;
  /** The second `up` after a refresh of that state (`pulumi up --refresh`). */
  readonly refreshed: Operation;
}

/**
 * The first `up` of a new stack (or the one given, made from the same config and options), then the same
 * config again: as stored, and after a refresh.
 */
export async function secondUps(
  config: Record<string, string>,
  options: LifecycleOptions = {},
  firstUp?: Operation,
): Promise<SecondUps> {
  const first = firstUp ?? (await up(config, undefined, options));
  if (first.evaluation.error !== undefined) throw first.evaluation.error;
  const plain = await up(config, first.state, options);
  const refreshed = await up(config, refresh(first.state), options);
  return { first, plain, refreshed };
}
