// Shared helpers of the mesh CA tests: openssl checks, a test-side signer, and a harness run of the CA.
import "reflect-metadata";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createPrivateKey, createPublicKey, webcrypto, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as x509 from "@peculiar/x509";
import * as pulumi from "@pulumi/pulumi";
import { MeshCertificateAuthority, type MeshCertificateAuthorityArgs } from "../../components/meshCa";
import { CACERTS_KEYS } from "../../pki/cacerts";
import { created, evaluate, type Evaluation } from "../../offline/engine/runtime";
import type { RecordedResource } from "../../offline/engine/recorder";
import { withOverrides } from "./configs";

export const SLOW = { timeout: 300_000 }; // whole evaluations, on two cores shared with other work
export const FAST = { timeout: 60_000 };
export const T = {
  key: "tls:index/privateKey:PrivateKey",
  root: "tls:index/selfSignedCert:SelfSignedCert",
  csr: "tls:index/certRequest:CertRequest",
  cert: "tls:index/locallySignedCert:LocallySignedCert",
};
export const COMPONENT = "istio-multicluster:pki:MeshCertificateAuthority";
export const WORK = mkdtempSync(join(tmpdir(), "mesh-ca-test-"));
export let fileCounter = 0;

export function file(content: string): string {
  const path = join(WORK, `f${fileCounter++}.pem`);
  writeFileSync(path, content);
  return path;
}

export function openssl(...args: string[]): { ok: boolean; out: string } {
  const r = spawnSync("/usr/bin/openssl", args, { encoding: "utf8" });
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

/** A self-signed certificate made by openssl itself (not the mock's code), with the given extensions. */
export function opensslSelfSigned(
  name: string,
  keyArgs: string[],
  subject: string,
  days: number,
  extensions: string[],
): { certPem: string; keyPem: string } {
  const key = join(WORK, `${name}.key`);
  const cert = join(WORK, `${name}.pem`);
  const addext = extensions.flatMap((e) => ["-addext", e]);
  const made = openssl(
    "req",
    "-x509",
    ...keyArgs,
    "-nodes",
    "-keyout",
    key,
    "-out",
    cert,
    "-subj",
    subject,
    "-days",
    String(days),
    ...addext,
  );
  assert.ok(made.ok, made.out);
  return { certPem: readFileSync(cert, "utf8"), keyPem: readFileSync(key, "utf8") };
}

/** A moment inside every given certificate's validity (the mock issues from a fixed date). */
export function within(...pems: string[]): Date {
  const starts = pems.map((p) => Date.parse(new X509Certificate(p).validFrom));
  return new Date(Math.max(...starts) + 3_600_000);
}

/** `openssl verify` of `leaf` up to `root`, with `untrusted` as the intermediates, at `at`. */
export function verify(
  root: string,
  untrusted: string,
  leaf: string,
  at: Date,
): { ok: boolean; out: string } {
  const attime = String(Math.floor(at.getTime() / 1000));
  const args = ["verify", "-x509_strict", "-attime", attime, "-CAfile", file(root)];
  return openssl(...args, ...(untrusted ? ["-untrusted", file(untrusted)] : []), file(leaf));
}

export function dn(text: string): Record<string, string> {
  return Object.fromEntries(text.split("\n").map((l) => l.split("=") as [string, string]));
}

export function extensions(pem: string): string {
  return openssl(
    "x509",
    "-noout",
    "-ext",
    "basicConstraints,keyUsage,extendedKeyUsage,subjectKeyIdentifier,authorityKeyIdentifier",
    "-in",
    file(pem),
  ).out;
}

export const skiOf = (pem: string) =>
  /Subject Key Identifier:\s*\n\s*([0-9A-F:]+)/.exec(extensions(pem))?.[1];
export const akiOf = (pem: string) =>
  /Authority Key Identifier:\s*\n\s*(?:keyid:)?([0-9A-F:]+)/.exec(extensions(pem))?.[1];

/** Issues a certificate under `issuerPem`/`issuerKeyPem` with a fresh P-256 key (not the mock's code). */
export async function signUnder(
  issuerPem: string,
  issuerKeyPem: string,
  subject: string,
  opts: { ca: boolean; at: Date },
): Promise<{ certPem: string; keyPem: string }> {
  const issuerKey = createPrivateKey(issuerKeyPem);
  const rsa = issuerKey.asymmetricKeyType === "rsa";
  const curve = issuerKey.asymmetricKeyDetails?.namedCurve === "secp384r1" ? "P-384" : "P-256";
  const alg = rsa
    ? { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }
    : { name: "ECDSA", namedCurve: curve, hash: curve === "P-384" ? "SHA-384" : "SHA-256" };
  const signingKey = await webcrypto.subtle.importKey(
    "pkcs8",
    issuerKey.export({ type: "pkcs8", format: "der" }),
    alg,
    false,
    ["sign"],
  );
  const leafAlg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
  const keys = await webcrypto.subtle.generateKey(leafAlg, true, ["sign", "verify"]);
  const issuer = new x509.X509Certificate(issuerPem);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: "0badc0de",
    subject,
    issuer: issuer.subjectName,
    notBefore: new Date(opts.at.getTime() - 60_000),
    notAfter: new Date(opts.at.getTime() + 3_600_000),
    publicKey: keys.publicKey as never,
    signingKey: signingKey as never,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(opts.ca, undefined, true),
      new x509.KeyUsagesExtension(
        opts.ca
          ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.digitalSignature
          : x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as never),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.publicKey),
      new x509.SubjectAlternativeNameExtension([{ type: "url", value: "spiffe://cluster.local/ns/x/sa/y" }]),
    ],
  });
  const keyDer = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", keys.privateKey));
  const keyPem = createPrivateKey({ key: keyDer, format: "der", type: "pkcs8" }).export({
    type: "pkcs8",
    format: "pem",
  }) as string;
  return { certPem: cert.toString("pem"), keyPem };
}

