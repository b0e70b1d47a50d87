// What `pulumi up` would do to go from one evaluation to another: the steps Pulumi's engine takes, computed
// from two recordings. A resource is created, deleted, updated (inputs changed in place) or replaced (a
// force-new input changed, see replacements.ts, or something it is tied to is replaced). Shared by
// `npm run plan -- --against` and the day-2 tests.
import { providerUrnOf } from "../graph";
import type { RecordedResource } from "./recorder";
import { conditionallyReplaces } from "./providerFacts";
import { forcesReplacement } from "./replacements";

export type StepKind = "create" | "update" | "replace" | "delete";

export interface Step {
  readonly kind: StepKind;
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** The record on the side it exists (the new one, except for deletes). */
  readonly record: RecordedResource;
  /** Changed input paths, and why a replacement happens. */
  readonly reasons: readonly string[];
}

export interface MeshDiff {
  readonly steps: readonly Step[];
  readonly unchanged: number;
  count(kind: StepKind): number;
  of(kind: StepKind): Step[];
  /** The step for a URN, or undefined when the resource stays as it is. */
  stepOf(urn: string): Step | undefined;
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The value at a dot path of nested objects, or undefined. */
export const valueAt = (object: unknown, path: string): unknown =>
  path.split(".").reduce<unknown>((v, k) => (isPlainObject(v) ? v[k] : undefined), object);

/** Is `path` one of the ignoreChanges paths, or inside one? (The engine keeps the old value there.) */
export const isIgnored = (path: string, ignoreChanges: readonly string[]) =>
  ignoreChanges.some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));

/**
 * Dot paths of every leaf that differs (arrays compare whole). A block that appears or disappears counts
 * leaf by leaf, so a force-new field inside it (privateClusterConfig.masterIpv4CidrBlock) is seen.
 */
export function changedPaths(before: unknown, after: unknown, prefix = ""): string[] {
  if (before === undefined && isPlainObject(after)) return changedPaths({}, after, prefix);
  if (isPlainObject(before) && after === undefined) return changedPaths(before, {}, prefix);
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].sort().flatMap((k) => changedPaths(before[k], after[k], prefix ? `${prefix}.${k}` : k));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [prefix];
}

/** Blocks of the paths that exist on one side only: their count changes (a ForceNew block replaces). */
function appearingBlocks(paths: readonly string[], before: unknown, after: unknown): string[] {
  const blocks = new Set<string>();
  for (const p of paths) {
    const segments = p.split(".");
    for (let i = 1; i < segments.length; i++) {
      const block = segments.slice(0, i).join(".");
      if ((valueAt(before, block) === undefined) !== (valueAt(after, block) === undefined)) blocks.add(block);
    }
  }
  return [...blocks];
}

function ownReasons(type: string, before: RecordedResource, after: RecordedResource) {
  const leaves = changedPaths(before.inputs, after.inputs);
  // The engine keeps the old value of an ignored path, so a change there is no change.
  const paths = [...appearingBlocks(leaves, before.inputs, after.inputs), ...leaves].filter(
    (p) => !isIgnored(p, after.ignoreChanges),
  );
  const forced = paths.filter(
    (p) =>
      forcesReplacement(type, p) ||
      after.replaceOnChanges.some((o) => p === o || p.startsWith(`${o}.`)) ||
      conditionallyReplaces(type, p, before.inputs[p], after.inputs[p]),
  );
  return { paths, forced };
}

/** The values another resource may hold of this one's outputs (ids, self links, names). */
function referencesOf(record: RecordedResource): Set<string> {
  const refs = new Set<string>();
  for (const key of ["id", "selfLink", "name"]) {
    const v = record.outputs[key];
    if (typeof v === "string" && v.length > 3) refs.add(v);
  }
  return refs;
}

export function diffEvaluations(
  before: readonly RecordedResource[],
  after: readonly RecordedResource[],
): MeshDiff {
  const old = new Map(before.filter((r) => r.custom).map((r) => [r.urn, r]));
  const now = after.filter((r) => r.custom);
  const steps = new Map<string, Step>();
  const set = (r: RecordedResource, kind: StepKind, reasons: string[]) =>
    steps.set(r.urn, { kind, urn: r.urn, type: r.type, name: r.name, record: r, reasons });

  for (const r of now) {
    const previous = old.get(r.urn);
    if (!previous) {
      set(r, "create", []);
      continue;
    }
    const { paths, forced } = ownReasons(r.type, previous, r);
    if (forced.length > 0)
      set(
        r,
        "replace",
        forced.map((p) => `${p} (forces replacement)`),
      );
    else if (paths.length > 0) set(r, "update", paths);
  }

  // Replacements travel: through replaceWith, through the provider an object is created with, and into
  // a force-new input that held a replaced resource's id. Registration order puts dependencies first.
  let changed = true;
  while (changed) {
    changed = false;
    for (const r of now) {
      if (steps.get(r.urn)?.kind === "replace" || steps.get(r.urn)?.kind === "create") continue;
      const previous = old.get(r.urn)!;
      const replaced = (urn: string) => steps.get(urn)?.kind === "replace";
      const why: string[] = [];
      for (const target of r.replaceWith)
        if (replaced(target)) why.push(`replaceWith ${nameOf(target)} (replaced)`);
      const provider = providerUrnOf(r.provider);
      if (provider && replaced(provider)) why.push(`its provider ${nameOf(provider)} is replaced`);
      for (const dep of r.dependencies.filter(replaced)) {
        const refs = referencesOf(old.get(dep) ?? steps.get(dep)!.record);
        const through = Object.entries(previous.inputs).filter(
          ([key, value]) =>
            forcesReplacement(r.type, key) &&
            JSON.stringify(value)
              .split('"')
              .some((s) => refs.has(s)),
        );
        for (const [key] of through) why.push(`${key} refers to ${nameOf(dep)} (replaced)`);
      }
      if (why.length > 0) {
        set(r, "replace", [...why, ...(steps.get(r.urn)?.reasons ?? [])]);
        changed = true;
      }
    }
  }
  const present = new Set(now.map((r) => r.urn));
  for (const r of old.values()) if (!present.has(r.urn)) set(r, "delete", []);

  return meshDiff([...steps.values()], now.length);
}

/** The diff of these steps, out of `registered` resources of the new side. */
function meshDiff(list: readonly Step[], registered: number): MeshDiff {
  const byUrn = new Map(list.map((s) => [s.urn, s]));
  return {
    steps: list,
    unchanged: registered - list.filter((s) => s.kind !== "delete").length,
    count: (kind) => list.filter((s) => s.kind === kind).length,
    of: (kind) => list.filter((s) => s.kind === kind),
    stepOf: (urn) => byUrn.get(urn),
  };
}

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/** The diff an `up` against a state makes (the steps the mock cloud planned per registration, see steps.ts). */
export function diffOf(
  registered: readonly RecordedResource[],
  deleted: readonly RecordedResource[],
  stepOf: (urn: string) => { kind: string; reasons: readonly string[] } | undefined,
): MeshDiff {
  const list: Step[] = [];
  for (const r of registered) {
    const planned = stepOf(r.urn);
    if (!planned || planned.kind === "same") continue;
    const kind = planned.kind as StepKind;
    list.push({ kind, urn: r.urn, type: r.type, name: r.name, record: r, reasons: [...planned.reasons] });
  }
  for (const r of deleted)
    list.push({ kind: "delete", urn: r.urn, type: r.type, name: r.name, record: r, reasons: [] });
  return meshDiff(list, registered.length);
}
