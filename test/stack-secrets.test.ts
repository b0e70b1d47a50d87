// Stack files as the Pulumi CLI writes and reads them: `secure:` values (decrypted with the passphrase
// provider's key, or planned as placeholders that the plan names), plain-text secrets refused as the real
// run refuses them, keys without a namespace taken as the project's, and near-miss namespaces reported.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { settingsFromConfig } from "../config/load";
import { ConfigError, validateMeshConfig } from "../config/validate";
import { kubeconfigServer } from "../config/existing";
import { isSecretPlaceholder } from "../config/secretPlaceholders";
import { newEncryptionSalt, passphraseCrypter, PassphraseError } from "../offline/engine/passphrase";
import { created, evaluate } from "../offline/engine/runtime";
import { loadStackFile, PROJECT, ROOT } from "../offline/engine/stackFiles";
import { renderSecretPlaceholders } from "../offline/secretPlaceholdersNote";
import { makeCaFixtures, type CaFixtures } from "./support/caFixtures";
import { execKubeconfig } from "./support/configs";

const dir = mkdtempSync(join(tmpdir(), "stack-secrets-"));
let count = 0;
const write = (lines: readonly string[]) => {
  const path = join(dir, `Pulumi.s${count++}.yaml`);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
};
const indent = (text: string, spaces: number) =>
  text
    .split("\n")
    .map((line) => " ".repeat(spaces) + line)
    .join("\n");
/** A YAML block scalar holding `text` at `spaces` of indentation. */
const block = (text: string, spaces: number) => `|-\n${indent(text.replace(/\n$/, ""), spaces)}`;

const CLUSTERS = [
  "  istio-multicluster:clusters:",
  "    - { name: east, location: us-east1-b, network: n1, role: primary }",
  "    - { name: eks, existing: kubeconfig, network: n2, role: primary }",
];
const EKS = execKubeconfig("https://eks.example.com");

describe("passphrase secrets, against Pulumi's own published values", () => {
  // pkg/secrets/passphrase/manager_test.go: this state opens with "password" and not with "password123".
  const MANAGER_TEST_STATE = "v1:fozI5u6B030=:v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==";
  // tests/roundtrip/roundtrip_test.go: a stack file with this salt (passphrase "TestConfigRoundtripComments")
  // and foo:d below. Its plaintext, "secret-value", was read with Python's `cryptography` package (PBKDF2HMAC
  // SHA-256, 1,000,000 iterations, AESGCM), independently of this project's code.
  const ROUNDTRIP_SALT = "v1:ThS5UPxP9qc=:v1:UZYAXF+ylaJ0rGhv:9OTvBnOEDFgxs7btjzSu+LZ470vLpg==";
  const ROUNDTRIP_FOO_D = "v1:T1ftqhY0hqr+EJK6:+jvd5PMecFx80tcavzuZY4tLatgIfoe/xR72GA==";

  it("the right passphrase opens the state, a wrong one is an error", () => {
    passphraseCrypter("password", MANAGER_TEST_STATE);
    assert.throws(() => passphraseCrypter("password123", MANAGER_TEST_STATE), PassphraseError);
  });

  it("decrypts a secure value of Pulumi's round-trip test from its stack file", () => {
    const path = write([
      `encryptionsalt: ${ROUNDTRIP_SALT}`,
      "config:",
      "  foo:a: some-value",
      "  foo:d:",
      `    secure: ${ROUNDTRIP_FOO_D}`,
    ]);
    const file = loadStackFile(path, ROOT, { PULUMI_CONFIG_PASSPHRASE: "TestConfigRoundtripComments" });
    assert.equal(file.config["foo:d"], "secret-value");
    assert.deepEqual(file.secretKeys, ["foo:d"]);
    assert.throws(
      () => loadStackFile(path, ROOT, { PULUMI_CONFIG_PASSPHRASE: "TestConfigRoundtripComment" }),
      /the passphrase in PULUMI_CONFIG_PASSPHRASE does not open this stack's secrets: incorrect passphrase/,
    );
  });
});

