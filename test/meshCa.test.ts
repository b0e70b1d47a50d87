// The mesh CA on the mock cloud with real cryptography: chains verified with openssl and node's X509Certificate,
// a throwaway workload certificate signed by each intermediate, secrecy of every key, BYO root, RSA and ECDSA.
import "reflect-metadata";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createPrivateKey, createPublicKey, webcrypto, X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import * as x509 from "@peculiar/x509";
import * as pulumi from "@pulumi/pulumi";
import type { MockResourceArgs } from "@pulumi/pulumi/runtime";
import {
  MeshCertificateAuthority,
  validateMeshCaArgs,
  type MeshCertificateAuthorityArgs,
} from "../components/meshCa";
import { cacertsFiles, CACERTS_KEYS, normalizePem } from "../pki/cacerts";
import { CloudState } from "./mock/engine";
import { created, evaluate, type Evaluation } from "./mock/harness";
import type { RecordedResource } from "./mock/recorder";
import { KEY_CACHE_DIR, tlsHandlers } from "./mock/cloud/tls";
import { withOverrides } from "./mock/stackConfig";

const SLOW = { timeout: 300_000 }; // a cold key cache generates several RSA 4096 keys
const FAST = { timeout: 60_000 };
const T = {
  key: "tls:index/privateKey:PrivateKey",
  root: "tls:index/selfSignedCert:SelfSignedCert",
  csr: "tls:index/certRequest:CertRequest",
  cert: "tls:index/locallySignedCert:LocallySignedCert",
};
const COMPONENT = "istio-multicluster:pki:MeshCertificateAuthority";
const WORK = mkdtempSync(join(tmpdir(), "mesh-ca-test-"));
let fileCounter = 0;

function file(content: string): string {
  const path = join(WORK, `f${fileCounter++}.pem`);
  writeFileSync(path, content);
  return path;
}

