// Values of valid shape that stand in for secrets an offline plan cannot decrypt (a `secure:` value of a
// stack whose key it does not have). Each carries a mark, so that a check that would need the real secret
// (does this key belong to that certificate?) is skipped and said to be skipped, never failed or faked.
import { generateKeyPairSync } from "node:crypto";

/** The mark every placeholder starts with. */
export const SECRET_PLACEHOLDER_MARK = "# secret placeholder: the offline plan could not decrypt this value";

export const isSecretPlaceholder = (value: unknown): boolean =>
  typeof value === "string" && value.startsWith(SECRET_PLACEHOLDER_MARK);

/**
 * A kubeconfig for cluster `name` whose server is in the reserved `.invalid` domain (RFC 2606): it has the
 * shape validation expects, and reaches nothing.
 */
export function placeholderKubeconfig(name: string): string {
  return [
    SECRET_PLACEHOLDER_MARK,
    "apiVersion: v1",
    "kind: Config",
    `clusters: [{ name: ${name}, cluster: { server: "https://${name}.secret-placeholder.invalid" } }]`,
    `contexts: [{ name: ${name}, context: { cluster: ${name}, user: ${name} } }]`,
    `current-context: ${name}`,
    `users: [{ name: ${name}, user: {} }]`,
    "",
  ].join("\n");
}

let placeholderKey: string | undefined;

/**
 * A PEM private key (text before the PEM block is ignored by PEM readers, so the mark can lead): a fresh
 * P-256 key, which cannot belong to any given certificate, so nothing may check that it does.
 */
export function placeholderPrivateKey(): string {
  placeholderKey ??= `${SECRET_PLACEHOLDER_MARK}\n${generateKeyPairSync("ec", { namedCurve: "P-256" })
    .privateKey.export({ type: "pkcs8", format: "pem" })
    .toString()}`;
  return placeholderKey;
}
