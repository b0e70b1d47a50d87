// Reads the stack's config into the settings that validation checks. Values arrive from the engine as
// strings; non-string keys are JSON-decoded here so that zod, not Pulumi, reports type errors (all at once,
// each naming its key).
import * as pulumi from "@pulumi/pulumi";

/** Keys whose values are plain strings; every other key is decoded as JSON (booleans, numbers, lists). */
const STRING_KEYS = new Set([
  "topology",
  "meshId",
  "namePrefix",
  "istioVersion",
  "istioChartRepository",
  "istioHub",
  "releaseChannel",
  "caKeyAlgorithm",
  "caOrganization",
  "caRootCertificate",
]);
/** Secret keys: read as values for validation, never part of the settings. */
const ROOT_KEY = "caRootPrivateKey";

function decode(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text; // left for the schema to reject with a message naming the key
  }
}

export interface StackSettings {
  /** This project's keys without their namespace, plus `project` from gcp:project. */
  settings: Record<string, unknown>;
  /** Bring-your-own root key, when set (the CLI hands config to programs decrypted). */
  caRootPrivateKey?: string;
}

/** The settings in a config map as the CLI hands it over (`<project>:<key>` -> string). Pure. */
export function settingsFromConfig(all: Readonly<Record<string, string>>, project: string): StackSettings {
  const prefix = `${project}:`;
  const settings: Record<string, unknown> = {};
  // Every key of this project's namespace goes to validation, so a misspelt key is reported, not ignored.
  for (const [fullKey, value] of Object.entries(all)) {
    if (!fullKey.startsWith(prefix)) continue;
    const key = fullKey.slice(prefix.length);
    // Declared defaults of optional strings are "" (Pulumi needs a default to keep a key optional).
    if (key === ROOT_KEY || value === "") continue;
    settings[key] = STRING_KEYS.has(key) ? value : decode(value);
  }
  const gcpProject = all["gcp:project"];
  if (gcpProject !== undefined) settings["project"] = gcpProject;
  const rootKey = all[`${prefix}${ROOT_KEY}`] ?? "";
  return { settings, ...(rootKey !== "" ? { caRootPrivateKey: rootKey } : {}) };
}

export function readStackConfig(): StackSettings {
  return settingsFromConfig(pulumi.runtime.allConfig(), pulumi.getProject());
}
