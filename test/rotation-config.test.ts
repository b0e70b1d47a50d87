// caRotation at the edge: a skipped stage and every wrong combination refused with the field to change, a
// bring-your-own new root checked like caRootCertificate and carried through the engine (its key a
// secret, refused in plain text), and the lines `npm run plan -- --against` prints between two configs.
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { before, describe, it } from "node:test";
import { validateMeshConfig, type ValidationContext } from "../config/validate";
import { diffEvaluations } from "../offline/engine/diff";
import { evaluate } from "../offline/engine/runtime";
import { meshConfig } from "../offline/engine/syntheticMesh";
import { rotationWarnings } from "../offline/rotationWarnings";
import { cacertsFiles } from "../pki/cacerts";
import { stageEffects, trustBundle } from "../pki/rotation";
import { planMesh } from "../plan/planner";
import { makeCaFixtures, type CaFixtures } from "./support/caFixtures";
import { file, openssl } from "./support/pki";

const CLUSTERS = [
  { name: "cluster1", location: "us-east1-b", network: "network1", role: "primary" },
  { name: "cluster2", location: "us-central1-b", network: "network2", role: "primary" },
];
const generated = { name: "v2", keyAlgorithm: "ECDSA" };
const settings = (extra: Record<string, unknown>) => ({
  project: "my-gcp-project",
  clusters: CLUSTERS,
  ...extra,
});
const problems = (extra: Record<string, unknown>, context: ValidationContext = {}) => {
  const result = validateMeshConfig(settings(extra), context);
  return result.ok ? [] : result.problems;
};
const rotation = (stages: unknown, newRoot: unknown = generated) => ({ caRotation: { stages, newRoot } });

describe("caRotation validation", () => {
  let ca: CaFixtures;
  before(async () => {
    ca = await makeCaFixtures();
  });

  it("accepts the three stages in order, each a prefix of trust-both, reissue, drop-old", () => {
    for (const stages of [["trust-both"], ["trust-both", "reissue"], ["trust-both", "reissue", "drop-old"]])
      assert.deepEqual(problems(rotation(stages)), [], stages.join(","));
  });

  it("refuses a skipped stage, naming the entry and the order", () => {
    assert.deepEqual(problems(rotation(["reissue"])), [
      'caRotation.stages[0]: "reissue" where trust-both belongs: a rotation applies trust-both, reissue, drop-old in this order, appending one stage per pulumi up, none skipped',
    ]);
    assert.match(
      problems(rotation(["trust-both", "drop-old"]))[0]!,
      /^caRotation\.stages\[1\]: "drop-old" where reissue belongs/,
    );
    assert.match(
      problems(rotation(["trust-both", "reissue", "drop-old", "drop-old"]))[0]!,
      /^caRotation\.stages\[3\]: "drop-old" comes after drop-old, the last stage: remove caRotation to finish/,
    );
    assert.deepEqual(problems(rotation([])), [
      "caRotation.stages: is empty: a rotation starts with [trust-both]",
    ]);
    assert.match(
      problems(rotation(["trust-all"]))[0]!,
      /^caRotation\.stages\[0\]: "trust-all" is not one of: trust-both, reissue, drop-old/,
    );
  });

  it("a generated new root needs a name of its own and must outlive the intermediates", () => {
    assert.deepEqual(problems(rotation(["trust-both"], { keyAlgorithm: "ECDSA" })), [
      "caRotation.newRoot.name: is required for a generated new root (its resources are mesh-ca-root-<name>), or give caRotation.newRoot.certificate",
    ]);
    assert.deepEqual(problems({ caRootName: "v2", ...rotation(["trust-both"]) }), [
      'caRotation.newRoot.name: "v2" is the current root\'s name (caRootName): pick another',
    ]);
    assert.deepEqual(problems(rotation(["trust-both"], { name: "v2", validityHours: 8000 })), [
      "caRotation.newRoot.validityHours: 8000 must be longer than caIntermediateValidityHours (8760)",
    ]);
    assert.match(
      problems(rotation(["trust-both"], { name: "v2", colour: "red" }))[0]!,
      /^caRotation\.newRoot\.colour: is not a known setting/,
    );
  });

  it("your own new root: checked like caRootCertificate, with its key as caRotationNewRootPrivateKey", () => {
    const byo = (newRoot: Record<string, unknown>) => rotation(["trust-both"], newRoot);
    const key = { caRotationNewRootPrivateKey: ca.good.keyPem };
    assert.deepEqual(problems(byo({ certificate: ca.good.certPem }), key), []);
    assert.deepEqual(problems(byo({ certificate: ca.good.certPem })), [
      "caRotationNewRootPrivateKey: is required (as a secret) when caRotation.newRoot.certificate is set",
    ]);
    assert.deepEqual(
      problems(byo({ certificate: ca.good.certPem }), { caRotationNewRootPrivateKey: ca.other.keyPem }),
      [
        "caRotationNewRootPrivateKey: does not belong to caRotation.newRoot.certificate (their public keys differ)",
      ],
    );
    assert.match(
      problems(byo({ certificate: ca.expired.certPem }), {
        caRotationNewRootPrivateKey: ca.expired.keyPem,
      })[0]!,
      /^caRotation\.newRoot\.certificate: expired on /,
    );
    assert.deepEqual(problems(byo({ certificate: ca.good.certPem, name: "v2" }), key), [
      "caRotation.newRoot.name: applies to a generated new root, not to your own (caRotation.newRoot.certificate)",
    ]);
    assert.deepEqual(
      problems(
        { caRootCertificate: ca.good.certPem, ...byo({ certificate: ca.good.certPem }) },
        { caRootPrivateKey: ca.good.keyPem, ...key },
      ),
      ["caRotation.newRoot.certificate: is the mesh's current root (caRootCertificate): give the new one"],
    );
    assert.deepEqual(problems(rotation(["trust-both"]), key), [
      "caRotationNewRootPrivateKey: belongs to your own new root: set caRotation.newRoot.certificate too, or remove the key",
    ]);
    assert.deepEqual(problems({}, key), [
      "caRotationNewRootPrivateKey: is set but no rotation is in progress (caRotation): remove it (pulumi config rm caRotationNewRootPrivateKey)",
    ]);
    for (const p of problems(byo({ certificate: ca.good.certPem }), {
      caRotationNewRootPrivateKey: ca.other.keyPem,
    }))
      assert.doesNotMatch(p, /PRIVATE KEY|BEGIN/, "no key material in messages");
  });
});

