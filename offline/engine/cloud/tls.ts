// The TLS provider (hashicorp/tls behind @pulumi/tls) realized with real cryptography: real keys in the PEM
// flavours the provider returns, CSRs and certificates with the extensions Go's crypto/x509 writes for the
// provider's inputs. Keys are cached on disk per (algorithm, resource name) because RSA 4096 is slow to make;
// certificates are signed anew, with a fixed start date and serials derived from the name so that two
// evaluations agree (RSA signatures are deterministic; ECDSA ones are not).
import "reflect-metadata";
import { createHash, createPrivateKey, createPublicKey, generateKeyPair, webcrypto } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import * as x509 from "@peculiar/x509";
import { isSecretPlaceholder } from "../../../config/secretPlaceholders";
import type { MockResourceArgs } from "@pulumi/pulumi/runtime";
import type { Handler, Realized } from "../mockCloud";
import { unwrapSecrets } from "../recorder";
import { MOCK_CACHE_DIR, memoizeOnDisk } from "./realizedCache";
import { opensshPrivateKey, pem, sshParts } from "./sshEncoding";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** Every certificate the mock issues starts here (the provider uses the time of `pulumi up`). */
export const MOCK_NOT_BEFORE = new Date("2026-11-01T00:00:00Z");
/** Per-machine cache of generated keys; ISTIO_MC_KEY_CACHE points elsewhere (a cold-cache timing, say). */
export const KEY_CACHE_DIR = process.env["ISTIO_MC_KEY_CACHE"] ?? join(MOCK_CACHE_DIR, "keys");

type Inputs = Record<string, unknown>;
type CreateParams = Parameters<typeof x509.X509CertificateGenerator.create>[0];
type SigningKey = Extract<CreateParams, { signingKey: unknown }>["signingKey"];
type SigningAlgorithm = NonNullable<CreateParams["signingAlgorithm"]>;
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const num = (v: unknown, fallback: number): number => (typeof v === "number" ? v : fallback);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : [];
const sha = (alg: string, data: string | Uint8Array) => createHash(alg).update(data).digest();

// ---------------------------------------------------------------------------------------------- keys
const CURVES: Record<string, { node: string; web: string; hash: string; ssh: string }> = {
  P224: { node: "secp224r1", web: "", hash: "", ssh: "" },
  P256: { node: "prime256v1", web: "P-256", hash: "SHA-256", ssh: "nistp256" },
  P384: { node: "secp384r1", web: "P-384", hash: "SHA-384", ssh: "nistp384" },
  P521: { node: "secp521r1", web: "P-521", hash: "SHA-512", ssh: "nistp521" },
};
const curveOf = (key: KeyObject) =>
  Object.entries(CURVES).find(([, c]) => c.node === key.asymmetricKeyDetails?.namedCurve);

const inProcess = new Map<string, Promise<KeyObject>>();

