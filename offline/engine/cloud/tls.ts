// The TLS provider (hashicorp/tls behind @pulumi/tls) realized with real cryptography: real keys in the PEM
// flavours the provider returns, CSRs and certificates with the extensions Go's crypto/x509 writes for the
// provider's inputs (keys: tlsPrivateKey.ts). Certificates carry a fixed start date and serials derived from
// the name, so two evaluations agree (RSA signatures are deterministic; ECDSA ones are not, hence the memo
// below).
import "reflect-metadata";
import { createPrivateKey, createPublicKey, webcrypto } from "node:crypto";
import type { KeyObject } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { isSecretPlaceholder } from "../../../config/secretPlaceholders";
import type { MockResourceArgs } from "@pulumi/pulumi/runtime";
import type { Handler, Realized } from "../mockCloud";
import { unwrapSecrets } from "../recorder";
import { memoizeOnDisk } from "./realizedCache";
import { pem } from "./sshEncoding";
import { curveOf, num, privateKeyHandler, sha, str } from "./tlsPrivateKey";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** Every certificate the mock issues starts here (the provider uses the time of `pulumi up`). */
export const MOCK_NOT_BEFORE = new Date("2026-11-01T00:00:00Z");

type Inputs = Record<string, unknown>;
type CreateParams = Parameters<typeof x509.X509CertificateGenerator.create>[0];
type SigningKey = Extract<CreateParams, { signingKey: unknown }>["signingKey"];
type SigningAlgorithm = NonNullable<CreateParams["signingAlgorithm"]>;
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : [];

// ---------------------------------------------------------------------------------- certificates
interface Signer {
  key: KeyObject;
  algorithm: string;
  webKey: SigningKey;
  signing: SigningAlgorithm;
}

// One signer per key and process: the mesh root signs every intermediate, and parsing and importing an RSA
// 4096 key each time was a tenth of a cold 64-cluster plan's mock work.
const signers = new Map<string, Promise<Signer>>();

/** The signer of a PEM key; throws (uncached) at once when the mock cannot sign with that key. */
function signerOf(pemText: string, what: string): Promise<Signer> {
  let signer = signers.get(pemText);
  if (!signer) {
    signer = importSigner(pemText, what);
    signers.set(pemText, signer);
  }
  return signer;
}

function importSigner(pemText: string, what: string): Promise<Signer> {
  const key = createPrivateKey(pemText);
  const der = key.export({ type: "pkcs8", format: "der" });
  let alg: webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams | webcrypto.Algorithm;
  let signing: SigningAlgorithm;
  if (key.asymmetricKeyType === "rsa") {
    alg = signing = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as webcrypto.RsaHashedImportParams;
  } else if (key.asymmetricKeyType === "ec") {
    const curve = curveOf(key)?.[1];
    if (!curve?.web)
      throw new Error(`${what}: the mock cannot sign with curve ${key.asymmetricKeyDetails?.namedCurve}`);
    alg = { name: "ECDSA", namedCurve: curve.web };
    signing = { name: "ECDSA", hash: curve.hash } as SigningAlgorithm;
  } else if (key.asymmetricKeyType === "ed25519") {
    alg = signing = { name: "Ed25519" };
  } else throw new Error(`${what}: unsupported key type ${key.asymmetricKeyType}`);
  const algorithm = { rsa: "RSA", ec: "ECDSA", ed25519: "ED25519" }[key.asymmetricKeyType]!;
  return webcrypto.subtle
    .importKey("pkcs8", der, alg, false, ["sign"])
    .then((webKey) => ({ key, algorithm, webKey: webKey as unknown as SigningKey, signing }));
}

/** SHA-1 of the public key as Go's provider marshals it (the RFC 5280 method 1 key identifier). */
function keyId(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: "jwk" });
  if (publicKey.asymmetricKeyType === "rsa")
    return sha("sha1", publicKey.export({ type: "pkcs1", format: "der" })).toString("hex");
  if (publicKey.asymmetricKeyType === "ec") {
    return sha(
      "sha1",
      Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.y!, "base64url")]),
    ).toString("hex");
  }
  const raw = Buffer.from(jwk.x!, "base64url");
  return sha("sha1", Buffer.concat([Buffer.from([4, raw.length]), raw])).toString("hex");
}

