// The mesh CA on the mock cloud with real cryptography: chains verified with openssl and node's
// X509Certificate, a throwaway workload certificate signed by each intermediate, secrecy of every key, RSA and ECDSA.
import "reflect-metadata";
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { before, describe, it } from "node:test";
import { MeshCertificateAuthority, validateMeshCaArgs } from "../components/meshCa";
import { cacertsFiles, normalizePem } from "../pki/cacerts";
import { created } from "../offline/engine/runtime";
import {
  SLOW,
  FAST,
  T,
  COMPONENT,
  file,
  openssl,
  within,
  verify,
  dn,
  extensions,
  skiOf,
  signUnder,
  isSecret,
  type CaRun,
  runCa,
  base,
  assertCacerts,
} from "./support/pki";

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
  it("needs one intermediate per named cluster, each named once, before creating anything", () => {
    assert.deepEqual(validateMeshCaArgs({ clusters: ["cluster1", "cluster2", "cluster1"] }), [
      'clusters[2]: "cluster1" is listed twice',
    ]);
    // The constructor throws before registering anything: no Pulumi runtime is needed to see it.
    assert.throws(
      () => new MeshCertificateAuthority("ca", { ...base, clusters: [] }),
      /clusters: needs at least one/,
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

  // Keys are functions of the resource name (test/mockKeys.test.ts); certificates start on a fixed date.
  it("a second evaluation gives identical keys and certificates", SLOW, async () => {
    const again = await runCa(args);
    assert.equal(again.root, run.root);
    for (const c of args.clusters) assert.deepEqual(again.cacerts(c), run.cacerts(c));
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
