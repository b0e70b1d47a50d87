// How each provider diffs a resource's new inputs against what the state holds, as the engine asks it in
// `pulumi up`: the bridged Terraform providers (gcp, tls) compare the program's config with the stored
// state (what the provider read back from the API), other providers compare old and new inputs.
//
// Bridged providers (pulumi-terraform-bridge, SDKv2 shim): a field the config leaves unset is not a change
// when the schema marks it Computed (the API's value stays); an empty list, map or string is the same as an
// unset one; a DiffSuppressFunc can call two values equal; a change of a ForceNew field replaces; paths in
// `ignoreChanges` are dropped from the diff (the bridge filters them out of the Terraform InstanceDiff).
// Kubernetes (pulumi-kubernetes Diff) and Helm releases compare the normalized inputs stored in the state
// (provider.go normalizeInputs: a Secret's stringData becomes data) with the new ones.
import { changedPaths, isIgnored, isPlainObject, valueAt } from "./diff";
import { conditionallyReplaces, fieldFacts, hasSchemaFacts, schemaForcesReplacement } from "./providerFacts";
import type { StateEntry } from "./state";

export interface OwnDiff {
  /** Changed input paths. */
  readonly changed: readonly string[];
  /** The subset that forces a replacement. */
  readonly replaces: readonly string[];
}

/** Terraform's zero values: an unset field and an empty one are the same to the bridge. */
const isEmpty = (v: unknown) =>
  v === undefined ||
  v === null ||
  v === "" ||
  (Array.isArray(v) && v.length === 0) ||
  (isPlainObject(v) && Object.values(v).every(isEmpty));

/** A GCP reference as an ID or a self link: `https://www.googleapis.com/compute/v1/projects/...`. */
const relativeReference = (v: string) =>
  v.replace(/^https:\/\/[a-z.]+googleapis\.com\/[a-z]+\/v[0-9a-z]+\//, "");

/** tpgresource.CompareSelfLinkOrResourceName and its relatives: equal when they name the same resource. */
function sameReference(a: unknown, b: unknown): boolean {
  if (typeof a !== "string" || typeof b !== "string") return false;
  const [ra, rb] = [relativeReference(a), relativeReference(b)];
  if (ra === rb) return true;
  // A bare name against a full path: the last segment decides (the suppress function's own rule).
  const last = (s: string) => s.split("/").pop();
  return (!ra.includes("/") || !rb.includes("/")) && last(ra) === last(rb);
}

const SELF_LINK_SUPPRESSORS = /CompareSelfLink|compareSelfLink|CompareResourceNames|CompareOptionalSubnet/;

function suppressed(type: string, path: string, before: unknown, after: unknown): boolean {
  const facts = fieldFacts(type, path);
  if (facts?.diffSuppress && SELF_LINK_SUPPRESSORS.test(facts.diffSuppress))
    return sameReference(before, after);
  if (facts?.diffSuppress === "containerClusterAddedScopesSuppress" && Array.isArray(before)) {
    // GKE adds the default logging and monitoring scopes; the provider ignores those additions.
    return Array.isArray(after) && after.every((scope) => before.includes(scope));
  }
  if (facts?.set && Array.isArray(before) && Array.isArray(after)) {
    // A TypeSet compares as a set.
    const key = (v: unknown) => JSON.stringify(v);
    return before.length === after.length && before.every((v) => after.map(key).includes(key(v)));
  }
  return false;
}

const numericIndex = /\.\d+(?=\.|$)/g;

/** Every leaf of the config that differs from the stored state, with the bridge's rules. */
function bridgedChanges(type: string, state: unknown, config: unknown, path = ""): string[] {
  const schemaPath = path.replace(numericIndex, "");
  if (path !== "" && suppressed(type, schemaPath, state, config)) return [];
  if (isEmpty(config)) {
    if (isEmpty(state)) return [];
    // Unset in the config: the API's value stays when the schema computes it.
    const facts = fieldFacts(type, schemaPath);
    if (facts === undefined || facts.computed) return [];
    // Unset with a default: the provider plans the default.
    if (facts.defaultValue !== undefined) return state === facts.defaultValue ? [] : [path];
    return [path];
  }
  if (isPlainObject(config)) {
    const stored = isPlainObject(state) ? state : {};
    const keys = new Set([...Object.keys(config), ...Object.keys(stored)]);
    const inner = [...keys]
      .sort()
      .flatMap((k) => bridgedChanges(type, stored[k], config[k], path ? `${path}.${k}` : k));
    // A block that appears changes its count: the block itself is a change (a ForceNew one replaces).
    return path !== "" && isEmpty(state) && inner.length > 0 ? [path, ...inner] : inner;
  }
  return JSON.stringify(state) === JSON.stringify(config) ? [] : [path];
}

/** Resources of the bridged Terraform providers: diffed against the stored state. */
const bridged = (type: string) => type.startsWith("gcp:") || type.startsWith("tls:");

/** The provider's diff of one resource: new inputs against the stored state, ignoreChanges applied. */
export function providerDiff(
  entry: StateEntry,
  inputs: Record<string, unknown>,
  options: { ignoreChanges: readonly string[]; replaceOnChanges: readonly string[] },
  forcesReplacement: (type: string, path: string) => boolean,
): OwnDiff {
  const raw = bridged(entry.type)
    ? bridgedChanges(entry.type, entry.outputs, inputs)
    : changedPaths(normalizedInputs(entry.type, entry.inputs), normalizedInputs(entry.type, inputs));
  const changed = raw.filter((p) => p !== "" && !isIgnored(p, options.ignoreChanges));
  const replaces = changed.filter(
    (p) =>
      (hasSchemaFacts(entry.type)
        ? schemaForcesReplacement(entry.type, p)
        : forcesReplacement(entry.type, p)) ||
      conditionallyReplaces(entry.type, p, valueAt(entry.outputs, p), valueAt(inputs, p)) ||
      options.replaceOnChanges.some((o) => p === o || p.startsWith(`${o}.`)),
  );
  return { changed, replaces };
}

/** pulumi-kubernetes stores a Secret's stringData as base64 data (clients/unstructured.go normalizeSecret). */
export function normalizedInputs(type: string, inputs: Record<string, unknown>): Record<string, unknown> {
  if (type !== "kubernetes:core/v1:Secret" || !isPlainObject(inputs["stringData"])) return inputs;
  const { stringData, ...rest } = inputs;
  const data = { ...(isPlainObject(rest["data"]) ? rest["data"] : {}) };
  for (const [k, v] of Object.entries(stringData as Record<string, unknown>)) {
    data[k] = Buffer.from(String(v)).toString("base64");
  }
  return { ...rest, data };
}
