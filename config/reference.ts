// The README's configuration reference, generated from the zod schema (its JSON Schema form) so that a key,
// default or description is written once, in schema.ts. `npm run docs` writes it; a test fails when the
// README and the schema disagree.
import { z } from "zod";
import { SECRET_KEYS } from "./load";
import { setKubeconfigCommand } from "./messages";
import {
  caNewRootSchema,
  caRotationSchema,
  clusterSchema,
  istioRevisionsSchema,
  meshConfigSchema,
  nodePoolSchema,
} from "./schema";

export const REFERENCE_START = "<!-- config-reference:start (npm run docs) -->";
export const REFERENCE_END = "<!-- config-reference:end -->";

/** The secret keys are read apart from the schema (their values never enter the settings). */
const SECRET_KEY_DOCS: Record<(typeof SECRET_KEYS)[number], { type: string; description: string }> = {
  caRootPrivateKey: {
    type: "string (PEM)",
    description:
      "Private key of caRootCertificate: `pulumi config set --secret caRootPrivateKey < root-key.pem`",
  },
  caRotationNewRootPrivateKey: {
    type: "string (PEM)",
    description:
      "Private key of caRotation.newRoot.certificate: `pulumi config set --secret caRotationNewRootPrivateKey < new-root-key.pem`",
  },
  kubeconfigs: {
    type: "map of strings",
    description: `Kubeconfig of each \`existing: kubeconfig\` cluster, by cluster name: \`${setKubeconfigCommand("<name>")}\``,
  },
};

interface JsonSchema {
  type?: string;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
}

const code = (value: string) => `\`${value}\``;

// Bounds up to the safe-integer limit are zod's way of saying "unbounded".
const bound = (n: number | undefined) => (n !== undefined && Math.abs(n) < 2 ** 52 ? n : undefined);

function typeOf(property: JsonSchema): string {
  if (property.enum) return `one of ${property.enum.map((v) => code(String(v))).join(", ")}`;
  if (property.type === "array")
    return property.items?.type === "object" ? "list of objects" : "list of strings";
  if (property.type === "integer") {
    const [min, max] = [bound(property.minimum), bound(property.maximum)];
    if (min !== undefined && max !== undefined) return `integer ${min}-${max}`;
    return min !== undefined ? `integer >= ${min}` : "integer";
  }
  return property.type ?? "any";
}

function defaultOf(property: JsonSchema, required: boolean): string {
  if (property.default !== undefined) return code(JSON.stringify(property.default));
  return required ? "(required)" : "unset";
}

// Pipes end a Markdown table cell.
const cell = (text: string) => text.replaceAll("|", "\\|");

function table(schema: JsonSchema, keyName: (key: string) => string = code): string[] {
  const required = new Set(schema.required ?? []);
  const rows = Object.entries(schema.properties ?? {}).map(([key, property]) => {
    if (!property.description) throw new Error(`config/schema.ts: ${key} has no description`);
    return [keyName(key), typeOf(property), defaultOf(property, required.has(key)), property.description];
  });
  return [
    "| key | type | default | meaning |",
    "| --- | --- | --- | --- |",
    ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`),
  ];
}

/** The reference in Markdown, without the markers (prettier formats the tables in the README). */
export function configReference(): string {
  const secrets = Object.entries(SECRET_KEY_DOCS).map(
    ([key, { type, description }]) => `| ${code(key)} (secret) | ${type} | unset | ${cell(description)} |`,
  );
  return [
    "Stack settings (`pulumi config set <key> <value>`; lists and objects as YAML in the stack file):",
    "",
    ...table(jsonSchemaOf(meshConfigSchema), (key) => code(key === "project" ? "gcp:project" : key)),
    ...secrets,
    "",
    "Each entry of `clusters`:",
    "",
    ...table(jsonSchemaOf(clusterSchema)),
    "",
    "`nodePool` of a created cluster:",
    "",
    ...table(jsonSchemaOf(nodePoolSchema)),
    "",
    "`caRotation`, a root rotation in progress (docs/certificates.md):",
    "",
    ...table(jsonSchemaOf(caRotationSchema)),
    "",
    "`caRotation.newRoot`:",
    "",
    ...table(jsonSchemaOf(caNewRootSchema)),
    "",
    "`istioRevisions` (canary upgrades, docs/upgrades.md):",
    "",
    ...table(jsonSchemaOf(istioRevisionsSchema)),
  ].join("\n");
}

/** `document` with the text between the markers replaced by `reference`. */
export function withReference(document: string, reference: string): string {
  const start = document.indexOf(REFERENCE_START);
  const end = document.indexOf(REFERENCE_END);
  if (start < 0 || end < start)
    throw new Error(`the markers ${REFERENCE_START} ... ${REFERENCE_END} are missing`);
  return `${document.slice(0, start + REFERENCE_START.length)}\n\n${reference}\n\n${document.slice(end)}`;
}
