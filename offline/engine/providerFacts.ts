// The field flags the offline engine diffs bridged resources with. GCP: the Terraform Google provider's
// schema at the version the pinned @pulumi/gcp bridges (facts/gcp-schema.json, facts/README.md). Other
// types (TLS certificates and keys) have no schema data here: their replacement rules are in
// replacements.ts.
import { overlaps, parseCidr } from "../../addressing/cidr";
import { fieldFacts as gcpFieldFacts, parentPaths, resourceFacts } from "./facts/gcpSchema";

export interface FieldFacts {
  readonly computed: boolean;
  readonly forceNew: boolean;
  /** The schema default an unset field takes (parsed from the Go literal), or undefined. */
  readonly defaultValue?: string | number | boolean;
  /** Name of the DiffSuppressFunc, when the field has one. */
  readonly diffSuppress?: string;
  /** A TypeSet: order does not matter. */
  readonly set: boolean;
  /** A block (a list or set of objects, MaxItems=1 ones included), as opposed to a single value. */
  readonly block: boolean;
}

/** True for the types whose schema the facts hold. */
export const hasSchemaFacts = (type: string) => resourceFacts(type) !== undefined;

/** Flags of a field (dot path, list indexes allowed), or undefined when the schema has no such field. */
export function fieldFacts(type: string, path: string): FieldFacts | undefined {
  const f = gcpFieldFacts(type, path);
  if (!f) return undefined;
  return {
    computed: f.computed === true,
    forceNew: f.forceNew === true,
    ...(f.default !== undefined ? { defaultValue: goLiteral(f.default) } : {}),
    ...(f.diffSuppressFunc !== undefined ? { diffSuppress: f.diffSuppressFunc } : {}),
    set: f.type === "set",
    block: (f.type === "list" || f.type === "set") && f.element === undefined,
  };
}

/**
 * Does a change at `path` replace the resource (terraform-plugin-sdk v2 schemaMap.diff)? A field's own
 * ForceNew; a ForceNew block replaces when the block itself (its path) appears or disappears, and a field
 * inside a list of primitives is the list. Unknown to the schema: no (Pulumi-only inputs).
 */
export function schemaForcesReplacement(type: string, path: string): boolean {
  const own = fieldFacts(type, path);
  if (own) return own.forceNew;
  // A path below a leaf (an element of a list of primitives, a key of a map): the nearest field decides.
  const nearest = parentPaths(path)
    .map((p) => fieldFacts(type, p))
    .find((f) => f !== undefined);
  return nearest !== undefined && !nearest.block && nearest.forceNew;
}

/**
 * The schema's conditional replacements (customdiff.ForceNewIfChange): a change of `path` from `before` to
 * `after` replaces when the provider's condition holds. The conditions the program's fields meet are
 * written out here; an unknown condition counts as replacing, so it cannot hide a replacement.
 */
export function conditionallyReplaces(type: string, path: string, before: unknown, after: unknown): boolean {
  const condition = resourceFacts(type)?.forceNewIf?.[path];
  if (condition === undefined) return false;
  if (condition === "IsShrinkageIpCidr") return isShrinkage(before, after);
  if (condition === "isBeenEnabled") return before !== true && after === true;
  return true;
}

/** tpgresource.IsShrinkageIpCidr: the new range does not contain the old one (growing stays in place). */
function isShrinkage(before: unknown, after: unknown): boolean {
  const [a, b] = [parseCidr(String(before)), parseCidr(String(after))];
  return !a || !b || !(b.prefix <= a.prefix && overlaps(a, b));
}

/** A Go literal of a schema default: `false`, `1000`, `"EXTERNAL"`; anything else stays source text. */
function goLiteral(source: string): string | number | boolean {
  if (source === "true" || source === "false") return source === "true";
  if (/^-?\d+(\.\d+)?$/.test(source)) return Number(source);
  const quoted = /^"(.*)"$/.exec(source);
  return quoted ? quoted[1]! : source;
}