/** pkix.Name in Go's RDN order: C, ST, L, street, postalCode, O, OU, CN, serialNumber. */
export function subjectName(subject: unknown): x509.Name {
  const s = (subject ?? {}) as Inputs;
  const fields: [string, string[]][] = [
    ["2.5.4.6", strings([s["country"]])],
    ["2.5.4.8", strings([s["province"]])],
    ["2.5.4.7", strings([s["locality"]])],
    ["2.5.4.9", strings(s["streetAddresses"])],
    ["2.5.4.17", strings([s["postalCode"]])],
    ["2.5.4.10", strings([s["organization"]])],
    ["2.5.4.11", strings([s["organizationalUnit"]])],
    ["2.5.4.3", strings([s["commonName"]])],
    ["2.5.4.5", strings([s["serialNumber"]])],
  ];
  const value = (v: string) => (x509.Name.isPrintableString(v) ? { printableString: v } : { utf8String: v });
  return new x509.Name(fields.filter(([, v]) => v.length > 0).map(([oid, v]) => ({ [oid]: v.map(value) })));
}

function sanNames(inputs: Inputs): x509.JsonGeneralNames {
  return [
    ...strings(inputs["dnsNames"]).map((value) => ({ type: "dns" as const, value })),
    ...strings(inputs["ipAddresses"]).map((value) => ({ type: "ip" as const, value })),
    ...strings(inputs["uris"]).map((value) => ({ type: "url" as const, value })),
  ];
}

const KEY_USAGES: Record<string, x509.KeyUsageFlags> = {
  digital_signature: x509.KeyUsageFlags.digitalSignature,
  content_commitment: x509.KeyUsageFlags.nonRepudiation,
  key_encipherment: x509.KeyUsageFlags.keyEncipherment,
  data_encipherment: x509.KeyUsageFlags.dataEncipherment,
  key_agreement: x509.KeyUsageFlags.keyAgreement,
  cert_signing: x509.KeyUsageFlags.keyCertSign,
  crl_signing: x509.KeyUsageFlags.cRLSign,
  encipher_only: x509.KeyUsageFlags.encipherOnly,
  decipher_only: x509.KeyUsageFlags.decipherOnly,
};
const EXT_KEY_USAGES: Record<string, string> = {
  any_extended: "2.5.29.37.0",
  server_auth: "1.3.6.1.5.5.7.3.1",
  client_auth: "1.3.6.1.5.5.7.3.2",
  code_signing: "1.3.6.1.5.5.7.3.3",
  email_protection: "1.3.6.1.5.5.7.3.4",
  ipsec_end_system: "1.3.6.1.5.5.7.3.5",
  ipsec_tunnel: "1.3.6.1.5.5.7.3.6",
  ipsec_user: "1.3.6.1.5.5.7.3.7",
  timestamping: "1.3.6.1.5.5.7.3.8",
  ocsp_signing: "1.3.6.1.5.5.7.3.9",
};

interface Issue {
  name: string;
  inputs: Inputs;
  subject: x509.Name;
  issuer: x509.Name;
  publicKey: KeyObject;
  signer: Signer;
  issuerKeyId?: string;
  sans: x509.JsonGeneralNames;
}

