// Reads the stack's config into the settings that validation checks. Values arrive from the engine as
// strings; non-string keys are JSON-decoded here so that zod, not Pulumi, reports type errors (all at once,
// each naming its key).
import * as pulumi from "@pulumi/pulumi";
import { meshConfigSchema } from "./schema";
import { nearest } from "./suggest";

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
  "caRootName",
]);
/** Secret keys: read as values for validation, never part of the settings. */
const ROOT_KEY = "caRootPrivateKey";
const KUBECONFIGS_KEY = "kubeconfigs";
const NEW_ROOT_KEY = "caRotationNewRootPrivateKey";
export const SECRET_KEYS = [ROOT_KEY, KUBECONFIGS_KEY, NEW_ROOT_KEY] as const;

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
  /** Key of a rotation's bring-your-own new root, when set. */
  caRotationNewRootPrivateKey?: string;
  /** The `kubeconfigs` map as decoded (validation checks its shape). */
  kubeconfigs?: unknown;
  /** Secret keys the stack stores in plain text (set without --secret). */
  plainTextSecrets: string[];
}

/**
 * The settings in a config map as the CLI hands it over (`<project>:<key>` -> string). Pure;
 * `isSecret` tells whether the CLI received a key as a secret.
 */
export function settingsFromConfig(
  all: Readonly<Record<string, string>>,
  project: string,
  isSecret: (fullKey: string) => boolean = () => true,
): StackSettings {
  const prefix = `${project}:`;
  const settings: Record<string, unknown> = {};
  // Every key of this project's namespace goes to validation, so a misspelt key is reported, not ignored.
  for (const [fullKey, value] of Object.entries(all)) {
    if (!fullKey.startsWith(prefix)) continue;
    const key = fullKey.slice(prefix.length);
    // Declared defaults of optional strings are "" (Pulumi needs a default to keep a key optional).
    if ((SECRET_KEYS as readonly string[]).includes(key) || value === "") continue;
    // The project id is gcp:project: under this namespace it is a key in the wrong place.
    if (key === "project") settings[fullKey] = value;
    else settings[key] = STRING_KEYS.has(key) ? value : decode(value);
  }
  // A key in a namespace one slip away from this project's or gcp's (istio-multicluter:topology, gpc:project),
  // or one of this project's settings under gcp (gcp:topology, gcp:projet), would be ignored by the program:
  // it goes to validation whole, which names the key it means.
  const ours = Object.keys(meshConfigSchema.shape).filter((k) => k !== "project");
  for (const [fullKey, value] of Object.entries(all)) {
    const [namespace = "", key = ""] = fullKey.split(":");
    const misplaced =
      (namespace !== project && namespace !== "gcp" && nearest(namespace, [project, "gcp"]) !== undefined) ||
      (namespace === "gcp" &&
        key !== "project" &&
        (ours.includes(key) || nearest(key, ["project"]) !== undefined));
    if (misplaced) settings[fullKey] = value;
  }
  const gcpProject = all["gcp:project"];
  if (gcpProject !== undefined) settings["project"] = gcpProject;
  const rootKey = all[`${prefix}${ROOT_KEY}`] ?? "";
  const newRootKey = all[`${prefix}${NEW_ROOT_KEY}`] ?? "";
  const kubeconfigs = all[`${prefix}${KUBECONFIGS_KEY}`];
  const plainTextSecrets = SECRET_KEYS.filter(
    (k) => all[`${prefix}${k}`] !== undefined && !isSecret(`${prefix}${k}`),
  );
  return {
    settings,
    ...(rootKey !== "" ? { caRootPrivateKey: rootKey } : {}),
    ...(newRootKey !== "" ? { caRotationNewRootPrivateKey: newRootKey } : {}),
    ...(kubeconfigs !== undefined ? { kubeconfigs: decode(kubeconfigs) } : {}),
    plainTextSecrets,
  };
}

// The SDK keeps the list of secret keys the CLI passed; its reader is not part of the typed API.
const runtimeSecrets = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };

export function readStackConfig(): StackSettings {
  const isSecret = runtimeSecrets.isConfigSecret?.bind(pulumi.runtime) ?? (() => true);
  return settingsFromConfig(pulumi.runtime.allConfig(), pulumi.getProject(), isSecret);
}
