// Bring-your-own root CAs for validation tests, good and bad, with dates relative to the real clock
// (the program checks validity against the time of `pulumi up`). ECDSA P-256 keeps generation instant.
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const HOUR = 3_600_000;

export interface Pem {
  certPem: string;
  keyPem: string;
}

async function keys() {
  return (await webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
}

async function keyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString("base64").replace(/(.{64})/g, "$1\n")}\n-----END PRIVATE KEY-----\n`;
}

interface RootOptions {
  fromHours?: number;
  toHours?: number;
  ca?: boolean;
  usages?: x509.KeyUsageFlags;
}

async function selfSigned(name: string, o: RootOptions = {}): Promise<Pem> {
  const pair = await keys();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "0a",
    name: `CN=${name}, O=Test`,
    notBefore: new Date(now + (o.fromHours ?? -1) * HOUR),
    notAfter: new Date(now + (o.toHours ?? 24 * 365 * 5) * HOUR),
    signingAlgorithm: ALG,
    keys: pair,
    extensions: [
      new x509.BasicConstraintsExtension(o.ca ?? true, undefined, true),
      new x509.KeyUsagesExtension(
        o.usages ?? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
    ],
  });
  return { certPem: cert.toString("pem"), keyPem: await keyPem(pair.privateKey) };
}

/** An intermediate signed by `issuer`: a CA, but not self-signed. */
async function signedBy(issuer: Pem): Promise<Pem> {
  const pair = await keys();
  const issuerCert = new x509.X509Certificate(issuer.certPem);
  const issuerKey = await webcrypto.subtle.importKey(
    "pkcs8",
    Buffer.from(issuer.keyPem.replace(/-----[^-]+-----|\s/g, ""), "base64"),
    ALG,
    false,
    ["sign"],
  );
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: "0b",
    subject: "CN=Intermediate, O=Test",
    issuer: issuerCert.subject,
    notBefore: new Date(Date.now() - HOUR),
    notAfter: new Date(Date.now() + 24 * 365 * 2 * HOUR),
    signingAlgorithm: ALG,
    publicKey: pair.publicKey,
    signingKey: issuerKey,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
    ],
  });
  return { certPem: cert.toString("pem"), keyPem: await keyPem(pair.privateKey) };
}

export interface CaFixtures {
  good: Pem;
  other: Pem;
  expired: Pem;
  notYetValid: Pem;
  shortLived: Pem;
  notCa: Pem;
  noCertSign: Pem;
  intermediate: Pem;
}

export async function makeCaFixtures(): Promise<CaFixtures> {
  const good = await selfSigned("Good Root");
  return {
    good,
    other: await selfSigned("Other Root"),
    expired: await selfSigned("Expired Root", { fromHours: -24 * 400, toHours: -24 }),
    notYetValid: await selfSigned("Future Root", { fromHours: 24 * 30, toHours: 24 * 3000 }),
    // Valid for 100 more hours: shorter than the default one-year intermediates.
    shortLived: await selfSigned("Short Root", { toHours: 100 }),
    notCa: await selfSigned("Leaf", { ca: false, usages: x509.KeyUsageFlags.digitalSignature }),
    noCertSign: await selfSigned("No Signing", { usages: x509.KeyUsageFlags.digitalSignature }),
    intermediate: await signedBy(good),
  };
}
