// Reads the stack's config into the raw shape that validateMeshConfig checks. Values arrive from the
// engine as strings; non-string keys are JSON-decoded here so that zod, not Pulumi, reports type errors
// (all at once, each naming its key).
import * as pulumi from "@pulumi/pulumi";

/** Keys whose values are plain strings; every other key is decoded as JSON (booleans, numbers, lists). */
const STRING_KEYS = new Set([
  "topology",
  "meshId",
  "istioVersion",
  "releaseChannel",
  "caKeyAlgorithm",
  "caOrganization",
  "caRootCertificate",
]);
/** Read separately as a secret; validation only learns whether it is set. */
const ROOT_KEY = "caRootPrivateKey";

function decode(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text; // left for the schema to reject with a message naming the key
  }
}

export interface StackConfig {
  raw: Record<string, unknown>;
  /** Bring-your-own root key; kept an Output so it never leaves the secret path. */
  caRootPrivateKey: pulumi.Output<string> | undefined;
}

export function readStackConfig(): StackConfig {
  const prefix = `${pulumi.getProject()}:`;
  const raw: Record<string, unknown> = {};
  // Every key of this project's namespace goes to validation, so a misspelt key is reported, not ignored.
  for (const [fullKey, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (!fullKey.startsWith(prefix)) continue;
    const key = fullKey.slice(prefix.length);
    // Declared defaults of optional strings are "" (Pulumi needs a default to keep a key optional).
    if (key === ROOT_KEY || value === "") continue;
    raw[key] = STRING_KEYS.has(key) ? value : decode(value);
  }
  const rootKeySet = (pulumi.runtime.allConfig()[`${prefix}${ROOT_KEY}`] ?? "") !== "";
  const caRootPrivateKey = rootKeySet ? new pulumi.Config().requireSecret(ROOT_KEY) : undefined;
  raw["caRootPrivateKeySet"] = rootKeySet;
  const project = new pulumi.Config("gcp").get("project");
  if (project !== undefined) raw["project"] = project;
  return { raw, caRootPrivateKey };
}
