// The step the engine takes for one registration of an `up` against an existing state (pulumi
// pkg/resource/deploy/step_generator.go): create what the state lacks, keep what the provider finds
// unchanged ("same": the stored outputs are the program's outputs), update in place, or replace. A
// replacement also follows `replaceWith`, a replaced provider, and a delete-before-replace dependency
// whose ID a force-new input holds (the engine's dependent replacements).
import { providerUrnOf } from "../graph";
import { normalizedInputs, providerDiff } from "./providerDiff";
import { forcesReplacement } from "./replacements";
import type { RegistrationRequest } from "./sdkSeam";
import type { DeploymentState, StateEntry } from "./state";

export type PlannedKind = "create" | "same" | "update" | "replace";

export interface PlannedStep {
  readonly kind: PlannedKind;
  /** Changed input paths, and why a replacement happens. */
  readonly reasons: readonly string[];
  /** The state entry the registration continues (by URN, or through an alias). */
  readonly prior?: StateEntry;
}

export type StepOptions = Pick<
  RegistrationRequest,
  "urn" | "provider" | "replaceWith" | "ignoreChanges" | "replaceOnChanges" | "dependencies"
> & { readonly aliasNames?: readonly string[] };

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/** The state entry a registration continues: its own URN, or an alias (same type and parent, old name). */
export function priorOf(state: DeploymentState, registration: StepOptions): StateEntry | undefined {
  const own = state.get(registration.urn);
  if (own) return own;
  const base = registration.urn.slice(0, registration.urn.lastIndexOf("::") + 2);
  for (const alias of registration.aliasNames ?? []) {
    const entry = state.get(`${base}${alias}`);
    if (entry) return entry;
  }
  return undefined;
}

/** The values another resource may hold of this one's outputs (ids, self links, names). */
function referencesOf(entry: StateEntry): Set<string> {
  const refs = new Set<string>();
  for (const key of ["id", "selfLink", "name"]) {
    const v = key === "id" ? entry.id : entry.outputs[key];
    if (typeof v === "string" && v.length > 3) refs.add(v);
  }
  return refs;
}

export function planStep(
  registration: StepOptions,
  type: string,
  inputs: Record<string, unknown>,
  state: DeploymentState,
  decided: ReadonlyMap<string, PlannedStep>,
): PlannedStep {
  const prior = priorOf(state, registration);
  if (!prior) return { kind: "create", reasons: [] };
  const own = providerDiff(prior, inputs, registration, forcesReplacement);
  const replaced = (urn: string) => decided.get(urn)?.kind === "replace";
  const why = own.replaces.map((p) => `${p} (forces replacement)`);
  for (const target of registration.replaceWith)
    if (replaced(target)) why.push(`replaceWith ${nameOf(target)} (replaced)`);
  const provider = providerUrnOf(registration.provider);
  if (provider && replaced(provider)) why.push(`its provider ${nameOf(provider)} is replaced`);
  // A dependency replaced delete-before-replace keeps its name, so its ID looks the same: the engine
  // still replaces a dependent whose force-new input holds it (deployment's dependent replacements).
  for (const dep of registration.dependencies) {
    const step = decided.get(dep);
    if (step?.kind !== "replace" || !step.prior?.deleteBeforeReplace) continue;
    const refs = referencesOf(step.prior);
    for (const [key, value] of Object.entries(prior.inputs)) {
      const mentions = JSON.stringify(value)
        .split('"')
        .some((s) => refs.has(s));
      if (mentions && forcesReplacement(type, key)) why.push(`${key} refers to ${nameOf(dep)} (replaced)`);
    }
  }
  if (why.length > 0) return { kind: "replace", reasons: why, prior };
  if (own.changed.length > 0) return { kind: "update", reasons: own.changed, prior };
  return { kind: "same", reasons: [], prior };
}

/** What the state stores as a resource's inputs (pulumi-kubernetes keeps them normalized). */
export const storedInputs = normalizedInputs;
