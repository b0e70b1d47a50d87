// The Google provider's own schema flags for the GCP types the program creates, read from gcp-schema.json
// (generated from the Terraform provider's source by tools/provider-facts; see README.md beside it).
// Paths are Pulumi property paths: camelCase, MaxItems=1 blocks as objects (`nodeConfig.serviceAccount`),
// fields of list elements without an index (`secondaryIpRanges.rangeName`).
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface FieldFacts {
  /** The Terraform path (`node_config.service_account`). */
  readonly tf: string;
  /** Terraform type: string, bool, int, float, list, set, map. */
  readonly type: string;
  /** Element type of a list, set or map of primitives. */
  readonly element?: string;
  readonly optional?: true;
  readonly required?: true;
  /** The provider fills it in (a default or what the API reports) when the program leaves it out. */
  readonly computed?: true;
  /** A change replaces the resource. On a block (list/set) this applies to the block appearing or
   * disappearing; its fields carry their own flags (terraform-plugin-sdk v2 schemaMap.diffList). */
  readonly forceNew?: true;
  readonly sensitive?: true;
  /** A list or set of at most one element: an object in Pulumi. */
  readonly maxItemsOne?: true;
  readonly maxItems?: number;
  /** The provider compares old and new through this function (source text), not byte for byte. */
  readonly diffSuppressFunc?: string;
  /** The provider stores a normalized value (source text of the function). */
  readonly stateFunc?: string;
  /** Schema default (Go source text). */
  readonly default?: string;
  readonly deprecated?: true;
  /** Where the field is declared: `google-beta/services/...go:line` at the recorded upstream commit. */
  readonly source: string;
}

export interface ResourceFacts {
  readonly token: string;
  /** Where the resource is registered in the provider. */
  readonly source: string;
  /** What pulumi-gcp's provider/resources.go adds to the upstream schema (auto-naming, deleteBeforeReplace). */
  readonly pulumiOverrides?: string;
  /** The plan-time functions (source text) the provider runs after the field-by-field diff. */
  readonly customizeDiff?: readonly string[];
  /** Pulumi path -> the condition under which a change of it replaces (customdiff.ForceNewIfChange). */
  readonly forceNewIf?: Readonly<Record<string, string>>;
  readonly fields: Readonly<Record<string, FieldFacts>>;
}

export interface SchemaSource {
  readonly upstreamRepository: string;
  readonly upstreamTag: string;
  readonly upstreamCommit: string;
  /** The @pulumi/gcp version this data is for: a test fails when the installed one differs. */
  readonly pulumiGcpVersion: string;
  readonly note?: string;
  readonly generated: string;
  readonly command: string;
}

interface SchemaFile {
  readonly source: SchemaSource;
  readonly resources: Readonly<Record<string, ResourceFacts>>;
}

export const GCP_SCHEMA_FILE = join(__dirname, "gcp-schema.json");

const schema = JSON.parse(readFileSync(GCP_SCHEMA_FILE, "utf8")) as SchemaFile;

export const GCP_SCHEMA_SOURCE: SchemaSource = schema.source;

const byToken = new Map(Object.entries(schema.resources).map(([tf, r]) => [r.token, { tf, facts: r }]));

/** Pulumi type tokens with facts, e.g. `gcp:container/cluster:Cluster`. */
export const GCP_TOKENS: readonly string[] = [...byToken.keys()].sort();

/** `gcp:container/cluster:Cluster` -> `google_container_cluster`. */
export function terraformTypeOf(token: string): string | undefined {
  return byToken.get(token)?.tf;
}

/** `google_container_cluster` -> `gcp:container/cluster:Cluster`. */
export function pulumiTokenOf(terraformType: string): string | undefined {
  return schema.resources[terraformType]?.token;
}

/** A resource's facts by Pulumi token or Terraform type name. */
export function resourceFacts(type: string): ResourceFacts | undefined {
  return byToken.get(type)?.facts ?? schema.resources[type];
}

/** `secondaryIpRanges[0].rangeName` and `secondaryIpRanges.0.rangeName` -> `secondaryIpRanges.rangeName`. */
export function schemaPath(path: string): string {
  return path
    .replace(/\[\d+\]/g, "")
    .split(".")
    .filter((segment) => segment !== "" && !/^\d+$/.test(segment))
    .join(".");
}

/** The flags of one field, or undefined when the type or the path is unknown. */
export function fieldFacts(type: string, path: string): FieldFacts | undefined {
  return resourceFacts(type)?.fields[schemaPath(path)];
}

/** Every field path of a type (sorted), or [] for an unknown type. */
export function fieldPaths(type: string): string[] {
  return Object.keys(resourceFacts(type)?.fields ?? {}).sort();
}

/** Paths whose field is ForceNew (see FieldFacts.forceNew for what that means on a block). */
export function forceNewPaths(type: string): string[] {
  const fields = resourceFacts(type)?.fields ?? {};
  return Object.keys(fields)
    .filter((path) => fields[path]!.forceNew)
    .sort();
}

/** The block a path sits in, then its block, up to the top-level field: `a.b.c` -> [`a.b`, `a`]. */
export function parentPaths(path: string): string[] {
  const segments = schemaPath(path).split(".");
  return segments.slice(1).map((_, i) => segments.slice(0, segments.length - 1 - i).join("."));
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Every field path the inputs of a resource of `type` set: each object key (blocks too), the fields of
 * list elements without an index, and a map field (labels) as one path, not one per key.
 * `{ a: { b: 1 }, c: [{ d: 2 }], labels: { x: "y" } }` -> `a`, `a.b`, `c`, `c.d`, `labels`.
 */
export function inputPaths(type: string, inputs: Record<string, unknown>): string[] {
  const paths = new Set<string>();
  const visit = (value: unknown, path: string) => {
    if (Array.isArray(value)) value.forEach((element) => visit(element, path));
    else if (isPlainObject(value) && (path === "" || fieldFacts(type, path)?.type !== "map")) {
      for (const [key, child] of Object.entries(value)) {
        const childPath = path ? `${path}.${key}` : key;
        paths.add(childPath);
        visit(child, childPath);
      }
    }
  };
  visit(inputs, "");
  return [...paths].sort();
}
