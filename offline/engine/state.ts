// A deployment's state as the Pulumi engine keeps it between operations: for each resource its ID, the
// inputs the program last sent, the outputs its provider stored (after create, update or refresh), and the
// resource options that decide how a later change is carried out.
import type { RecordedResource } from "./recorder";

/** A resource as the state holds it: what was registered, its ID and the outputs its provider stored. */
export type StateEntry = RecordedResource;

/** Resources by URN, in the order they were registered. */
export type DeploymentState = ReadonlyMap<string, StateEntry>;

/** A state entry from a recorded registration and what the provider answered. */
export function stateEntry(
  record: RecordedResource,
  inputs: Record<string, unknown> = record.inputs,
): StateEntry {
  return {
    urn: record.urn,
    type: record.type,
    name: record.name,
    custom: record.custom,
    parent: record.parent,
    provider: record.provider,
    dependencies: [...record.dependencies],
    inputs,
    secretInputs: [...record.secretInputs],
    additionalSecretOutputs: [...record.additionalSecretOutputs],
    replaceWith: [...record.replaceWith],
    deleteBeforeReplace: record.deleteBeforeReplace,
    replaceOnChanges: [...record.replaceOnChanges],
    ignoreChanges: [...record.ignoreChanges],
    deletedWith: record.deletedWith,
    aliasNames: [...record.aliasNames],
    outputs: record.outputs,
    id: record.id,
    secretOutputs: [...record.secretOutputs],
  };
}

/** The same entry with other stored outputs (a refresh, or the provider's answer to an update). */
export const withOutputs = (entry: StateEntry, outputs: Record<string, unknown>): StateEntry => ({
  ...entry,
  outputs,
});