describe("a bring-your-own new root on the engine", { timeout: 180_000 }, () => {
  let ca: CaFixtures;
  before(async () => {
    ca = await makeCaFixtures();
  });
  const config = (stages: string[]) =>
    meshConfig("multi-primary", 2, {
      ...rotation(stages, { certificate: ca.good.certPem }),
      caRotationNewRootPrivateKey: ca.good.keyPem,
    });

  it("re-issues the intermediates under it, trusting both, with its key a secret input only", async () => {
    const ev = await evaluate(config(["trust-both", "reissue"]));
    assert.equal(ev.error, undefined, String(ev.error));
    const secret = ev.resources.find((r) => r.name === "mesh-cluster1-cacerts")!;
    const files = secret.inputs["stringData"] as Record<string, string>;
    const roots = files["root-cert.pem"]!.match(/-----BEGIN CERTIFICATE-----/g)!.length;
    assert.equal(roots, 2);
    const check = openssl("verify", "-CAfile", file(ca.good.certPem), file(files["ca-cert.pem"]!));
    assert.ok(check.ok, check.out);
    assert.equal(
      new X509Certificate(files["cert-chain.pem"]!.split(/(?<=-----END CERTIFICATE-----\n)/)[1]!)
        .fingerprint256,
      new X509Certificate(ca.good.certPem).fingerprint256,
    );
    const cert = ev.resources.find((r) => r.name === "mesh-ca-cluster1-intermediate-ca")!;
    assert.ok(cert.secretInputs.includes("caPrivateKeyPem"));
    assert.ok(
      !JSON.stringify(
        ev.resources.filter((r) => r.type.startsWith("kubernetes:")).map((r) => r.inputs),
      ).includes(ca.good.keyPem.split("\n")[1]!),
    );
  });

  it("finishes with caRootCertificate and caRootPrivateKey set to it: nothing replaced, the generated old root deleted", async () => {
    const dropOld = await evaluate(config(["trust-both", "reissue", "drop-old"]));
    const finished = await evaluate(
      meshConfig("multi-primary", 2, {
        caRootCertificate: ca.good.certPem,
        caRootPrivateKey: ca.good.keyPem,
      }),
    );
    assert.equal(finished.error, undefined, String(finished.error));
    const diff = diffEvaluations(dropOld.resources, finished.resources);
    assert.deepEqual(diff.steps.map((s) => `${s.kind} ${s.name}`).sort(), [
      "delete mesh-ca-root",
      "delete mesh-ca-root-key",
      "update mesh-cluster1-istiod",
      "update mesh-cluster2-istiod",
    ]);
  });

  it("refuses its key stored in plain text", async () => {
    const ev = await evaluate(config(["trust-both"]), { plainTextKeys: ["caRotationNewRootPrivateKey"] });
    assert.match(
      String(ev.error),
      /caRotationNewRootPrivateKey: is stored in plain text in the stack file: set it with pulumi config set --secret caRotationNewRootPrivateKey/,
    );
  });
});

