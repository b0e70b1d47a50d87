// The mock's key source (offline/engine/cloud/mockKeys.ts): real keys of the requested type and size, one
// per resource name, the same on every machine and without generating anything, and the prime pool read
// only by the offline engine.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createPublicKey, sign, verify as verifySignature, type KeyObject } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { CloudState } from "../offline/engine/mockCloud";
import {
  derivedEcKey,
  derivedEd25519Key,
  MOCK_RSA_PRIMES_FILE,
  pooledRsaKey,
  rsaPoolSlot,
} from "../offline/engine/cloud/mockKeys";
import { tlsHandlers } from "../offline/engine/cloud/tls";
import { syntheticClusters } from "../offline/engine/syntheticMesh";
import { ROOT } from "../offline/engine/stackFiles";
import { file, openssl, T } from "./support/pki";

const spkiOf = (key: KeyObject) =>
  createPublicKey(key).export({ type: "spki", format: "der" }).toString("hex");
const pkcs1 = (key: KeyObject) => String(key.export({ type: "pkcs1", format: "pem" }));

/** A signature by `key` that its public key accepts and another key's does not. */
function assertSignsAsItself(key: KeyObject, other: KeyObject): void {
  const hash = key.asymmetricKeyType === "ed25519" ? null : "sha256";
  const signature = sign(hash, Buffer.from("mock"), key);
  assert.ok(verifySignature(hash, Buffer.from("mock"), createPublicKey(key), signature));
  assert.ok(!verifySignature(hash, Buffer.from("mock"), createPublicKey(other), signature));
}

describe("mock keys from the committed RSA prime pool", () => {
  it("are RSA 4096 keys with e = 65537 that openssl's consistency check accepts", () => {
    const a = pooledRsaKey("pool-check-a")!;
    const b = pooledRsaKey("pool-check-b")!;
    for (const key of [a, b]) {
      assert.equal(key.asymmetricKeyDetails?.modulusLength, 4096);
      assert.equal(key.asymmetricKeyDetails?.publicExponent, 65537n);
      const check = openssl("rsa", "-check", "-noout", "-in", file(pkcs1(key)));
      assert.ok(check.ok && /RSA key ok/.test(check.out), check.out);
    }
    assertSignsAsItself(a, b);
  });

  it("give a 64-cluster mesh's root and 64 intermediates 65 different keys", () => {
    const names = [
      "mesh-ca-root-key",
      ...syntheticClusters("multi-primary", 64).map((c) => `${c.name}-intermediate-ca-key`),
    ];
    const keys = names.map((n) => pooledRsaKey(n));
    assert.deepEqual(
      names.filter((_, i) => keys[i] === undefined),
      [],
      "names the pool refused (they would be generated: a second each on a cold machine)",
    );
    assert.equal(new Set(keys.map((k) => spkiOf(k!))).size, names.length);
  });

  it("refuse a name whose slot another name holds, and the provider mock then generates its own key", async () => {
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const name = `collision-${i}`;
      const holder = seen.get(rsaPoolSlot(name));
      if (holder) pair = [holder, name];
      else seen.set(rsaPoolSlot(name), name);
    }
    const [first, second] = pair;
    assert.ok(pooledRsaKey(first));
    assert.equal(pooledRsaKey(second), undefined);
    assert.ok(pooledRsaKey(first), "the holder keeps its slot");
    const call = (name: string) =>
      tlsHandlers[T.key]!(
        {
          type: T.key,
          name,
          inputs: { algorithm: "RSA", rsaBits: 4096 },
          provider: "",
          custom: true,
          id: "",
        },
        new CloudState("p"),
      ) as Promise<{ outputs: Record<string, unknown> }>;
    const [one, two] = await Promise.all([call(first), call(second)]);
    assert.notEqual(one.outputs["publicKeyPem"], two.outputs["publicKeyPem"]);
    for (const r of [one, two]) {
      assert.equal(
        createPublicKey(String(r.outputs["publicKeyPem"])).asymmetricKeyDetails?.modulusLength,
        4096,
      );
    }
  });
});