/** A private key for (algorithm, name): from the disk cache, else generated off the main thread. */
function cachedKey(spec: string, name: string, generate: () => Promise<KeyObject>): Promise<KeyObject> {
  const file = join(
    KEY_CACHE_DIR,
    `${spec}-${name.replace(/[^A-Za-z0-9_.-]/g, "_")}-${sha("sha1", name).toString("hex").slice(0, 8)}.pem`,
  );
  let key = inProcess.get(file);
  if (!key) {
    key = readFile(file, "utf8")
      .then((pem) => createPrivateKey(pem))
      .catch(async () => {
        const fresh = await generate();
        await mkdir(KEY_CACHE_DIR, { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`; // concurrent test processes: write, then rename atomically
        await writeFile(tmp, fresh.export({ type: "pkcs8", format: "pem" }) as string, { mode: 0o600 });
        await rename(tmp, file);
        return fresh;
      });
    inProcess.set(file, key);
  }
  return key;
}

const genPair = promisify(generateKeyPair) as unknown as (
  type: string,
  opts: object,
) => Promise<{ privateKey: KeyObject }>;

const privateKey: Handler = async (args) => {
  const algorithm = str(args.inputs["algorithm"]) ?? "RSA";
  const rsaBits = num(args.inputs["rsaBits"], 2048);
  const ecdsaCurve = str(args.inputs["ecdsaCurve"]) ?? "P224";
  let key: KeyObject;
  if (algorithm === "RSA") {
    key = await cachedKey(
      `rsa${rsaBits}`,
      args.name,
      async () => (await genPair("rsa", { modulusLength: rsaBits, publicExponent: 65537 })).privateKey,
    );
  } else if (algorithm === "ECDSA") {
    const curve = CURVES[ecdsaCurve];
    if (!curve) throw new Error(`tls.PrivateKey ${args.name}: unsupported ecdsaCurve "${ecdsaCurve}"`);
    key = await cachedKey(
      `ecdsa${ecdsaCurve}`,
      args.name,
      async () => (await genPair("ec", { namedCurve: curve.node })).privateKey,
    );
  } else if (algorithm === "ED25519") {
    key = await cachedKey("ed25519", args.name, async () => (await genPair("ed25519", {})).privateKey);
  } else {
    throw new Error(`tls.PrivateKey ${args.name}: unsupported algorithm "${algorithm}"`);
  }
  const publicDer = createPublicKey(key).export({ type: "spki", format: "der" });
  const ssh = sshParts(key, curveOf(key)?.[1].ssh);
  const flavour = algorithm === "RSA" ? "pkcs1" : algorithm === "ECDSA" ? "sec1" : "pkcs8";
  return {
    id: sha("sha1", publicDer).toString("hex"),
    outputs: {
      algorithm,
      rsaBits,
      ecdsaCurve,
      privateKeyPem: key.export({ type: flavour, format: "pem" } as { type: "pkcs8"; format: "pem" }),
      privateKeyPemPkcs8: key.export({ type: "pkcs8", format: "pem" }),
      privateKeyOpenssh: ssh ? opensshPrivateKey(ssh[0], ssh[1]) : "",
      publicKeyPem: pem("PUBLIC KEY", publicDer),
      publicKeyOpenssh: ssh
        ? `${ssh[0].subarray(4, 4 + ssh[0].readUInt32BE(0)).toString()} ${ssh[0].toString("base64")}\n`
        : "",
      publicKeyFingerprintMd5: ssh ? (sha("md5", ssh[0]).toString("hex").match(/../g) ?? []).join(":") : "",
      publicKeyFingerprintSha256: ssh
        ? `SHA256:${sha("sha256", ssh[0]).toString("base64").replace(/=+$/, "")}`
        : "",
    },
    secretOutputs: ["privateKeyPem", "privateKeyPemPkcs8", "privateKeyOpenssh"],
  };
};

// ---------------------------------------------------------------------------------- certificates
interface Signer {
  key: KeyObject;
  algorithm: string;
  webKey: SigningKey;
  signing: SigningAlgorithm;
}

async function signerOf(pemText: string, what: string): Promise<Signer> {
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
  const webKey = await webcrypto.subtle.importKey("pkcs8", der, alg, false, ["sign"]);
  const algorithm = { rsa: "RSA", ec: "ECDSA", ed25519: "ED25519" }[key.asymmetricKeyType]!;
  return { key, algorithm, webKey: webKey as unknown as SigningKey, signing };
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
  "tls:index/privateKey:PrivateKey": plain(privateKey),
  // Certificates are deterministic functions of their inputs here (fixed start, serial from the name), so
  // repeated evaluations read them back instead of re-encoding X.509: the mock's work, not the program's.
  "tls:index/selfSignedCert:SelfSignedCert": memoizeOnDisk("SelfSignedCert", plain(selfSignedCert)),
  "tls:index/certRequest:CertRequest": memoizeOnDisk("CertRequest", plain(certRequest)),
  "tls:index/locallySignedCert:LocallySignedCert": memoizeOnDisk(
    "LocallySignedCert",
    plain(locallySignedCert),
  ),
};
