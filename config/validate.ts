// The edge of the program: raw stack config in, a typed MeshConfig or every problem at once out.
import type { z } from "zod";
import { CROSS_FIELD_RULES } from "./rules";
import { meshConfigSchema, type MeshConfig } from "./schema";

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `invalid stack config (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

/** `clusters[1].name` from zod's path ["clusters", 1, "name"]. */
export function fieldPath(path: readonly PropertyKey[]): string {
  // The project id lives in the gcp provider's namespace: name the key the user sets.
  if (path.length === 1 && path[0] === "project") return "gcp:project";
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`))
    .join("");
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = fieldPath(issue.path);
  if (issue.code === "unrecognized_keys") {
    const where = field === "" ? "" : `${field}.`;
    return issue.keys.map((k) => `${where}${k}: is not a known setting`).join("\n");
  }
  return `${field || "config"}: ${issue.message}`;
}

export type ValidationResult = { ok: true; config: MeshConfig } | { ok: false; problems: string[] };

export function validateMeshConfig(raw: unknown): ValidationResult {
  const parsed = meshConfigSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.flatMap((i) => describeIssue(i).split("\n")) };
  }
  const problems = CROSS_FIELD_RULES.flatMap((rule) => rule(parsed.data));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config: parsed.data };
}

/** Validates or throws one ConfigError naming every problem. */
export function requireValidConfig(raw: unknown): MeshConfig {
  const result = validateMeshConfig(raw);
  if (!result.ok) throw new ConfigError(result.problems);
  return result.config;
}