describe("secure values in a stack file", { timeout: 120_000 }, () => {
  let ca: CaFixtures;
  const passphrase = "correct horse battery staple";
  let salt: string;
  let encrypt: (plaintext: string) => string;
  before(async () => {
    ca = await makeCaFixtures();
    salt = newEncryptionSalt(passphrase);
    const crypter = passphraseCrypter(passphrase, salt);
    encrypt = (plaintext) => crypter.encrypt(plaintext);
  });

  const kubeconfigStack = () =>
    write([
      `encryptionsalt: ${salt}`,
      "config:",
      "  gcp:project: my-gcp-project",
      ...CLUSTERS,
      "  istio-multicluster:kubeconfigs:",
      "    eks:",
      `      secure: ${encrypt(EKS)}`,
    ]);

  it("decrypts with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE, and the key is secret", () => {
    const path = kubeconfigStack();
    const passFile = join(dir, "passphrase.txt");
    writeFileSync(passFile, `${passphrase}\n`); // the CLI trims the file's white space
    for (const env of [
      { PULUMI_CONFIG_PASSPHRASE: passphrase },
      { PULUMI_CONFIG_PASSPHRASE_FILE: passFile },
    ]) {
      const file = loadStackFile(path, ROOT, env);
      assert.deepEqual(JSON.parse(file.config["istio-multicluster:kubeconfigs"]!), { eks: EKS });
      assert.deepEqual(file.secretKeys, ["istio-multicluster:kubeconfigs"]);
      assert.deepEqual(file.placeholders, []);
    }
  });

  it("a wrong passphrase or a damaged value is an error naming the stack file, never garbage", () => {
    const path = kubeconfigStack();
    assert.throws(
      () => loadStackFile(path, ROOT, { PULUMI_CONFIG_PASSPHRASE: "wrong" }),
      (e: Error) => e.message.startsWith(`${path}: `) && /incorrect passphrase/.test(e.message),
    );
    const sealed = encrypt(EKS);
    const at = sealed.lastIndexOf(":") + 10; // a character of the ciphertext itself
    const damaged = sealed.slice(0, at) + (sealed[at] === "A" ? "B" : "A") + sealed.slice(at + 1);
    const tampered = write([
      `encryptionsalt: ${salt}`,
      "config:",
      "  istio-multicluster:caRootPrivateKey:",
      `    secure: ${damaged}`,
    ]);
    assert.throws(
      () => loadStackFile(tampered, ROOT, { PULUMI_CONFIG_PASSPHRASE: passphrase }),
      /istio-multicluster:caRootPrivateKey: the secure value does not decrypt with this stack's key/,
    );
  });

  it("without a passphrase, a kubeconfig placeholder of valid shape, named in the plan with the reason", async () => {
    const file = loadStackFile(kubeconfigStack(), ROOT, {});
    assert.deepEqual(file.placeholders, ["istio-multicluster:kubeconfigs.eks"]);
    const kubeconfig = (JSON.parse(file.config["istio-multicluster:kubeconfigs"]!) as Record<string, string>)[
      "eks"
    ]!;
    assert.ok(isSecretPlaceholder(kubeconfig));
    assert.deepEqual(kubeconfigServer(kubeconfig), { server: "https://eks.secret-placeholder.invalid" });
    const note = renderSecretPlaceholders(file);
    assert.match(
      note,
      /^Secrets NOT decrypted \(the stack uses the passphrase provider and neither PULUMI_CONFIG_PASSPHRASE/,
    );
    assert.match(
      note,
      /istio-multicluster:kubeconfigs\.eks: a kubeconfig whose server is https:\/\/eks\.secret-placeholder\.invalid/,
    );
    const evaluation = await evaluate(file.config, { secretKeys: file.secretKeys });
    assert.equal(evaluation.error, undefined, String(evaluation.error));
  });

  it("a kubeconfigs map secret as a whole gets a placeholder for each kubeconfig cluster", () => {
    const path = write([
      "config:", // no encryptionsalt: a Pulumi Cloud stack
      "  gcp:project: my-gcp-project",
      ...CLUSTERS,
      "  istio-multicluster:kubeconfigs:",
      `    secure: ${encrypt(JSON.stringify({ eks: EKS }))}`,
    ]);
    const file = loadStackFile(path, ROOT, { PULUMI_CONFIG_PASSPHRASE: passphrase });
    assert.deepEqual(file.placeholders, ["istio-multicluster:kubeconfigs"]);
    assert.match(file.placeholderReason ?? "", /Pulumi Cloud backend/);
    const map = JSON.parse(file.config["istio-multicluster:kubeconfigs"]!) as Record<string, string>;
    assert.deepEqual(Object.keys(map), ["eks"]);
  });

  it("a bring-your-own root key it cannot decrypt: the key-pair check is skipped and said to be, and the mesh plans", async () => {
    const path = write([
      "secretsprovider: gcpkms://projects/p/locations/global/keyRings/r/cryptoKeys/k",
      "encryptedkey: AAAA",
      "config:",
      "  gcp:project: my-gcp-project",
      "  istio-multicluster:clusters:",
      "    - { name: east, location: us-east1-b, network: n1, role: primary }",
      "    - { name: west, location: us-west1-b, network: n2, role: primary }",
      `  istio-multicluster:caRootCertificate: ${block(ca.good.certPem, 4)}`,
      "  istio-multicluster:caRootPrivateKey:",
      `    secure: ${encrypt(ca.good.keyPem)}`,
    ]);
    const file = loadStackFile(path, ROOT, {});
    assert.match(file.placeholderReason ?? "", /secrets provider \(gcpkms\) is a key service/);
    const note = renderSecretPlaceholders(file);
    assert.match(
      note,
      /caRootPrivateKey: a placeholder key: whether the real key belongs to caRootCertificate is NOT checked/,
    );
    const read = settingsFromConfig(file.config, PROJECT);
    const result = validateMeshConfig(read.settings, { caRootPrivateKey: read.caRootPrivateKey! });
    assert.ok(result.ok, result.ok ? "" : result.problems.join("\n"));
    const evaluation = await evaluate(file.config, { secretKeys: file.secretKeys });
    assert.equal(evaluation.error, undefined, String(evaluation.error));
    assert.equal(String(evaluation.outputs["rootCertificate"]).trim(), ca.good.certPem.trim());
  });

  it("plain-text secrets are refused as the real run refuses them, a plain kubeconfigs map included", async () => {
    const path = write([
      "config:",
      "  gcp:project: my-gcp-project",
      ...CLUSTERS,
      "  istio-multicluster:kubeconfigs:",
      `    eks: ${block(EKS, 6)}`,
      `  istio-multicluster:caRootCertificate: ${block(ca.good.certPem, 4)}`,
      `  istio-multicluster:caRootPrivateKey: ${block(ca.good.keyPem, 4)}`,
    ]);
    const file = loadStackFile(path, ROOT, {});
    assert.deepEqual(file.secretKeys, []);
    const evaluation = await evaluate(file.config, { secretKeys: file.secretKeys });
    assert.ok(evaluation.error instanceof ConfigError, String(evaluation.error));
    const problems = evaluation.error.problems;
    for (const key of ["caRootPrivateKey", "kubeconfigs"]) {
      assert.ok(
        problems.includes(
          `${key}: is stored in plain text in the stack file: set it with pulumi config set --secret ${key}`,
        ),
        problems.join("\n"),
      );
    }
    assert.ok(
      !problems.some((p) => p.includes("needs kubeconfigs.eks")),
      "the plain map is read, not dropped",
    );
    assert.doesNotMatch(evaluation.error.message, /PRIVATE KEY/);
    assert.equal(created(evaluation).length, 0);
  });
});

describe("keys in the wrong place", () => {
  it("a key without a namespace is the project's, as the CLI reads it; given both ways, it is an error", () => {
    const path = write(["config:", "  gcp:project: my-gcp-project", "  topology: primary-remote"]);
    assert.equal(loadStackFile(path, ROOT, {}).config["istio-multicluster:topology"], "primary-remote");
    const twice = write([
      "config:",
      "  topology: primary-remote",
      "  istio-multicluster:topology: multi-primary",
    ]);
    assert.throws(() => loadStackFile(twice, ROOT, {}), /istio-multicluster:topology is set twice/);
  });

  it("a key in a near-miss namespace or in the wrong one is reported with the key it probably means", () => {
    const path = write([
      "config:",
      "  gpc:project: my-gcp-project",
      "  istio-multicluter:helloworld: true",
      "  istio-multicluster:project: my-gcp-project",
      "  gcp:bookinfo: true",
      "  gcp:region: us-east1", // a real key of the gcp provider: left alone
      "  kubernetes:context: kind", // another provider's namespace: left alone
      "  istio-multicluster:clusters:",
      "    - { name: east, location: us-east1-b, network: n1, role: primary }",
      "    - { name: west, location: us-west1-b, network: n2, role: primary }",
    ]);
    const read = settingsFromConfig(loadStackFile(path, ROOT, {}).config, PROJECT);
    const result = validateMeshConfig(read.settings);
    assert.equal(result.ok, false);
    assert.deepEqual(result.ok ? [] : result.problems.sort(), [
      "gcp:bookinfo: is not a known setting (did you mean istio-multicluster:bookinfo?)",
      "gcp:project: is required (pulumi config set gcp:project <id>)",
      "gpc:project: is not a known setting (did you mean gcp:project?)",
      "istio-multicluster:project: is not a known setting (did you mean gcp:project?)",
      "istio-multicluter:helloworld: is not a known setting (did you mean istio-multicluster:helloworld?)",
    ]);
  });
});