/** Go's x509.CreateCertificate for the template the provider builds from its inputs. */
async function issue(p: Issue): Promise<Realized & { outputs: Inputs }> {
  const { inputs } = p;
  const isCa = inputs["isCaCertificate"] === true;
  const maxPath = num(inputs["maxPathLength"], -1);
  if (isCa && p.subject.toJSON().length === 0) {
    throw new Error(
      `${p.name}: Invalid Certificate Subject: must contain at least one Distinguished Name for a CA`,
    );
  }
  if (!isCa && maxPath > 0) throw new Error(`${p.name}: x509: only CAs are allowed to specify MaxPathLen`);
  const uses = strings(inputs["allowedUses"]);
  const keyUsage = uses.reduce((acc, u) => acc | (KEY_USAGES[u] ?? 0), 0);
  const extUsage = uses.flatMap((u) => (EXT_KEY_USAGES[u] ? [EXT_KEY_USAGES[u]] : []));
  const extensions: x509.Extension[] = [];
  if (keyUsage) extensions.push(new x509.KeyUsagesExtension(keyUsage, true));
  if (extUsage.length) extensions.push(new x509.ExtendedKeyUsageExtension(extUsage, false));
  // Go writes pathLenConstraint only when MaxPathLen > 0 (the provider never sets MaxPathLenZero).
  extensions.push(new x509.BasicConstraintsExtension(isCa, maxPath > 0 ? maxPath : undefined, true));
  const ski = isCa || inputs["setSubjectKeyId"] === true ? keyId(p.publicKey) : undefined;
  if (ski) extensions.push(new x509.SubjectKeyIdentifierExtension(ski));
  if (p.issuerKeyId) extensions.push(new x509.AuthorityKeyIdentifierExtension(p.issuerKeyId));
  if (p.sans.length)
    extensions.push(new x509.SubjectAlternativeNameExtension(p.sans, p.subject.toJSON().length === 0));

  const serial = Buffer.from(sha("sha256", `serial/${p.name}`).subarray(0, 16));
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  const hours = num(inputs["validityPeriodHours"], 0);
  const notAfter = new Date(MOCK_NOT_BEFORE.getTime() + hours * 3_600_000);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial.toString("hex"),
    subject: p.subject,
    issuer: p.issuer,
    notBefore: MOCK_NOT_BEFORE,
    notAfter,
    publicKey: p.publicKey.export({ type: "spki", format: "der" }),
    signingKey: p.signer.webKey,
    signingAlgorithm: p.signer.signing,
    extensions,
  });
  return {
    id: BigInt(`0x${serial.toString("hex")}`).toString(10),
    outputs: {
      certPem: `${cert.toString("pem").replace(/\r\n/g, "\n").trim()}\n`,
      validityStartTime: MOCK_NOT_BEFORE.toISOString().replace(".000", ""),
      validityEndTime: notAfter.toISOString().replace(".000", ""),
      readyForRenewal: false,
      isCaCertificate: isCa,
      setSubjectKeyId: inputs["setSubjectKeyId"] === true,
      earlyRenewalHours: num(inputs["earlyRenewalHours"], 0),
      ...(maxPath >= 0 ? { maxPathLength: maxPath } : {}),
    },
  };
}

const required = (args: MockResourceArgs, key: string): string => {
  const v = str(args.inputs[key]);
  if (!v) throw new Error(`${args.type} ${args.name}: ${key} is required`);
  return v;
};

const selfSignedCert: Handler = async (args) => {
  const signer = await signerOf(required(args, "privateKeyPem"), args.name);
  const subject = subjectName(args.inputs["subject"]);
  const publicKey = createPublicKey(signer.key);
  const isCa = args.inputs["isCaCertificate"] === true;
  // Self-signed: Go only writes an authority key id when asked, and then it is the certificate's own.
  const own = args.inputs["setAuthorityKeyId"] === true && (isCa || args.inputs["setSubjectKeyId"] === true);
  const realized = await issue({
    name: args.name,
    inputs: args.inputs,
    subject,
    issuer: subject,
    publicKey,
    signer,
    ...(own ? { issuerKeyId: keyId(publicKey) } : {}),
    sans: sanNames(args.inputs),
  });
  realized.outputs["keyAlgorithm"] = signer.algorithm;
  realized.outputs["setAuthorityKeyId"] = args.inputs["setAuthorityKeyId"] === true;
  return { ...realized, secretOutputs: ["privateKeyPem"] };
};

