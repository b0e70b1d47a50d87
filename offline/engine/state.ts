// A deployment's state as the Pulumi engine keeps it between operations: for each resource its ID, the
// inputs the program last sent, the outputs its provider stored (after create, update or refresh), and the
// resource options that decide how a later change is carried out.
import type { RecordedResource } from "./recorder";

/** A resource as the state holds it: what was registered, its ID and the outputs its provider stored. */
export type StateEntry = RecordedResource;

/** Resources by URN, in the order they were registered. */
export type DeploymentState = ReadonlyMap<string, StateEntry>;

/** A state entry from a recorded registration and what the provider answered (its lazy fields read now). */
export const stateEntry = (
  record: RecordedResource,
  inputs: Record<string, unknown> = record.inputs,
): StateEntry => ({ ...record, inputs });

/** The same entry with other stored outputs (a refresh, or the provider's answer to an update). */
export const withOutputs = (entry: StateEntry, outputs: Record<string, unknown>): StateEntry => ({
  ...entry,
  outputs,
});