describe("pki/rotation and cacerts (pure)", () => {
  const a = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----";
  const b = "-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----\n";
  const key = "-----BEGIN EC PRIVATE KEY-----\nCCCC\n-----END EC PRIVATE KEY-----\n";

  it("each stage: who signs, who is trusted, multi-root on until the block goes", () => {
    assert.deepEqual(stageEffects(undefined), { signedBy: "old", trusts: ["old"], multiRoot: false });
    assert.deepEqual(stageEffects("trust-both"), {
      signedBy: "old",
      trusts: ["old", "new"],
      multiRoot: true,
    });
    assert.deepEqual(stageEffects("reissue"), { signedBy: "new", trusts: ["old", "new"], multiRoot: true });
    assert.deepEqual(stageEffects("drop-old"), { signedBy: "new", trusts: ["new"], multiRoot: true });
  });

  it("a trust bundle holds each root once; cacerts refuses one without the root its chain ends at", () => {
    assert.equal(trustBundle([a, b, `${a}\n`]), `${a}\n${b}`);
    const files = cacertsFiles({
      intermediateCertPem: a,
      intermediateKeyPem: key,
      rootCertPem: b,
      trustBundlePem: trustBundle([a, b]),
    });
    assert.equal(files["root-cert.pem"], `${a}\n${b}`);
    assert.equal(files["cert-chain.pem"], `${a}\n${b}`);
    assert.throws(
      () =>
        cacertsFiles({
          intermediateCertPem: a,
          intermediateKeyPem: key,
          rootCertPem: b,
          trustBundlePem: `${a}\n`,
        }),
      /root-cert.pem: does not hold the root the intermediate chains to/,
    );
  });
});

describe("rotation lines of the offline diff", () => {
  const plan = (extra: Record<string, unknown>) => {
    const result = validateMeshConfig(settings(extra));
    if (!result.ok) throw new Error(result.problems.join("\n"));
    return planMesh(result.config).ca;
  };
  const lines = (from: Record<string, unknown>, to: Record<string, unknown>) =>
    rotationWarnings(plan(from), plan(to));

  it("says a restart is due after trust-both, and what to wait for after each stage", () => {
    const first = lines({}, rotation(["trust-both"]));
    assert.match(
      first[0]!,
      /^WARNING: root rotation stage trust-both: a restart is due after pulumi up: .*restart every injected workload/,
    );
    assert.match(
      first[1]!,
      /^NOTE: before the next stage wait for every proxy to trust both roots.*then append reissue/,
    );
    assert.match(
      lines(rotation(["trust-both"]), rotation(["trust-both", "reissue"]))[0]!,
      /^NOTE: root rotation stage reissue: no restart is due/,
    );
    assert.deepEqual(lines(rotation(["trust-both"]), rotation(["trust-both"])), []);
  });

  it("warns of a skipped stage, a root replaced in one step, a new root changed midway and a finish that misses the new root", () => {
    assert.match(
      lines({}, rotation(["trust-both", "reissue"]))[0]!,
      /^WARNING: the root rotation goes from no rotation to reissue in one step, skipping trust-both/,
    );
    assert.match(
      lines(rotation(["trust-both", "reissue", "drop-old"]), rotation(["trust-both"]))[0]!,
      /skipping reissue/,
    );
    assert.match(
      lines({}, { caKeyAlgorithm: "ECDSA" })[0]!,
      /^WARNING: the mesh root is replaced in one step/,
    );
    assert.deepEqual(lines({}, { helloworld: true }), []);
    assert.match(
      lines(rotation(["trust-both"]), rotation(["trust-both"], { name: "v3" }))[0]!,
      /^WARNING: caRotation.newRoot changes in the middle/,
    );
    const dropOld = rotation(["trust-both", "reissue", "drop-old"]);
    assert.match(
      lines(dropOld, {})[0]!,
      /^WARNING: caRotation is removed but the mesh's CA settings are not its new root/,
    );
    assert.match(
      lines(dropOld, { caRootName: "v2", caKeyAlgorithm: "ECDSA" })[0]!,
      /^NOTE: finishes the root rotation/,
    );
  });
});
