// The mesh CA with a bring-your-own root, and the fidelity of the mock TLS provider itself.
import "reflect-metadata";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createPublicKey, X509Certificate } from "node:crypto";
import { existsSync } from "node:fs";
import { before, describe, it } from "node:test";
import type { MockResourceArgs } from "@pulumi/pulumi/runtime";
import { CloudState } from "../offline/engine/mockCloud";
import { tlsHandlers } from "../offline/engine/cloud/tls";
import {
  SLOW,
  FAST,
  T,
  file,
  opensslSelfSigned,
  extensions,
  type CaRun,
  runCa,
  base,
  assertCacerts,
} from "./support/pki";

describe("bring-your-own root", () => {
  let run: CaRun;
  let rootPem: string;
  before(async () => {
    const root = opensslSelfSigned(
      "byo-root",
      ["-newkey", "rsa:2048"],
      "/O=Acme Corp/CN=Acme Mesh Root",
      3650,
      ["basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign,cRLSign"],
    );
    rootPem = root.certPem;
    const privateKeyPem = root.keyPem; // handed in as a plain string: the component must wrap it
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
      ["mesh-ca-cluster1-intermediate-ca-key", "mesh-ca-cluster2-intermediate-ca-key"],
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
