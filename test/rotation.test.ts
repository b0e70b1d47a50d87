// A staged root rotation on every topology, on the mock engine with real cryptography: each stage's diff
// touches exactly what that stage must, the finishing edit replaces nothing, and openssl shows that during
// trust-both and reissue every intermediate chains to a root that every cluster trusts (primaries'
// root-cert.pem and remotes' injection webhook bundle alike), while no root key ever reaches a cluster.
import assert from "node:assert/strict";
import { createPublicKey, X509Certificate } from "node:crypto";
import { before, describe, it } from "node:test";
import { diffEvaluations, type MeshDiff } from "../offline/engine/diff";
import type { RecordedResource } from "../offline/engine/recorder";
import { evaluate, type Evaluation } from "../offline/engine/runtime";
import { meshConfig, type SyntheticTopology } from "../offline/engine/syntheticMesh";
import { checkNoCaRootKey } from "../policy/checks/caRootKey";
import { file, openssl } from "./support/pki";

const TOPOLOGIES: SyntheticTopology[] = ["multi-primary", "primary-remote", "shared-control-plane"];
const NEW_ROOT = { name: "v2", keyAlgorithm: "ECDSA" };
const rotating = (...stages: string[]) => ({ caRotation: { stages, newRoot: NEW_ROOT } });
const STEPS = {
  before: {},
  "trust-both": rotating("trust-both"),
  reissue: rotating("trust-both", "reissue"),
  "drop-old": rotating("trust-both", "reissue", "drop-old"),
  // The finishing edit: the new root's settings become the mesh's.
  finished: { caKeyAlgorithm: "ECDSA", caRootName: "v2" },
};
type Step = keyof typeof STEPS;

const SECRET = "kubernetes:core/v1:Secret";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const TLS = "tls:index/";
const MULTI_ROOT = [
  "values.env",
  "values.env.ISTIO_MULTIROOT_MESH",
  "values.meshConfig.defaultConfig.proxyMetadata.PROXY_CONFIG_XDS_AGENT",
];
const BUNDLE = ["values.istiodRemote.injectionCABundle"];

/** `kind type name (changed paths)` of every step, sorted. */
const summary = (diff: MeshDiff) =>
  diff.steps.map((s) => `${s.kind} ${s.type} ${s.name} (${[...s.reasons].sort().join(", ")})`).sort();
const line = (kind: string, type: string, name: string, reasons: readonly string[]) =>
  `${kind} ${type} ${name} (${[...reasons].sort().join(", ")})`;
const byName = (ev: Evaluation, name: string, type?: string) =>
  ev.resources.find((r) => r.name === name && (type === undefined || r.type === type))!;
const certs = (pem: string) =>
  (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? []).map(
    (p) => new X509Certificate(p),
  );
const fingerprints = (pem: string) => certs(pem).map((c) => c.fingerprint256);

/** What each cluster trusts: a primary's root-cert.pem, a remote's injection webhook caBundle. */
function trustOf(ev: Evaluation, cluster: string, role: string): string {
  if (role === "primary")
    return (byName(ev, `mesh-${cluster}-cacerts`).inputs["stringData"] as Record<string, string>)[
      "root-cert.pem"
    ]!;
  const values = byName(ev, `mesh-${cluster}-istiod`, RELEASE).inputs["values"] as {
    istiodRemote: { injectionCABundle: string };
  };
  return Buffer.from(values.istiodRemote.injectionCABundle, "base64").toString("utf8");
}
const cacertsOf = (ev: Evaluation, cluster: string) =>
  byName(ev, `mesh-${cluster}-cacerts`).inputs["stringData"] as Record<string, string>;
const rootPem = (ev: Evaluation, name: string) => String(byName(ev, name).outputs["certPem"]);

