// Checks of a bring-your-own root CA, before anything is created: one self-signed CA certificate that may
// sign certificates, valid now and for longer than the intermediates it will sign, with its private key.
// Messages never show key material; the key is read only to compare it with the certificate.
import "reflect-metadata";
import { createPrivateKey, createPublicKey, webcrypto, X509Certificate, type KeyObject } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { isSecretPlaceholder } from "./secretPlaceholders";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export interface CaRootInput {
  certificate?: string | undefined;
  privateKey?: string | undefined;
  /** How long each intermediate will be valid: the root must outlive it. */
  intermediateValidityHours: number;
  now: Date;
  /** How messages name the two settings (a rotation's new root has its own). */
  fields?: { certificate: string; privateKey: string };
}

const MESH_ROOT_FIELDS = { certificate: "caRootCertificate", privateKey: "caRootPrivateKey" };
const hours = (ms: number) => Math.floor(ms / 3_600_000);

export function caRootProblems(input: CaRootInput): string[] {
  const { certificate, privateKey } = input;
  const { certificate: CERT, privateKey: KEY } = input.fields ?? MESH_ROOT_FIELDS;
  if (certificate === undefined && privateKey === undefined) return [];
  if (certificate === undefined) return [`${CERT}: is required when ${KEY} is set`];
  const problems: string[] = [];
  if (/PRIVATE KEY-----/.test(certificate)) {
    problems.push(
      `${CERT}: holds a private key: put only the certificate here, and the key in ${KEY} (pulumi config set --secret ${KEY} < key.pem)`,
    );
  }
  const blocks = certificate.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0;
  if (blocks !== 1) {
    problems.push(
      blocks === 0
        ? `${CERT}: is not a PEM certificate (-----BEGIN CERTIFICATE-----)`
        : `${CERT}: holds ${blocks} certificates: give exactly the root certificate (no chain, no bundle)`,
    );
  }
  if (privateKey === undefined) problems.push(`${KEY}: is required (as a secret) when ${CERT} is set`);
  if (blocks !== 1) return problems;

  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certificate);
  } catch {
    return [...problems, `${CERT}: does not parse as an X.509 certificate`];
  }
  problems.push(...certificateProblems(cert, input, CERT));
  // A placeholder for a secret the offline plan could not decrypt belongs to no certificate: the check
  // waits for the real key (the plan says so) rather than failing on it.
  if (privateKey !== undefined && !isSecretPlaceholder(privateKey))
    problems.push(...keyProblems(cert, privateKey, CERT, KEY));
  return problems;
}

function certificateProblems(cert: X509Certificate, input: CaRootInput, CERT: string): string[] {
  const problems: string[] = [];
  if (!cert.ca) problems.push(`${CERT}: is not a CA certificate (basicConstraints CA:TRUE)`);
  const usages = new x509.X509Certificate(cert.raw).getExtension(x509.KeyUsagesExtension)?.usages;
  if (usages !== undefined && (usages & x509.KeyUsageFlags.keyCertSign) === 0) {
    problems.push(`${CERT}: its keyUsage does not allow certificate signing (keyCertSign)`);
  }
  if (!cert.checkIssued(cert) || !cert.verify(cert.publicKey)) {
    problems.push(`${CERT}: is not self-signed: give the root of the chain, not an intermediate`);
  }
  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  if (notBefore > input.now) {
    problems.push(`${CERT}: is not valid yet (from ${notBefore.toISOString()})`);
  } else if (notAfter <= input.now) {
    problems.push(`${CERT}: expired on ${notAfter.toISOString()}`);
  } else {
    const left = hours(notAfter.getTime() - input.now.getTime());
    if (left <= input.intermediateValidityHours) {
      problems.push(
        `${CERT}: is valid for ${left} more hours, not longer than the ${input.intermediateValidityHours} hours of ` +
          `the intermediates it would sign (caIntermediateValidityHours): renew the root or shorten the intermediates`,
      );
    }
  }
  return problems;
}

function keyProblems(cert: X509Certificate, privateKey: string, CERT: string, KEY: string): string[] {
  let key: KeyObject;
  try {
    key = createPrivateKey(privateKey);
  } catch {
    return [`${KEY}: is not a PEM private key`];
  }
  if (!["rsa", "ec", "ed25519"].includes(key.asymmetricKeyType ?? "")) {
    return [`${KEY}: is a ${key.asymmetricKeyType} key; the mesh CA signs with RSA, ECDSA or Ed25519`];
  }
  const spki = (k: KeyObject) => k.export({ type: "spki", format: "der" });
  if (!spki(createPublicKey(key)).equals(spki(cert.publicKey))) {
    return [`${KEY}: does not belong to ${CERT} (their public keys differ)`];
  }
  return [];
}
