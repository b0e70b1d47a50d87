// How validation talks about values: quoted, shortened, and never echoing anything that looks like key
// material (a private key, a certificate, a token pasted into the wrong field).
import { DNS_LABEL } from "../kube/names";

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(-----END [A-Z0-9 ]+-----|$)/g;
// Escaped form too: a PEM inside a JSON-quoted value has literal "\n" sequences.
const PEM_HEADER = /-----BEGIN [A-Z0-9 ]+-----/;
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;
const BASE64_RUN = /[A-Za-z0-9+/]{40,}={0,2}/g;
export const REDACTED = "<redacted: looks like key material>";

/** A long base64 run that mixes upper case, lower case and digits (or uses + and /): a key or a token. */
function isBase64Secret(run: string): boolean {
  if (/[+/]/.test(run)) return true;
  return /[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run);
}

/** True for text that holds (or is) key material of any kind. */
export function looksLikeKeyMaterial(text: string): boolean {
  if (PEM_HEADER.test(text) || new RegExp(JWT.source).test(text)) return true;
  return (text.match(BASE64_RUN) ?? []).some(isBase64Secret);
}

/** Removes key material from a message, whatever field it came from. */
export function redact(message: string): string {
  return message
    .replace(PEM_BLOCK, REDACTED)
    .replace(JWT, REDACTED)
    .replace(BASE64_RUN, (run) => (isBase64Secret(run) ? REDACTED : run));
}

/** A value as a message shows it: JSON-quoted, at most 60 characters, key material never shown. */
export function quote(value: unknown): string {
  if (typeof value === "string" && looksLikeKeyMaterial(value)) return REDACTED;
  const text = value === undefined ? "undefined" : JSON.stringify(value);
  if (text === undefined) return String(value);
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return looksLikeKeyMaterial(shown) ? REDACTED : shown;
}

/**
 * Why `value` is not a DNS-1123 label that starts with a letter and fits `maxLength`, naming the first
 * character at fault; undefined when it is one.
 */
export function describeLabelProblem(value: string, maxLength: number): string | undefined {
  const shown = quote(value);
  if (value === "") return "must not be empty";
  if (value.length > maxLength) return `${shown} is longer than ${maxLength} characters`;
  if (DNS_LABEL.test(value) && /^[a-z]/.test(value)) return undefined;
  const bad = [...value].findIndex((ch) => !/[a-z0-9-]/.test(ch));
  if (bad >= 0) {
    const ch = value[bad]!;
    const hint = /[A-Z]/.test(ch) ? " (use lower case)" : "";
    return `${shown} is not a DNS-1123 label: ${JSON.stringify(ch)} at position ${bad + 1} is not a lower-case letter, digit or "-"${hint}`;
  }
  if (!/^[a-z]/.test(value)) return `${shown} must start with a letter`;
  return `${shown} is not a DNS-1123 label: it must end with a letter or digit`;
}

/** How one cluster's kubeconfig is set (the secret `kubeconfigs` map), as messages and docs tell it. */
export const setKubeconfigCommand = (name: string) =>
  `pulumi config set --secret --path 'kubeconfigs.${name}' "$(cat ${name}.yaml)"`;
