// Stack config as the Pulumi CLI hands it to the program: Pulumi.yaml defaults overlaid with a stack file,
// every value a string (objects and lists as JSON). The one loader behind `npm run plan`, the bench and tests.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parse } from "yaml";
import { placeholderKubeconfig, placeholderPrivateKey } from "../../config/secretPlaceholders";
import { revealSecrets, secretSourceOf, type SecretSource, type SecretsSettings } from "./stackSecrets";

const placeholderReason = (source: SecretSource) =>
  "placeholderReason" in source ? source.placeholderReason : "";

/** The project's root folder (where Pulumi.yaml lives). */
export const ROOT = join(__dirname, "..", "..");
/** Pulumi.yaml `name`: the namespace of the project's own config keys. */
export const PROJECT = "istio-multicluster";

/** Config as the CLI passes it: fully qualified keys, string values. */
export type CliConfig = Record<string, string>;

export function asCliString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** `topology` -> `istio-multicluster:topology`; qualified keys (`gcp:project`) stay as they are. */
export function qualify(key: string): string {
  return key.includes(":") ? key : `${PROJECT}:${key}`;
}

/** Project defaults from Pulumi.yaml, keyed `istio-multicluster:<key>`. */
export function projectDefaults(root = ROOT): CliConfig {
  const project = parse(readFileSync(join(root, "Pulumi.yaml"), "utf8")) as {
    config?: Record<string, { default?: unknown }>;
  };
  return Object.fromEntries(
    Object.entries(project.config ?? {})
      .filter(([, decl]) => decl.default !== undefined)
      .map(([key, decl]) => [qualify(key), asCliString(decl.default)]),
  );
}

export function stackFilePath(stack: string, root = ROOT): string {
  return join(root, `Pulumi.${stack}.yaml`);
}

/** The stack name a file stands for: `Pulumi.<name>.yaml` -> `<name>`, else the file name without .yaml. */
export function stackNameOf(path: string): string {
  const file = basename(path);
  return /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1] ?? file.replace(/\.ya?ml$/, "");
}

/** Stacks that have a `Pulumi.<stack>.yaml` next to Pulumi.yaml, sorted. */
export function listStacks(root = ROOT): string[] {
  return readdirSync(root)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

/** A stack file as the CLI reads it for `pulumi up`. */
export interface StackFile {
  /** Project defaults overlaid with the file's keys, secrets revealed (or placeholders). */
  config: CliConfig;
  /** Keys whose value is or holds a `secure:` value: the CLI passes them as secrets. */
  secretKeys: string[];
  /** Secure values planned with a placeholder, by path (`istio-multicluster:kubeconfigs.east`). */
  placeholders: string[];
  /** Why there are placeholders: which key the plan did not have. */
  placeholderReason?: string;
}

const CLUSTERS_KEY = `${PROJECT}:clusters`;

/** A placeholder of the shape the program expects at `path` (config/secretPlaceholders.ts). */
function placeholderFor(path: readonly string[], file: Record<string, unknown>): string {
  const [key, ...sub] = path;
  const rootKeys = [`${PROJECT}:caRootPrivateKey`, `${PROJECT}:caRotationNewRootPrivateKey`];
  if (rootKeys.includes(key!) && sub.length === 0) return placeholderPrivateKey();
  if (key === `${PROJECT}:kubeconfigs`) {
    if (sub.length === 1) return placeholderKubeconfig(sub[0]!);
    // The whole map is one secret: a kubeconfig for every cluster that needs one.
    const clusters = Array.isArray(file[CLUSTERS_KEY]) ? (file[CLUSTERS_KEY] as { name?: unknown }[]) : [];
    const names = clusters
      .filter((c) => (c as { existing?: unknown }).existing === "kubeconfig" && typeof c.name === "string")
      .map((c) => c.name as string);
    return JSON.stringify(Object.fromEntries(names.map((n) => [n, placeholderKubeconfig(n)])));
  }
  return "[secret]"; // the CLI's own word for a secret it does not show
}

/**
 * The config `pulumi up` would give the program for a stack file anywhere on disk: keys without a namespace
 * are the project's (the CLI's stackConfigNamespacedWithProject, sdk/go/common/workspace/loaders.go);
 * `secure:` values are decrypted with the passphrase from `env` when the stack uses the passphrase
 * provider, else planned with placeholders.
 */
export function loadStackFile(path: string, root = ROOT, env: NodeJS.ProcessEnv = process.env): StackFile {
  if (!existsSync(path)) throw new Error(`stack file ${path} does not exist`);
  // Merge keys (<<: *anchor) expand as the CLI's YAML parser expands them.
  const file = (parse(readFileSync(path, "utf8"), { merge: true }) ?? {}) as {
    config?: unknown;
  } & SecretsSettings;
  const config = file.config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new Error(`${path}: \`config\` must be a mapping of keys to values`);
  }
  const qualified: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    const full = qualify(key);
    if (full in qualified)
      throw new Error(`${path}: ${full} is set twice (as ${key} and as ${full}): keep one`);
    qualified[full] = value;
  }
  const secretKeys: string[] = [];
  const placeholders: string[] = [];
  let source: SecretSource | undefined;
  const sourceOnce = () => (source ??= secretSourceOf(file, env));
  const values: CliConfig = {};
  for (const [key, value] of Object.entries(qualified)) {
    let revealed: ReturnType<typeof revealSecrets>;
    try {
      revealed = revealSecrets(key, value, sourceOnce, (p) => placeholderFor(p, qualified));
    } catch (error) {
      throw new Error(`${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (revealed.secret) secretKeys.push(key);
    placeholders.push(...revealed.placeholders);
    values[key] = asCliString(revealed.value);
  }
  return {
    config: { ...projectDefaults(root), ...values },
    secretKeys,
    placeholders,
    ...(placeholders.length > 0 ? { placeholderReason: placeholderReason(sourceOnce()) } : {}),
  };
}

/** The config of a stack file (see loadStackFile). */
export function configFromFile(path: string, root = ROOT): CliConfig {
  return loadStackFile(path, root).config;
}

/** The stack file of a `pulumi up --stack <stack>`. */
export function loadStack(stack: string, root = ROOT): StackFile {
  const path = stackFilePath(stack, root);
  if (!existsSync(path)) throw new Error(`unknown stack "${stack}": ${path} does not exist`);
  return loadStackFile(path, root);
}

/** The config a `pulumi up --stack <stack>` would give the program. */
export function stackConfig(stack: string, root = ROOT): CliConfig {
  return loadStack(stack, root).config;
}

/** Project defaults + the given keys (unqualified keys are this project's; `undefined` removes a key). */
export function withOverrides(
  values: Record<string, unknown>,
  base: CliConfig = projectDefaults(),
): CliConfig {
  const merged = new Map(Object.entries(base));
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) merged.delete(qualify(key));
    else merged.set(qualify(key), asCliString(value));
  }
  return Object.fromEntries(merged);
}