const certRequest: Handler = async (args) => {
  const signer = await signerOf(required(args, "privateKeyPem"), args.name);
  const publicKey = createPublicKey(signer.key);
  const webPublic = await webcrypto.subtle.importKey(
    "spki",
    publicKey.export({ type: "spki", format: "der" }),
    signer.webKey.algorithm,
    true,
    ["verify"],
  );
  const sans = sanNames(args.inputs);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: subjectName(args.inputs["subject"]),
    extensions: sans.length ? [new x509.SubjectAlternativeNameExtension(sans)] : [],
    signingAlgorithm: signer.signing,
    keys: { privateKey: signer.webKey, publicKey: webPublic as unknown as SigningKey },
  });
  return {
    id: sha("sha1", Buffer.from(csr.rawData)).toString("hex"),
    outputs: {
      certRequestPem: pem("CERTIFICATE REQUEST", Buffer.from(csr.rawData)),
      keyAlgorithm: signer.algorithm,
    },
    secretOutputs: ["privateKeyPem"],
  };
};

const locallySignedCert: Handler = async (args) => {
  const csr = new x509.Pkcs10CertificateRequest(required(args, "certRequestPem"));
  if (!(await csr.verify())) throw new Error(`${args.name}: certificate request signature is invalid`);
  const ca = new x509.X509Certificate(required(args, "caCertPem"));
  const signer = await signerOf(required(args, "caPrivateKeyPem"), args.name);
  const caPublic = createPublicKey({ key: Buffer.from(ca.publicKey.rawData), format: "der", type: "spki" });
  // A root key the plan could not decrypt is a placeholder (config/secretPlaceholders.ts): it signs, and
  // the plan says the chain is not the real one, instead of failing here.
  if (
    !caPublic.equals(createPublicKey(signer.key)) &&
    !isSecretPlaceholder(required(args, "caPrivateKeyPem"))
  ) {
    throw new Error(`${args.name}: caPrivateKeyPem does not belong to caCertPem`);
  }
  const san = csr.getExtension("2.5.29.17");
  const kinds = new Set(["dns", "ip", "url"]); // Go copies DNSNames, IPAddresses and URIs from the CSR
  const sans = san
    ? new x509.SubjectAlternativeNameExtension(san.rawData).names.toJSON().filter((n) => kinds.has(n.type))
    : [];
  const caSki = ca.getExtension(x509.SubjectKeyIdentifierExtension);
  const sameName = Buffer.from(csr.subjectName.toArrayBuffer()).equals(
    Buffer.from(ca.subjectName.toArrayBuffer()),
  );
  const realized = await issue({
    name: args.name,
    inputs: args.inputs,
    subject: new x509.Name(csr.subjectName.toArrayBuffer()),
    issuer: new x509.Name(ca.subjectName.toArrayBuffer()),
    publicKey: createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: "der", type: "spki" }),
    signer,
    ...(caSki && !sameName ? { issuerKeyId: caSki.keyId } : {}),
    sans,
  });
  realized.outputs["caKeyAlgorithm"] = signer.algorithm;
  return { ...realized, secretOutputs: ["caPrivateKeyPem"] };
};

/** Secret inputs (a key handed from PrivateKey to a certificate) reach the mock wrapped: read their values. */
const plain =
  (handler: Handler): Handler =>
  (args, cloud) =>
    handler({ ...args, inputs: unwrapSecrets(args.inputs) as Inputs }, cloud);

export const tlsHandlers: Record<string, Handler> = {
  "tls:index/privateKey:PrivateKey": plain(privateKeyHandler),
  // Certificates are deterministic functions of their inputs here (fixed start, serial from the name), so
  // repeated evaluations read them back instead of re-encoding X.509: the mock's work, not the program's.
  "tls:index/selfSignedCert:SelfSignedCert": memoizeOnDisk("SelfSignedCert", plain(selfSignedCert)),
  "tls:index/certRequest:CertRequest": memoizeOnDisk("CertRequest", plain(certRequest)),
  "tls:index/locallySignedCert:LocallySignedCert": memoizeOnDisk(
    "LocallySignedCert",
    plain(locallySignedCert),
  ),
};