for (const topology of TOPOLOGIES) {
  describe(`root rotation on ${topology}`, { timeout: 300_000 }, () => {
    const n = topology === "multi-primary" ? 2 : 3;
    const clusters = Array.from({ length: n }, (_, i) => ({
      name: `cluster${i + 1}`,
      role: topology === "multi-primary" || i === 0 ? "primary" : "remote",
    }));
    const primaries = clusters.filter((c) => c.role === "primary").map((c) => c.name);
    const remotes = clusters.filter((c) => c.role === "remote").map((c) => c.name);
    const ev = {} as Record<Step, Evaluation>;
    before(async () => {
      for (const [step, overrides] of Object.entries(STEPS)) {
        const evaluation = await evaluate(meshConfig(topology, n, overrides));
        if (evaluation.error) throw evaluation.error;
        ev[step as Step] = evaluation;
      }
    });
    const diff = (from: Step, to: Step) => summary(diffEvaluations(ev[from].resources, ev[to].resources));

    it("trust-both creates the new root and changes only root-cert.pem, istiod's multi-root settings and remotes' webhook bundle", () => {
      assert.deepEqual(
        diff("before", "trust-both"),
        [
          line("create", `${TLS}privateKey:PrivateKey`, "mesh-ca-root-v2-key", []),
          line("create", `${TLS}selfSignedCert:SelfSignedCert`, "mesh-ca-root-v2", []),
          ...primaries.flatMap((c) => [
            line("update", SECRET, `mesh-${c}-cacerts`, ["stringData.root-cert.pem"]),
            line("update", RELEASE, `mesh-${c}-istiod`, MULTI_ROOT),
          ]),
          ...remotes.map((c) => line("update", RELEASE, `mesh-${c}-istiod`, BUNDLE)),
        ].sort(),
      );
    });

    it("multi-root istiod: the chart's top-level env and the proxies' metadata, DNS capture kept", () => {
      for (const c of primaries) {
        const values = byName(ev["trust-both"], `mesh-${c}-istiod`, RELEASE).inputs["values"] as {
          env?: Record<string, string>;
          meshConfig: { defaultConfig: { proxyMetadata: Record<string, string> } };
        };
        assert.deepEqual(values.env, { ISTIO_MULTIROOT_MESH: "true" });
        assert.deepEqual(values.meshConfig.defaultConfig.proxyMetadata, {
          ISTIO_META_DNS_CAPTURE: "true",
          PROXY_CONFIG_XDS_AGENT: "true",
        });
        assert.equal(
          (byName(ev.finished, `mesh-${c}-istiod`, RELEASE).inputs["values"] as { env?: unknown }).env,
          undefined,
        );
      }
    });

    it("reissue replaces each intermediate (key, CSR, certificate: the algorithm changes) and updates cacerts, nothing else", () => {
      const reasons = diffEvaluations(ev["trust-both"].resources, ev.reissue.resources);
      assert.deepEqual(
        reasons.steps.map((s) => `${s.kind} ${s.name}`).sort(),
        primaries
          .flatMap((c) => [
            `replace mesh-ca-${c}-intermediate-ca`,
            `replace mesh-ca-${c}-intermediate-ca-csr`,
            `replace mesh-ca-${c}-intermediate-ca-key`,
            `update mesh-${c}-cacerts`,
          ])
          .sort(),
      );
      for (const c of primaries) {
        const secret = reasons.steps.find((s) => s.name === `mesh-${c}-cacerts`)!;
        assert.deepEqual([...secret.reasons].sort(), [
          "stringData.ca-cert.pem",
          "stringData.ca-key.pem",
          "stringData.cert-chain.pem",
        ]);
      }
    });

    it("drop-old changes only root-cert.pem and remotes' webhook bundle; the old root stays in the state", () => {
      assert.deepEqual(
        diff("reissue", "drop-old"),
        [
          ...primaries.map((c) => line("update", SECRET, `mesh-${c}-cacerts`, ["stringData.root-cert.pem"])),
          ...remotes.map((c) => line("update", RELEASE, `mesh-${c}-istiod`, BUNDLE)),
        ].sort(),
      );
      assert.ok(byName(ev["drop-old"], "mesh-ca-root"), "the old root stays for a rollback to reissue");
    });

    it("the finishing edit deletes the old root and turns multi-root off, replacing nothing", () => {
      assert.deepEqual(
        diff("drop-old", "finished"),
        [
          line("delete", `${TLS}privateKey:PrivateKey`, "mesh-ca-root-key", []),
          line("delete", `${TLS}selfSignedCert:SelfSignedCert`, "mesh-ca-root", []),
          ...primaries.map((c) => line("update", RELEASE, `mesh-${c}-istiod`, MULTI_ROOT)),
        ].sort(),
      );
    });

    it("rolling back one stage is the reverse diff (drop-old -> reissue, reissue -> trust-both)", () => {
      assert.equal(diffEvaluations(ev["drop-old"].resources, ev.reissue.resources).count("replace"), 0);
      const back = diffEvaluations(ev.reissue.resources, ev["trust-both"].resources);
      // The intermediates are re-issued under the old root again: a new key pair and certificate each.
      assert.equal(back.count("replace"), 3 * primaries.length);
      assert.equal(back.count("create") + back.count("delete"), 0);
    });

    it("X.509: every stage's trust is what it must be, and in trust-both and reissue every intermediate chains to a root every cluster trusts", () => {
      const oldRoot = rootPem(ev.before, "mesh-ca-root");
      const newRoot = rootPem(ev["trust-both"], "mesh-ca-root-v2");
      const fp = (pem: string) => new X509Certificate(pem).fingerprint256;
      const expected: Record<Step, { trusts: string[]; signer: string }> = {
        before: { trusts: [fp(oldRoot)], signer: fp(oldRoot) },
        "trust-both": { trusts: [fp(oldRoot), fp(newRoot)], signer: fp(oldRoot) },
        reissue: { trusts: [fp(oldRoot), fp(newRoot)], signer: fp(newRoot) },
        "drop-old": { trusts: [fp(newRoot)], signer: fp(newRoot) },
        finished: { trusts: [fp(newRoot)], signer: fp(newRoot) },
      };
      for (const step of Object.keys(STEPS) as Step[]) {
        for (const c of clusters)
          assert.deepEqual(
            fingerprints(trustOf(ev[step], c.name, c.role)),
            expected[step].trusts,
            `${step} ${c.name}`,
          );
        for (const signer of primaries) {
          const files = cacertsOf(ev[step], signer);
          const chain = certs(files["cert-chain.pem"]!);
          assert.equal(
            chain.at(-1)!.fingerprint256,
            expected[step].signer,
            `${step} ${signer}: chain ends at its signer`,
          );
          // openssl: the intermediate verifies against what each cluster trusts, with nothing else given.
          for (const peer of clusters) {
            const check = openssl(
              "verify",
              "-CAfile",
              file(trustOf(ev[step], peer.name, peer.role)),
              file(files["ca-cert.pem"]!),
            );
            assert.ok(check.ok, `${step}: ${signer}'s intermediate is trusted by ${peer.name}: ${check.out}`);
          }
        }
      }
      // The control: with the old root alone (before the rotation), a re-issued intermediate is refused.
      const refused = openssl(
        "verify",
        "-CAfile",
        file(oldRoot),
        file(cacertsOf(ev.reissue, primaries[0]!)["ca-cert.pem"]!),
      );
      assert.equal(refused.ok, false);
    });

    it("no stage puts a root private key into a cluster", () => {
      const rootPublicKeys = [
        rootPem(ev.before, "mesh-ca-root"),
        rootPem(ev["trust-both"], "mesh-ca-root-v2"),
      ].map((pem) =>
        new X509Certificate(pem).publicKey.export({ type: "spki", format: "der" }).toString("base64"),
      );
      for (const [step, evaluation] of Object.entries(ev)) {
        const inCluster = evaluation.resources.filter((r: RecordedResource) =>
          r.type.startsWith("kubernetes:"),
        );
        const keys =
          JSON.stringify(inCluster.map((r) => r.inputs))
            .replace(/\\n/g, "\n")
            .match(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+?-----END [A-Z ]*PRIVATE KEY-----/g) ?? [];
        assert.ok(keys.length >= primaries.length, `${step}: the intermediates' keys are found`);
        // The policy pack's rule agrees, with both roots in root-cert.pem.
        for (const r of inCluster.filter((r) => r.type === SECRET))
          assert.deepEqual(
            checkNoCaRootKey({ type: r.type, urn: r.urn, props: r.inputs }),
            [],
            `${step} ${r.name}`,
          );
        for (const key of keys) {
          const pub = createPublicKey(key).export({ type: "spki", format: "der" }).toString("base64");
          assert.ok(!rootPublicKeys.includes(pub), `${step}: a root key is in a cluster`);
        }
      }
    });

    it("the caRotation output says when a restart is due", () => {
      assert.equal(ev.before.outputs["caRotation"], undefined);
      const output = (step: Step) => ev[step].outputs["caRotation"] as { stage: string; restartDue: boolean };
      assert.deepEqual([output("trust-both").stage, output("trust-both").restartDue], ["trust-both", true]);
      assert.deepEqual([output("reissue").stage, output("reissue").restartDue], ["reissue", false]);
      assert.deepEqual([output("drop-old").stage, output("drop-old").restartDue], ["drop-old", false]);
      assert.equal(ev.finished.outputs["caRotation"], undefined);
      assert.deepEqual(fingerprints(String(ev.reissue.outputs["rootCertificate"])).length, 2);
    });
  });
}
