// The edge of the program: settings in, a typed MeshConfig or one ConfigError with every problem out.
// Each key (and each cluster) is checked on its own, so a shape error in one place never hides the
// cross-field problems elsewhere; the rules then run on everything that parsed.
import type { z } from "zod";
import { defaultNamePrefix } from "../gcp/names";
import { BUILT_ONLY } from "./existing";
import { readKubeconfig } from "../kube/kubeconfig";
import { quote, redact, setKubeconfigCommand } from "./messages";
import { CLUSTER_FIELDS, parseClusters, type ParsedCluster } from "./parseClusters";
import { CROSS_FIELD_RULES, type Rule, type RuleInput } from "./rules";
import {
  CLUSTER_COUNT,
  clusterSchema,
  MAX_CLUSTERS,
  MIN_CLUSTERS,
  MAX_NAME_PREFIX,
  meshConfigSchema,
  nodePoolSchema,
  type MeshConfig,
  type MeshSettings,
} from "./schema";
import { didYouMean } from "./suggest";

export class ConfigError extends Error {
  constructor(
    readonly problems: readonly string[],
    /** Checks that wait on a field named above, with the fields they wait on. */
    readonly waiting: readonly string[] = [],
  ) {
    super(
      `invalid stack config (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p}`).join("\n") +
        (waiting.length > 0
          ? `\nnot checked until the fields above are valid:\n${waiting.map((w) => `  - ${w}`).join("\n")}`
          : ""),
    );
    this.name = "ConfigError";
    // The message is the whole story: a JavaScript stack trace would only add noise to `pulumi up`.
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** What validation may know beside the settings: never echoed in a message. */
export interface ValidationContext {
  /** The stack name: the default name prefix comes from it. */
  stack?: string;
  /** Bring-your-own root key (PEM), checked against caRootCertificate. */
  caRootPrivateKey?: string;
  /** Key of a rotation's bring-your-own new root (PEM), checked against caRotation.newRoot.certificate. */
  caRotationNewRootPrivateKey?: string;
  /** Kubeconfigs of `existing: kubeconfig` clusters, by name (shape checked here). */
  kubeconfigs?: unknown;
  /** Secret keys that were stored in plain text. */
  plainTextSecrets?: readonly string[];
  /** The clock for certificate validity (tests pin it). */
  now?: Date;
}

/** `clusters[1].name` from zod's path ["clusters", 1, "name"]. */
export function fieldPath(path: readonly PropertyKey[]): string {
  // The project id lives in the gcp provider's namespace: name the key the user sets.
  if (path.length === 1 && path[0] === "project") return "gcp:project";
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`))
    .join("");
}

/** A key as messages show it: bare when it looks like a setting name (or `namespace:name`), quoted otherwise. */
const keyName = (key: string) =>
  /^[A-Za-z][A-Za-z0-9_-]*(:[A-Za-z][A-Za-z0-9_-]*)?$/.test(key) ? key : quote(key);

/** The stack program's config namespace (Pulumi.yaml `name`) and the provider's key it reads. */
const NAMESPACED_KEYS = (keys: readonly string[]) => [
  "gcp:project",
  ...keys.filter((k) => k !== "project").map((k) => `istio-multicluster:${k}`),
];

/** `x: is not a known setting`, with the known key it most likely means. */
function unknownKey(where: string, key: string, known: readonly string[]): string {
  if (!key.includes(":")) return `${where}${keyName(key)}: is not a known setting${didYouMean(key, known)}`;
  // A key with a namespace reaches validation only when it is in the wrong one (config/load.ts): the same
  // name in the right namespace (istio-multicluster:project -> gcp:project), else the nearest key.
  const candidates = NAMESPACED_KEYS(known);
  const name = key.split(":")[1];
  const moved = candidates.find((k) => k !== key && k.split(":")[1] === name);
  const hint = moved !== undefined ? ` (did you mean ${moved}?)` : didYouMean(key, candidates);
  return `${where}${keyName(key)}: is not a known setting${hint}`;
}

/** Known keys of the mapping at a zod path (a cluster's nodePool, or a cluster). */
const knownKeysAt = (path: readonly PropertyKey[]): readonly string[] =>
  path.at(-1) === "nodePool" ? Object.keys(nodePoolSchema.shape) : Object.keys(clusterSchema.shape);

/**
 * An Istio version written as a YAML number (`istioVersion: 1.30` reads as 1.3): one message that says to
 * quote it, instead of "not x.y.z" and "not supported".
 */
function numericVersionProblem(value: unknown): string | undefined {
  const unquoted =
    'write the whole version in quotes, like "1.30.3" (unquoted, YAML reads 1.30 as the number 1.3)';
  if (typeof value === "number") return `${value} is a YAML number, not a version x.y.z: ${unquoted}`;
  if (typeof value !== "string" || !/^[0-9]+(\.[0-9]+)?$/.test(value)) return undefined;
  return `${quote(value)} is not a version x.y.z: ${unquoted}`;
}

const kindOf = (value: unknown) =>
  value === null
    ? "null"
    : Array.isArray(value)
      ? "a list"
      : typeof value === "object"
        ? "a mapping"
        : typeof value;

/** Messages for the YAML pitfalls people actually hit: quoted numbers, yes/no, nulls, lists for mappings. */
function typeMessage(issue: z.core.$ZodIssueInvalidType, inList: boolean): string {
  const input = issue.input;
  if (input === null && inList) return "is an empty entry (null): remove it, or describe a cluster";
  if (input === null) return "is null: remove the key to use its default, or give a value";
  if (input === undefined) return issue.message.startsWith("Invalid input") ? "is required" : issue.message;
  if (issue.expected === "boolean" && typeof input === "string") {
    return `${quote(input)} is not a boolean: write true or false (YAML 1.1 words like yes, no, on, off are strings here)`;
  }
  if ((issue.expected === "number" || issue.expected === "int") && typeof input === "string") {
    return `${quote(input)} is a string, not a number: write the number without quotes`;
  }
  const expected =
    issue.expected === "object" ? "a mapping" : issue.expected === "array" ? "a list" : `a ${issue.expected}`;
  return `must be ${expected}, got ${kindOf(input)}`;
}

function describeIssue(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[]): string[] {
  const field = fieldPath([...prefix, ...issue.path]);
  const path = [...prefix, ...issue.path];
  if (issue.code === "unrecognized_keys") {
    const where = field === "" ? "" : `${field}.`;
    return issue.keys.map((k) => unknownKey(where, k, knownKeysAt(path)));
  }
  const message =
    issue.code === "invalid_type" ? typeMessage(issue, typeof path.at(-1) === "number") : issue.message;
  return [`${field || "config"}: ${message}`];
}

/** Marks a field that did not parse (its problems are reported). */
const FAILED = Symbol("failed");

function parseField(
  schema: z.ZodType,
  value: unknown,
  path: readonly PropertyKey[],
  problems: string[],
): unknown {
  if (path.at(-1) === "istioVersion") {
    const numeric = numericVersionProblem(value);
    if (numeric !== undefined) {
      problems.push(`${fieldPath(path)}: ${numeric}`);
      return FAILED;
    }
  }
  const parsed = schema.safeParse(value, { reportInput: true });
  if (parsed.success) return parsed.data;
  problems.push(...parsed.error.issues.flatMap((i) => describeIssue(i, path)));
  return FAILED;
}

export type ValidationResult =
  | { ok: true; config: MeshConfig }
  /** `waiting`: checks that could not run yet, each with the invalid fields it waits on. */
  | { ok: false; problems: string[]; waiting: string[] };

export function validateMeshConfig(settings: unknown, context: ValidationContext = {}): ValidationResult {
  if (typeof settings !== "object" || settings === null || Array.isArray(settings)) {
    return {
      ok: false,
      problems: [`config: must be a mapping of settings, got ${kindOf(settings)}`],
      waiting: [],
    };
  }
  const raw = settings as Record<string, unknown>;
  const problems: string[] = [];
  const shape = meshConfigSchema.shape;
  for (const key of context.plainTextSecrets ?? []) {
    problems.push(
      `${key}: is stored in plain text in the stack file: set it with pulumi config set --secret ${key}`,
    );
  }
  const kubeconfigs = context.kubeconfigs ?? {};
  const kubeconfigsOk =
    typeof kubeconfigs === "object" &&
    kubeconfigs !== null &&
    !Array.isArray(kubeconfigs) &&
    Object.values(kubeconfigs).every((v) => typeof v === "string");
  if (!kubeconfigsOk) {
    problems.push(
      `kubeconfigs: must map cluster names to kubeconfig text (${setKubeconfigCommand("<name>")})`,
    );
  }
  for (const key of Object.keys(raw).filter((k) => !(k in shape))) {
    problems.push(unknownKey("", key, Object.keys(shape)));
  }

  const parsed: Partial<Record<keyof MeshSettings, unknown>> = {};
  const failed = new Set<string>();
  for (const key of Object.keys(shape) as (keyof MeshSettings)[]) {
    if (key === "clusters") continue;
    const value = parseField(shape[key] as z.ZodType, raw[key], [key], problems);
    if (value === FAILED) failed.add(key);
    else parsed[key] = value;
  }

  // Clusters field by field: every field that parsed takes part in the rules that read it.
  let clusters: ParsedCluster[] = [];
  const list = raw["clusters"];
  if (!Array.isArray(list)) {
    problems.push(
      list === undefined
        ? "clusters: is required: a list of clusters"
        : `clusters: must be a list, got ${kindOf(list)}`,
    );
    failed.add("clusters");
  } else {
    if (list.length < MIN_CLUSTERS) problems.push(`clusters: ${CLUSTER_COUNT.tooFew}`);
    if (list.length > MAX_CLUSTERS) problems.push(`clusters: ${CLUSTER_COUNT.tooMany(list.length)}`);
    clusters = parseClusters(
      list,
      (schema, value, path) => parseField(schema, value, path, problems),
      FAILED,
      (field, key) => problems.push(unknownKey(`${field}.`, key, CLUSTER_FIELDS)),
    );
  }

  const stack = context.stack ?? "mesh";
  const namePrefix = (parsed.namePrefix as string | undefined) ?? defaultNamePrefix(stack, MAX_NAME_PREFIX);
  const input: Omit<RuleInput, "clusters"> = {
    settings: parsed as Partial<MeshSettings>,
    failed,
    namePrefix,
    namePrefixField:
      parsed.namePrefix === undefined ? `namePrefix (from the stack name "${stack}")` : "namePrefix",
    caRootPrivateKey: context.caRootPrivateKey,
    caRotationNewRootPrivateKey: context.caRotationNewRootPrivateKey,
    kubeconfigs: kubeconfigsOk ? (kubeconfigs as Record<string, string>) : {},
    now: context.now ?? new Date(),
  };
  const checked = runRules(CROSS_FIELD_RULES, input, clusters);
  problems.push(...checked.problems);
  if (problems.length > 0) {
    return { ok: false, problems: [...new Set(problems.map(redact))], waiting: checked.waiting };
  }
  return {
    ok: true,
    config: {
      ...(parsed as MeshSettings),
      clusters: clusters.map((c) => c.cluster),
      namePrefix,
      caRootPrivateKeySet: context.caRootPrivateKey !== undefined,
      caRotationNewRootPrivateKeySet: context.caRotationNewRootPrivateKey !== undefined,
      kubeconfigServers: Object.fromEntries(
        clusters
          .filter(({ cluster }) => cluster.existing === "kubeconfig")
          .map(({ cluster }) => [
            cluster.name,
            readKubeconfig(input.kubeconfigs[cluster.name]!).cluster.server,
          ]),
      ),
    },
  };
}

/**
 * Every rule on what it can read. A check that cannot run on a field that did not parse (or that must
 * leave out a cluster with such a field) is named with the fields it waits on, so that fixing the reported
 * problems brings no surprise.
 */
function runRules(
  rules: readonly Rule[],
  input: Omit<RuleInput, "clusters">,
  clusters: readonly ParsedCluster[],
): { problems: string[]; waiting: string[] } {
  const problems: string[] = [];
  const waiting = new Map<string, string[]>(); // the fields waited on -> the checks waiting
  for (const rule of rules) {
    if (rule.applies && !rule.applies({ ...input, clusters })) continue;
    const blocked = rule.needs.filter((key) => input.failed.has(key)).map((key) => fieldPath([key]));
    const usable: ParsedCluster[] = [];
    for (const c of clusters) {
      const existing = !c.failed.has("existing") && c.cluster.existing !== undefined;
      if (rule.createdClustersOnly && existing) continue;
      // What an existing cluster may not say at all is reported as such, and waits for nothing.
      const irrelevant = (f: string) => existing && (BUILT_ONLY as readonly string[]).includes(f);
      const bad = (rule.clusterFields ?? CLUSTER_FIELDS).filter((f) => c.failed.has(f) && !irrelevant(f));
      // An entry that is not a mapping at all waits on itself, not on each of its fields.
      if (bad.length === CLUSTER_FIELDS.length) blocked.push(c.field);
      else if (bad.length > 0 && rule.acrossClusters) blocked.push(...bad.map((f) => `${c.field}.${f}`));
      else if (bad.length === 0 && !(rule.acrossClusters && c.duplicate)) usable.push(c);
    }
    if (blocked.length > 0) {
      const on = blocked.join(", ");
      waiting.set(on, [...(waiting.get(on) ?? []), rule.what]);
    }
    if (rule.needs.some((key) => input.failed.has(key))) continue;
    problems.push(...rule.check({ ...input, clusters: usable }));
  }
  const list = (items: readonly string[]) =>
    items.length === 1 ? items[0]! : `${items.slice(0, -1).join(", ")} and ${items.at(-1)!}`;
  return {
    problems,
    waiting: [...waiting].map(
      ([on, checks]) => `${list(checks)}: wait${checks.length === 1 ? "s" : ""} on ${on}`,
    ),
  };
}

/** Validates or throws one ConfigError naming every problem. */
export function requireValidConfig(settings: unknown, context: ValidationContext = {}): MeshConfig {
  const result = validateMeshConfig(settings, context);
  if (!result.ok) throw new ConfigError(result.problems, result.waiting);
  return result.config;
}