export const isSecret = (v: unknown) =>
  typeof v === "object" &&
  v !== null &&
  (v as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig;

export interface CaRun {
  ev: Evaluation;
  root: string;
  cacerts: (cluster: string) => Record<string, string>;
  unknownClusterError: string;
  ofType: (type: string) => RecordedResource[];
}

export async function runCa(args: MeshCertificateAuthorityArgs): Promise<CaRun> {
  let unknownClusterError = "";
  const ev = await evaluate(withOverrides({}), {
    program: () => {
      const ca = new MeshCertificateAuthority("mesh-ca", args);
      try {
        ca.cacertsData("not-a-cluster");
      } catch (e) {
        unknownClusterError = String(e);
      }
      return {
        root: ca.rootCertPem,
        ...Object.fromEntries(args.clusters.map((c) => [`cacerts-${c}`, ca.cacertsData(c)])),
      };
    },
  });
  assert.equal(ev.error, undefined, String(ev.error));
  assert.deepEqual([...ev.cloud.unhandledTypes], []);
  assert.deepEqual(ev.duplicateUrns, []);
  return {
    ev,
    root: ev.outputs["root"] as string,
    cacerts: (c) => ev.outputs[`cacerts-${c}`] as Record<string, string>,
    unknownClusterError,
    ofType: (type) => created(ev).filter((r) => r.type === type),
  };
}

export const base: MeshCertificateAuthorityArgs = {
  clusters: ["cluster1", "cluster2"],
  keyAlgorithm: "RSA",
  organization: "Istio",
  rootValidityHours: 87600,
  intermediateValidityHours: 8760,
  earlyRenewalHours: 720,
};

/** What every cluster's cacerts must satisfy, whatever the key type or root origin. */
export async function assertCacerts(run: CaRun, cluster: string, rootPem: string, organization: string) {
  const files = run.cacerts(cluster);
  assert.deepEqual(Object.keys(files).sort(), [...CACERTS_KEYS].sort());
  const root = new X509Certificate(rootPem);
  const inter = new X509Certificate(files["ca-cert.pem"]!);
  assert.equal(files["root-cert.pem"]!.trim(), rootPem.trim());

  // node: issued by the root, signature verifies, key pair matches, CA
  assert.ok(inter.checkIssued(root), `${cluster}: intermediate not issued by the root`);
  assert.ok(inter.verify(root.publicKey), `${cluster}: intermediate signature does not verify`);
  assert.ok(inter.checkPrivateKey(createPrivateKey(files["ca-key.pem"]!)), `${cluster}: ca-key.pem mismatch`);
  assert.equal(inter.ca, true);
  assert.deepEqual(dn(inter.subject), { O: organization, CN: "Intermediate CA", L: cluster });
  assert.equal(inter.subjectAltName, "DNS:istiod.istio-system.svc");

  // the chain file is the intermediate, then the root
  const blocks = files["cert-chain.pem"]!.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g);
  assert.equal(blocks?.length, 2);
  assert.equal(new X509Certificate(blocks![0]!).fingerprint256, inter.fingerprint256);
  assert.equal(new X509Certificate(blocks![1]!).fingerprint256, root.fingerprint256);

  // openssl: the chain verifies to the root; a workload certificate signed by the intermediate verifies
  const at = within(rootPem, files["ca-cert.pem"]!);
  const chainCheck = verify(rootPem, files["cert-chain.pem"]!, files["ca-cert.pem"]!, at);
  assert.ok(chainCheck.ok, chainCheck.out);
  const leaf = await signUnder(files["ca-cert.pem"]!, files["ca-key.pem"]!, "O=test,CN=workload", {
    ca: false,
    at,
  });
  const leafCheck = verify(rootPem, files["cert-chain.pem"]!, leaf.certPem, at);
  assert.ok(leafCheck.ok, leafCheck.out);
  assert.ok(!verify(rootPem, "", leaf.certPem, at).ok, "a leaf must not verify without its intermediate");

  // intermediate extensions: CA, signs certificates, no extended key usage, key ids chained to the root
  const ext = extensions(files["ca-cert.pem"]!);
  assert.match(ext, /CA:TRUE/);
  assert.match(ext, /Certificate Sign/);
  assert.doesNotMatch(ext, /Extended Key Usage/);
  const rootSki = skiOf(rootPem);
  assert.ok(rootSki, "the root has no subject key identifier");
  assert.equal(akiOf(files["ca-cert.pem"]!), rootSki);

  // only one private key in the Secret, and it is not the root's
  const keyBlocks =
    Object.values(files)
      .join("")
      .match(/-----BEGIN [A-Z ]*PRIVATE KEY-----/g) ?? [];
  assert.equal(keyBlocks.length, 1);
  const caKeyPublic = createPublicKey(createPrivateKey(files["ca-key.pem"]!));
  assert.ok(!caKeyPublic.equals(root.publicKey), `${cluster}: ca-key.pem is the root key`);
  return { files, inter, at };
}
