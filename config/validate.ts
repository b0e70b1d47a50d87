// The edge of the program: settings in, a typed MeshConfig or one ConfigError with every problem out.
// Each key (and each cluster) is checked on its own, so a shape error in one place never hides the
// cross-field problems elsewhere; the rules then run on everything that parsed.
import type { z } from "zod";
import { defaultNamePrefix } from "../gcp/names";
import { quote, redact, setKubeconfigCommand } from "./messages";
import { CROSS_FIELD_RULES, type RuleInput } from "./rules";
import {
  clusterSchema,
  DEFAULT_NODE_POOL,
  MAX_CLUSTERS,
  MAX_NAME_PREFIX,
  meshConfigSchema,
  type ClusterConfig,
  type MeshConfig,
  type MeshSettings,
} from "./schema";

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `invalid stack config (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
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

/** A key as messages show it: bare when it looks like a setting name, quoted otherwise. */
const keyName = (key: string) => (/^[A-Za-z][A-Za-z0-9_-]*$/.test(key) ? key : quote(key));

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
  if (issue.code === "unrecognized_keys") {
    const where = field === "" ? "" : `${field}.`;
    return issue.keys.map((k) => `${where}${keyName(k)}: is not a known setting`);
  }
  const path = [...prefix, ...issue.path];
  const message =
    issue.code === "invalid_type" ? typeMessage(issue, typeof path.at(-1) === "number") : issue.message;
  return [`${field || "config"}: ${message}`];
}

function parseField<T>(
  schema: z.ZodType<T>,
  value: unknown,
  path: readonly PropertyKey[],
  problems: string[],
) {
  const parsed = schema.safeParse(value, { reportInput: true });
  if (!parsed.success) problems.push(...parsed.error.issues.flatMap((i) => describeIssue(i, path)));
  return parsed;
}

export type ValidationResult = { ok: true; config: MeshConfig } | { ok: false; problems: string[] };

export function validateMeshConfig(settings: unknown, context: ValidationContext = {}): ValidationResult {
  if (typeof settings !== "object" || settings === null || Array.isArray(settings)) {
    return { ok: false, problems: [`config: must be a mapping of settings, got ${kindOf(settings)}`] };
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
    problems.push(`${keyName(key)}: is not a known setting`);
  }

  const parsed: Partial<Record<keyof MeshSettings, unknown>> = {};
  const failed = new Set<string>();
  for (const key of Object.keys(shape) as (keyof MeshSettings)[]) {
    if (key === "clusters") continue;
    const result = parseField(shape[key] as z.ZodType, raw[key], [key], problems);
    if (result.success) parsed[key] = result.data;
    else failed.add(key);
  }

  // Clusters one by one: the valid ones still take part in the cross-field rules.
  const clusters: { field: string; cluster: ClusterConfig }[] = [];
  const list = raw["clusters"];
  if (!Array.isArray(list)) {
    problems.push(
      list === undefined
        ? "clusters: is required: a list of clusters"
        : `clusters: must be a list, got ${kindOf(list)}`,
    );
    failed.add("clusters");
  } else {
    if (list.length < 2) problems.push("clusters: needs at least two clusters for a multi-cluster mesh");
    if (list.length > MAX_CLUSTERS)
      problems.push(`clusters: has ${list.length} clusters, at most ${MAX_CLUSTERS} are supported`);
    list.forEach((entry, i) => {
      const result = parseField(clusterSchema, entry, ["clusters", i], problems);
      // A cluster the program creates gets the default node pool when it describes none.
      const cluster = (c: ClusterConfig) =>
        c.existing === undefined ? { ...c, nodePool: c.nodePool ?? DEFAULT_NODE_POOL } : c;
      if (result.success) clusters.push({ field: `clusters[${i}]`, cluster: cluster(result.data) });
      else failed.add(`clusters[${i}]`);
    });
  }

  const stack = context.stack ?? "mesh";
  const namePrefix = (parsed.namePrefix as string | undefined) ?? defaultNamePrefix(stack, MAX_NAME_PREFIX);
  const input: RuleInput = {
    settings: parsed as Partial<MeshSettings>,
    failed,
    clusters,
    namePrefix,
    namePrefixField:
      parsed.namePrefix === undefined ? `namePrefix (from the stack name "${stack}")` : "namePrefix",
    caRootPrivateKey: context.caRootPrivateKey,
    caRotationNewRootPrivateKey: context.caRotationNewRootPrivateKey,
    kubeconfigs: kubeconfigsOk ? (kubeconfigs as Record<string, string>) : {},
    now: context.now ?? new Date(),
  };
  const someClusterFailed = [...failed].some((f) => f.startsWith("clusters"));
  for (const rule of CROSS_FIELD_RULES) {
    if (rule.needs.some((key) => failed.has(key))) continue;
    if (rule.needsEveryCluster && someClusterFailed) continue;
    problems.push(...rule.check(input));
  }
  if (problems.length > 0) return { ok: false, problems: [...new Set(problems.map(redact))] };
  return {
    ok: true,
    config: {
      ...(parsed as MeshSettings),
      clusters: clusters.map((c) => c.cluster),
      namePrefix,
      caRootPrivateKeySet: context.caRootPrivateKey !== undefined,
      caRotationNewRootPrivateKeySet: context.caRotationNewRootPrivateKey !== undefined,
    },
  };
}

/** Validates or throws one ConfigError naming every problem. */
export function requireValidConfig(settings: unknown, context: ValidationContext = {}): MeshConfig {
  const result = validateMeshConfig(settings, context);
  if (!result.ok) throw new ConfigError(result.problems);
  return result.config;
}