describe("mock ECDSA and Ed25519 keys derived from the name", () => {
  it("lie on the requested curve, differ by name, and pass openssl's key check", () => {
    for (const [curve, named] of [
      ["P256", "prime256v1"],
      ["P384", "secp384r1"],
      ["P521", "secp521r1"],
    ] as const) {
      const a = derivedEcKey(curve, "ec-a")!;
      const b = derivedEcKey(curve, "ec-b")!;
      assert.equal(a.asymmetricKeyDetails?.namedCurve, named);
      assert.notEqual(spkiOf(a), spkiOf(b));
      assertSignsAsItself(a, b);
      const pem = String(a.export({ type: "sec1", format: "pem" }));
      const check = openssl("ec", "-check", "-noout", "-in", file(pem));
      assert.ok(check.ok && /key valid/i.test(check.out), check.out);
    }
    assert.equal(derivedEcKey("P224", "ec-a"), undefined, "P224 has no JWK curve in Node: generated instead");
    const [c, d] = [derivedEd25519Key("ed-a"), derivedEd25519Key("ed-b")];
    assert.equal(c.asymmetricKeyType, "ed25519");
    assert.notEqual(spkiOf(c), spkiOf(d));
    assertSignsAsItself(c, d);
  });
});

describe("mock keys on a fresh machine", () => {
  const specs = [
    { algorithm: "RSA", rsaBits: 4096 },
    { algorithm: "ECDSA", ecdsaCurve: "P384" },
    { algorithm: "ED25519" },
  ];
  const name = "cluster1-intermediate-ca-key";
  /** The public keys of `name` for each spec, from the provider mock in another process. */
  const childScript = `
    const { tlsHandlers } = require(${JSON.stringify(join(ROOT, "offline/engine/cloud/tls.ts"))});
    const { CloudState } = require(${JSON.stringify(join(ROOT, "offline/engine/mockCloud.ts"))});
    Promise.all(${JSON.stringify(specs)}.map((inputs) =>
      tlsHandlers[${JSON.stringify(T.key)}](
        { type: ${JSON.stringify(T.key)}, name: ${JSON.stringify(name)}, inputs, provider: "", custom: true, id: "" },
        new CloudState("p"),
      ),
    )).then((keys) => console.log(JSON.stringify(keys.map((k) => k.outputs.publicKeyPem))));`;

  it("are the same in another process whose key cache is empty, and that cache stays empty", async () => {
    const cache = mkdtempSync(join(tmpdir(), "mock-key-cache-"));
    const child = spawnSync(process.execPath, ["--import", "tsx", "--eval", childScript], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, ISTIO_MC_KEY_CACHE: cache },
    });
    assert.equal(child.status, 0, child.stderr);
    const here = await Promise.all(
      specs.map((inputs) =>
        tlsHandlers[T.key]!(
          { type: T.key, name, inputs, provider: "", custom: true, id: "" },
          new CloudState("p"),
        ),
      ),
    );
    const keys = here.map((k) => k.outputs!["publicKeyPem"]);
    assert.equal(new Set(keys).size, 3);
    assert.deepEqual(JSON.parse(child.stdout), keys);
    assert.deepEqual(readdirSync(cache), []);
  });
});

describe("the prime pool", () => {
  it("is labelled mock material and read by nothing outside the offline engine and its generator", () => {
    assert.match(readFileSync(join(ROOT, MOCK_RSA_PRIMES_FILE), "utf8"), /^# MOCK KEY MATERIAL, PUBLIC/);
    const listed = spawnSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "*.ts"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    assert.equal(listed.status, 0, listed.stderr);
    const allowed = new Set([
      "offline/engine/cloud/mockKeys.ts",
      "offline/engine/cloud/tlsPrivateKey.ts",
      "scripts/mock-rsa-primes.ts",
      relative(ROOT, __filename),
    ]);
    const readers = listed.stdout
      .split("\n")
      .filter((f) => f !== "" && !allowed.has(f))
      .filter((f) =>
        /["'][^"'\n]*(\/mockKeys|mockRsaPrimes\.txt)["']/.test(readFileSync(join(ROOT, f), "utf8")),
      );
    assert.deepEqual(readers, []);
  });
});