function openssl(...args: string[]): { ok: boolean; out: string } {
  const r = spawnSync("/usr/bin/openssl", args, { encoding: "utf8" });
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

/** A moment inside every given certificate's validity (the mock issues from a fixed date). */
function within(...pems: string[]): Date {
  const starts = pems.map((p) => Date.parse(new X509Certificate(p).validFrom));
  return new Date(Math.max(...starts) + 3_600_000);
}

/** `openssl verify` of `leaf` up to `root`, with `untrusted` as the intermediates, at `at`. */
function verify(root: string, untrusted: string, leaf: string, at: Date): { ok: boolean; out: string } {
  const attime = String(Math.floor(at.getTime() / 1000));
  const args = ["verify", "-x509_strict", "-attime", attime, "-CAfile", file(root)];
  return openssl(...args, ...(untrusted ? ["-untrusted", file(untrusted)] : []), file(leaf));
}

function dn(text: string): Record<string, string> {
  return Object.fromEntries(text.split("\n").map((l) => l.split("=") as [string, string]));
}

function extensions(pem: string): string {
  return openssl(
    "x509",
    "-noout",
    "-ext",
    "basicConstraints,keyUsage,extendedKeyUsage,subjectKeyIdentifier,authorityKeyIdentifier",
    "-in",
    file(pem),
  ).out;
}

const skiOf = (pem: string) => /Subject Key Identifier:\s*\n\s*([0-9A-F:]+)/.exec(extensions(pem))?.[1];
const akiOf = (pem: string) =>
  /Authority Key Identifier:\s*\n\s*(?:keyid:)?([0-9A-F:]+)/.exec(extensions(pem))?.[1];

/** Issues a certificate under `issuerPem`/`issuerKeyPem` with a fresh P-256 key (not the mock's code). */
async function signUnder(
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

const isSecret = (v: unknown) =>
  typeof v === "object" &&
  v !== null &&
  (v as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig;

interface CaRun {
  ev: Evaluation;
  root: string;
  cacerts: (cluster: string) => Record<string, string>;
  unknownClusterError: string;
  ofType: (type: string) => RecordedResource[];
}

async function runCa(args: MeshCertificateAuthorityArgs): Promise<CaRun> {
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

const base: MeshCertificateAuthorityArgs = {
  clusters: ["cluster1", "cluster2"],
  keyAlgorithm: "RSA",
  organization: "Istio",
  rootValidityHours: 87600,
  intermediateValidityHours: 8760,
  earlyRenewalHours: 720,
};

/** What every cluster's cacerts must satisfy, whatever the key type or root origin. */
async function assertCacerts(run: CaRun, cluster: string, rootPem: string, organization: string) {
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

describe("pki/cacerts (pure)", () => {
  const a = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----";
  const r = "\n-----BEGIN CERTIFICATE-----\r\nBBBB\r\n-----END CERTIFICATE-----\n\n";
  const k = "-----BEGIN EC PRIVATE KEY-----\nCCCC\n-----END EC PRIVATE KEY-----\n";

  it("builds exactly the four files with the chain intermediate-first", () => {
    const files = cacertsFiles({ intermediateCertPem: a, intermediateKeyPem: k, rootCertPem: r });
    assert.deepEqual(Object.keys(files), ["ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem"]);
    assert.equal(files["cert-chain.pem"].indexOf("AAAA") < files["cert-chain.pem"].indexOf("BBBB"), true);
    assert.equal(files["root-cert.pem"], "-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----\n");
    assert.equal(files["cert-chain.pem"], `${a}\n${files["root-cert.pem"]}`);
  });

  it("rejects material of the wrong kind", () => {
    assert.throws(
      () => cacertsFiles({ intermediateCertPem: k, intermediateKeyPem: k, rootCertPem: r }),
      /intermediate certificate/,
    );
    assert.throws(
      () => cacertsFiles({ intermediateCertPem: a, intermediateKeyPem: a, rootCertPem: r }),
      /intermediate key/,
    );
    assert.throws(() => normalizePem("not pem", "x"), /x: is not a PEM certificate/);
  });
});

describe("MeshCertificateAuthority argument validation", () => {
  it("reports every problem, naming the field, before creating anything", () => {
    const errors = validateMeshCaArgs({
      ...base,
      clusters: ["cluster1", "Cluster_2", "cluster1"],
      keyAlgorithm: "DSA" as "RSA",
      organization: " ",
      intermediateValidityHours: 90000,
      earlyRenewalHours: -1,
    });
    for (const expected of [
      /^clusters\[1\]: "Cluster_2" is not a DNS-1123 label/,
      /^clusters\[2\]: "cluster1" is listed twice/,
      /^keyAlgorithm: "DSA"/,
      /^organization:/,
      /^earlyRenewalHours: -1 must be an integer >= 0/,
      /^intermediateValidityHours: 90000 must be shorter than rootValidityHours/,
    ]) {
      assert.ok(
        errors.some((e) => expected.test(e)),
        `missing ${expected}: ${errors.join(" | ")}`,
      );
    }
    // The constructor throws before registering anything: no Pulumi runtime is needed to see it.
    assert.throws(
      () => new MeshCertificateAuthority("ca", { ...base, clusters: [] }),
      /clusters: needs at least one/,
    );
    assert.throws(
      () => new MeshCertificateAuthority("ca", { ...base, earlyRenewalHours: 8760 }),
      /earlyRenewalHours: 8760 must be shorter than intermediateValidityHours/,
    );
  });

  it("rejects a BYO root that is not a CA certificate", () => {
    const key = join(WORK, "leaf.key");
    const cert = join(WORK, "leaf.pem");
    const ok = openssl(
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-subj",
      "/CN=not a ca",
      "-days",
      "1",
      "-addext",
      "basicConstraints=critical,CA:FALSE",
    );
    assert.ok(ok.ok, ok.out);
    const errors = validateMeshCaArgs({
      ...base,
      byoRoot: { certificatePem: readFileSync(cert, "utf8"), privateKeyPem: readFileSync(key, "utf8") },
    });
    assert.deepEqual(errors, ["byoRoot.certificatePem: is not a CA certificate (basicConstraints CA:TRUE)"]);
    assert.match(
      validateMeshCaArgs({ ...base, byoRoot: { certificatePem: "junk", privateKeyPem: "x" } }).join(),
      /byoRoot.certificatePem: is not a PEM certificate/,
    );
  });
});

describe("generated RSA root, three clusters", () => {
  const args = { ...base, clusters: ["cluster1", "cluster2", "cluster3"], organization: "Example Mesh" };
  let run: CaRun;
  before(async () => {
    run = await runCa(args);
  }, SLOW);

  it("registers one root and one key/CSR/intermediate per cluster, all under the component", FAST, () => {
    const component = created(run.ev).filter((r) => r.type === COMPONENT);
    assert.equal(component.length, 1);
    assert.equal(run.ofType(T.key).length, 4);
    assert.equal(run.ofType(T.root).length, 1);
    assert.equal(run.ofType(T.csr).length, 3);
    assert.equal(run.ofType(T.cert).length, 3);
    for (const r of [T.key, T.root, T.csr, T.cert].flatMap(run.ofType))
      assert.equal(r.parent, component[0]!.urn);
    const root = run.ofType(T.root)[0]!;
    for (const cert of run.ofType(T.cert)) {
      assert.ok(cert.dependencies.includes(root.urn), `${cert.name} does not wait for the root`);
      assert.equal(cert.inputs["earlyRenewalHours"], 720);
      assert.equal(cert.inputs["validityPeriodHours"], 8760);
    }
  });

  it("root: O=<org>, CN=Root CA, RSA 4096, CA that may sign exactly one level of CAs", FAST, () => {
    const root = new X509Certificate(run.root);
    assert.deepEqual(dn(root.subject), { O: "Example Mesh", CN: "Root CA" });
    assert.equal(root.issuer, root.subject);
    assert.equal(root.ca, true);
    assert.equal(root.publicKey.asymmetricKeyDetails?.modulusLength, 4096);
    assert.ok(root.verify(root.publicKey));
    assert.match(extensions(run.root), /CA:TRUE, pathlen:1/);
    assert.match(extensions(run.root), /Certificate Sign, CRL Sign/);
    assert.ok(skiOf(run.root));
    const days = (Date.parse(root.validTo) - Date.parse(root.validFrom)) / 3_600_000;
    assert.equal(days, 87600);
  });

  for (const cluster of args.clusters) {
    it(`${cluster}: cacerts chain verifies (node + openssl) and signs workloads`, FAST, async () => {
      const { files, inter } = await assertCacerts(run, cluster, run.root, "Example Mesh");
      assert.match(files["ca-key.pem"]!, /^-----BEGIN RSA PRIVATE KEY-----/);
      assert.equal(inter.publicKey.asymmetricKeyDetails?.modulusLength, 4096);
      assert.equal((Date.parse(inter.validTo) - Date.parse(inter.validFrom)) / 3_600_000, 8760);
    });
  }

  it("an intermediate cannot mint a working sub-CA (path length)", FAST, async () => {
    const files = run.cacerts("cluster2");
    const at = within(run.root, files["ca-cert.pem"]!);
    const sub = await signUnder(files["ca-cert.pem"]!, files["ca-key.pem"]!, "CN=rogue sub-CA", {
      ca: true,
      at,
    });
    const leaf = await signUnder(sub.certPem, sub.keyPem, "CN=rogue leaf", { ca: false, at });
    const check = verify(run.root, files["cert-chain.pem"]! + sub.certPem, leaf.certPem, at);
    assert.equal(check.ok, false);
    assert.match(check.out, /path length constraint exceeded/);
  });

  it("each cluster has its own intermediate and key", FAST, () => {
    const fingerprints = args.clusters.map(
      (c) => new X509Certificate(run.cacerts(c)["ca-cert.pem"]!).fingerprint256,
    );
    const keys = args.clusters.map((c) => run.cacerts(c)["ca-key.pem"]);
    assert.equal(new Set(fingerprints).size, 3);
    assert.equal(new Set(keys).size, 3);
  });

  it("key material is secret end to end and the root key stays out of cacerts", FAST, () => {
    for (const c of args.clusters)
      assert.ok(isSecret(run.ev.stackOutputs?.[`cacerts-${c}`]), `cacerts-${c} not secret`);
    assert.ok(run.ofType(T.root)[0]!.secretInputs.includes("privateKeyPem"));
    for (const r of run.ofType(T.csr)) assert.ok(r.secretInputs.includes("privateKeyPem"), r.name);
    for (const r of run.ofType(T.cert)) assert.ok(r.secretInputs.includes("caPrivateKeyPem"), r.name);
    const rootKey = run.ofType(T.key).find((r) => r.name === "mesh-ca-root-key")!;
    const rootKeyPem = String(rootKey.outputs["privateKeyPem"]);
    const rootKeyBody = rootKeyPem.split("\n").slice(1, 3).join("\n");
    assert.ok(rootKeyBody.length > 100);
    for (const c of args.clusters) {
      assert.ok(!Object.values(run.cacerts(c)).join("").includes(rootKeyBody), `${c}: root key in cacerts`);
    }
  });

  it("cacertsData of an unknown cluster fails clearly", FAST, () => {
    assert.match(run.unknownClusterError, /unknown cluster "not-a-cluster".*cluster1, cluster2, cluster3/);
  });

  it("a second evaluation gives identical keys and certificates (key cache, fixed dates)", SLOW, async () => {
    const again = await runCa(args);
    assert.equal(again.root, run.root);
    for (const c of args.clusters) assert.deepEqual(again.cacerts(c), run.cacerts(c));
    assert.ok(
      existsSync(KEY_CACHE_DIR) && readdirSync(KEY_CACHE_DIR).some((f) => f.includes("mesh-ca-root-key")),
    );
  });
});

describe("generated ECDSA root", () => {
  let run: CaRun;
  before(async () => {
    run = await runCa({ ...base, keyAlgorithm: "ECDSA" });
  }, SLOW);

  it("P-384 keys in the provider's EC PEM, chains verify for both clusters", FAST, async () => {
    const root = new X509Certificate(run.root);
    assert.equal(root.publicKey.asymmetricKeyDetails?.namedCurve, "secp384r1");
    assert.deepEqual(dn(root.subject), { O: "Istio", CN: "Root CA" });
    for (const c of base.clusters) {
      const { files, inter } = await assertCacerts(run, c, run.root, "Istio");
      assert.match(files["ca-key.pem"]!, /^-----BEGIN EC PRIVATE KEY-----/);
      assert.equal(inter.publicKey.asymmetricKeyDetails?.namedCurve, "secp384r1");
      assert.match(
        openssl("x509", "-noout", "-text", "-in", file(files["ca-cert.pem"]!)).out,
        /ecdsa-with-SHA384/,
      );
    }
  });
});

describe("bring-your-own root", () => {
  let run: CaRun;
  let rootPem: string;
  before(async () => {
    const key = join(WORK, "byo-root.key");
    const cert = join(WORK, "byo-root.pem");
    const made = openssl(
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-subj",
      "/O=Acme Corp/CN=Acme Mesh Root",
      "-days",
      "3650",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    );
    assert.ok(made.ok, made.out);
    rootPem = readFileSync(cert, "utf8");
    const privateKeyPem = readFileSync(key, "utf8"); // handed in as a plain string: the component must wrap it
    run = await runCa({
      ...base,
      keyAlgorithm: "ECDSA",
      organization: "Acme Corp",
      byoRoot: { certificatePem: rootPem, privateKeyPem },
    });
  }, SLOW);

  it("creates no root key or certificate, only intermediates", FAST, () => {
    assert.equal(run.ofType(T.root).length, 0);
    assert.deepEqual(
      run
        .ofType(T.key)
        .map((r) => r.name)
        .sort(),
      ["mesh-ca-cluster1-key", "mesh-ca-cluster2-key"],
    );
    assert.equal(run.ofType(T.cert).length, 2);
    for (const r of run.ofType(T.cert))
      assert.ok(r.secretInputs.includes("caPrivateKeyPem"), `${r.name}: root key not secret`);
  });

  it("chains verify to the given root", FAST, async () => {
    assert.equal(run.root.trim(), rootPem.trim());
    for (const c of base.clusters) {
      const { inter } = await assertCacerts(run, c, rootPem, "Acme Corp");
      assert.equal(inter.issuer, new X509Certificate(rootPem).subject);
    }
  });
});

describe("mock tls provider fidelity", () => {
  const cloud = new CloudState("p");
  const call = async (type: string, name: string, inputs: Record<string, unknown>) =>
    tlsHandlers[type]!({ type, name, inputs, provider: "", custom: true, id: "" } as MockResourceArgs, cloud);

  it("PrivateKey: PEM flavours of the provider, OpenSSH forms, secrets marked", FAST, async () => {
    const rsa = await call(T.key, "fidelity-rsa", { algorithm: "RSA", rsaBits: 2048 });
    const ec = await call(T.key, "fidelity-ec", { algorithm: "ECDSA", ecdsaCurve: "P256" });
    for (const k of [rsa, ec]) {
      assert.deepEqual(k.secretOutputs?.sort(), ["privateKeyOpenssh", "privateKeyPem", "privateKeyPemPkcs8"]);
      const out = k.outputs!;
      assert.match(String(out["privateKeyPemPkcs8"]), /^-----BEGIN PRIVATE KEY-----/);
      const pub = createPublicKey(String(out["privateKeyPem"])).export({ type: "spki", format: "pem" });
      assert.equal(pub, out["publicKeyPem"]);
      assert.match(String(out["publicKeyFingerprintSha256"]), /^SHA256:[A-Za-z0-9+/]{43}$/);
      if (existsSync("/usr/bin/ssh-keygen")) {
        const path = file(String(out["privateKeyOpenssh"]));
        spawnSync("chmod", ["600", path]);
        const derived = spawnSync("/usr/bin/ssh-keygen", ["-y", "-f", path], { encoding: "utf8" });
        assert.equal(derived.stdout.trim(), String(out["publicKeyOpenssh"]).trim(), derived.stderr);
      }
    }
    assert.match(String(rsa.outputs!["privateKeyPem"]), /^-----BEGIN RSA PRIVATE KEY-----/);
    assert.match(String(rsa.outputs!["publicKeyOpenssh"]), /^ssh-rsa AAAA/);
    assert.match(String(ec.outputs!["privateKeyPem"]), /^-----BEGIN EC PRIVATE KEY-----/);
    assert.match(String(ec.outputs!["publicKeyOpenssh"]), /^ecdsa-sha2-nistp256 /);
  });

  it(
    "SelfSignedCert: Go writes pathlen only when maxPathLength > 0; non-CAs may not set it",
    FAST,
    async () => {
      const key = String(
        (await call(T.key, "fidelity-ec", { algorithm: "ECDSA", ecdsaCurve: "P256" })).outputs![
          "privateKeyPem"
        ],
      );
      const common = {
        privateKeyPem: key,
        subject: { commonName: "x" },
        allowedUses: ["cert_signing"],
        validityPeriodHours: 5,
      };
      const zero = await call(T.root, "pl0", { ...common, isCaCertificate: true, maxPathLength: 0 });
      const two = await call(T.root, "pl2", { ...common, isCaCertificate: true, maxPathLength: 2 });
      assert.match(extensions(String(zero.outputs!["certPem"])), /CA:TRUE\n/);
      assert.doesNotMatch(extensions(String(zero.outputs!["certPem"])), /pathlen/);
      assert.match(extensions(String(two.outputs!["certPem"])), /CA:TRUE, pathlen:2/);
      assert.deepEqual(zero.secretOutputs, ["privateKeyPem"]);
      const leaf = new X509Certificate(String(zero.outputs!["certPem"]));
      assert.equal((Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / 3_600_000, 5);
      await assert.rejects(
        call(T.root, "bad", { ...common, maxPathLength: 1 }),
        /only CAs are allowed to specify MaxPathLen/,
      );
      await assert.rejects(
        call(T.root, "nosubject", { ...common, subject: {}, isCaCertificate: true }),
        /Subject/,
      );
    },
  );
});
