// What every check sees of a resource: the shape the policy runtime hands a resource validation (type,
// URN and input properties with secrets unwrapped), so the same checks run in the pack and in tests.

export interface CheckedResource {
  /** Pulumi type token, e.g. `gcp:compute/firewall:Firewall`. */
  readonly type: string;
  /** `urn:pulumi:<stack>::<project>::<type chain>::<name>`. */
  readonly urn: string;
  readonly props: Readonly<Record<string, unknown>>;
}

/** Violation messages; empty when the resource complies or the check does not apply to it. */
export type Violations = string[];

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The stack a URN belongs to (the engine writes it second: `urn:pulumi:<stack>::`). */
export function stackOf(urn: string): string {
  const stack = /^urn:pulumi:([^:]+)::/.exec(urn)?.[1];
  if (stack === undefined) throw new Error(`not a Pulumi URN: ${urn}`);
  return stack;
}

/** `metadata.name` of a Kubernetes object, for messages. */
export function objectName(props: Readonly<Record<string, unknown>>): string {
  const metadata = props["metadata"];
  const name = isRecord(metadata) ? metadata["name"] : undefined;
  return typeof name === "string" ? name : "(unnamed)";
}

export const KUBERNETES_SECRET = "kubernetes:core/v1:Secret";

/**
 * The entries of a Secret's `data` (base64, decoded here) and `stringData`, as the API server merges them
 * (`stringData` wins). Values that are not strings are skipped: the API would reject them.
 */
export function secretEntries(props: Readonly<Record<string, unknown>>): Map<string, string> {
  const entries = new Map<string, string>();
  const data = props["data"];
  if (isRecord(data)) {
    for (const [key, value] of Object.entries(data)) {
      if (typeof value === "string") entries.set(key, Buffer.from(value, "base64").toString("utf8"));
    }
  }
  const stringData = props["stringData"];
  if (isRecord(stringData)) {
    for (const [key, value] of Object.entries(stringData)) {
      if (typeof value === "string") entries.set(key, value);
    }
  }
  return entries;
}
