// Pure helpers of the mesh CA: certificate subjects and the files of Istio's `cacerts` Secret.

/** The DNS name istiod serves its CA on; Istio's own tooling puts it in every intermediate. */
export const ISTIOD_DNS_NAME = "istiod.istio-system.svc";

/** Key names of the `cacerts` Secret that istiod reads as its plug-in CA. */
export const CACERTS_KEYS = ["ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem"] as const;
export type CacertsKey = (typeof CACERTS_KEYS)[number];
export type CacertsData = Record<CacertsKey, string>;

export function rootSubject(organization: string) {
  return { organization, commonName: "Root CA" };
}

export function intermediateSubject(organization: string, cluster: string) {
  return { organization, commonName: "Intermediate CA", locality: cluster };
}

/** One PEM block per line ending: trims surrounding whitespace and ends with a single newline. */
export function normalizePem(text: string, what: string, label = "CERTIFICATE"): string {
  const trimmed = text.replace(/\r\n/g, "\n").trim();
  if (!trimmed.startsWith("-----BEGIN ") || !trimmed.includes(label) || !trimmed.endsWith("-----")) {
    throw new Error(`${what}: is not a PEM ${label.toLowerCase()}`);
  }
  return `${trimmed}\n`;
}

/**
 * The four files istiod expects: its signing intermediate, that intermediate's key, the roots it trusts and
 * the chain from the intermediate up to its root. The roots' private keys have no place here.
 */
export function cacertsFiles(input: {
  intermediateCertPem: string;
  intermediateKeyPem: string;
  /** The root the intermediate is signed by. */
  rootCertPem: string;
  /** root-cert.pem when it holds more than that root (a rotation: pki/rotation.ts). */
  trustBundlePem?: string;
}): CacertsData {
  const intermediate = normalizePem(input.intermediateCertPem, "intermediate certificate");
  const root = normalizePem(input.rootCertPem, "root certificate");
  const bundle = input.trustBundlePem ?? root;
  if (!bundle.includes(root))
    throw new Error("root-cert.pem: does not hold the root the intermediate chains to");
  return {
    "ca-cert.pem": intermediate,
    "ca-key.pem": normalizePem(input.intermediateKeyPem, "intermediate key", "PRIVATE KEY"),
    "root-cert.pem": bundle,
    "cert-chain.pem": intermediate + root,
  };
}
