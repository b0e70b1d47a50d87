// The CrossGuard pack's checks: every shipped stack passes all of them on its recorded resources, and each
// policy fires on a deliberately broken variant of a real recorded resource. The pure checks are called
// directly; one pass goes through the ResourceValidationPolicy wrappers as the policy runtime would.
import assert from "node:assert/strict";
import { describe, it, before } from "node:test";
import type { ResourceValidationArgs } from "@pulumi/policy";
import { stringify } from "yaml";
import { created, evaluate } from "../offline/engine/runtime";
import type { RecordedResource } from "../offline/engine/recorder";
import { listStacks, stackConfig } from "../offline/engine/stackFiles";
import { checkNoCaRootKey } from "../policy/checks/caRootKey";
import { checkFirewallIngress } from "../policy/checks/firewall";
import { checkGkeCluster, checkGkeNodePool } from "../policy/checks/gke";
import { checkChartRepository, checkIstioVersionPinned } from "../policy/checks/helm";
import { checkRemoteSecretTokens } from "../policy/checks/remoteSecrets";
import type { CheckedResource } from "../policy/checks/resource";
import { policies } from "../policy/policies";

const CHECKS = [
  checkFirewallIngress,
  checkGkeCluster,
  checkGkeNodePool,
  checkNoCaRootKey,
  checkRemoteSecretTokens,
  (r: CheckedResource) => checkChartRepository(r),
  checkIstioVersionPinned,
];

/** Calls a policy the way the policy runtime does (args shaped like ResourceValidationArgs). */
function runPolicy(name: string, r: CheckedResource, config: Record<string, unknown> = {}): string[] {
  const policy = policies.find((p) => p.name === name);
  assert.ok(policy?.validateResource, `no policy ${name}`);
  const reported: string[] = [];
  const args = {
    type: r.type,
    urn: r.urn,
    name: r.urn.split("::").pop()!,
    props: r.props,
    getConfig: () => config,
  } as unknown as ResourceValidationArgs;
  const validations = Array.isArray(policy.validateResource)
    ? policy.validateResource
    : [policy.validateResource];
  for (const validate of validations) void validate(args, (message) => reported.push(message));
  return reported;
}

const asChecked = (r: RecordedResource, props: Record<string, unknown> = r.inputs): CheckedResource => ({
  type: r.type,
  urn: r.urn,
  props,
});

const recordings = new Map<string, RecordedResource[]>();
const first = (stack: string, type: string, name?: string) => {
  const found = recordings
    .get(stack)!
    .find((r) => r.type === type && (name === undefined || r.name === name));
  assert.ok(found, `${stack} has no ${type} ${name ?? ""}`);
  return found;
};

describe("policy pack", { timeout: 240_000 }, () => {
  before(async () => {
    for (const stack of listStacks()) {
      const evaluation = await evaluate(stackConfig(stack), { stack });
      assert.equal(evaluation.error, undefined, String(evaluation.error));
      recordings.set(stack, created(evaluation));
    }
  });

  it("every shipped stack passes every policy, through the pure checks and through the pack's wrappers", () => {
    for (const [stack, resources] of recordings) {
      for (const r of resources.filter((x) => x.custom)) {
        const violations = CHECKS.flatMap((check) => check(asChecked(r)));
        assert.deepEqual(violations, [], `${stack}: ${r.urn}`);
        for (const policy of policies)
          assert.deepEqual(runPolicy(policy.name, asChecked(r)), [], `${stack}: ${policy.name}`);
      }
    }
    const types = new Set([...recordings.values()].flat().map((r) => r.type));
    for (const type of [
      "gcp:compute/firewall:Firewall",
      "gcp:container/cluster:Cluster",
      "gcp:container/nodePool:NodePool",
      "kubernetes:core/v1:Secret",
      "kubernetes:helm.sh/v3:Release",
    ]) {
      assert.ok(types.has(type), `the shipped stacks exercise ${type}`);
    }
  });

  it("no-world-ingress: an allow rule from 0.0.0.0/0 or ::/0 fires; deny and egress rules do not", () => {
    const fw = first("dev", "gcp:compute/firewall:Firewall");
    const withRange = (range: string, extra: Record<string, unknown> = {}) =>
      asChecked(fw, {
        ...fw.inputs,
        sourceRanges: [...(fw.inputs["sourceRanges"] as string[]), range],
        ...extra,
      });
    assert.equal(runPolicy("no-world-ingress", withRange("0.0.0.0/0")).length, 1);
    assert.match(checkFirewallIngress(withRange("::/0"))[0]!, /allows ingress from ::\/0/);
    // Omitted direction is INGRESS in the API.
    assert.equal(checkFirewallIngress(withRange("0.0.0.0/0", { direction: undefined })).length, 1);
    const deny = {
      ...fw.inputs,
      sourceRanges: ["0.0.0.0/0"],
      allows: undefined,
      denies: [{ protocol: "tcp" }],
    };
    assert.deepEqual(checkFirewallIngress(asChecked(fw, deny)), []);
    assert.deepEqual(checkFirewallIngress(withRange("0.0.0.0/0", { direction: "EGRESS" })), []);
  });

  it("gke-cluster-hardening: Workload Identity, shielded nodes, and deletion protection on prod* stacks", () => {
    const cluster = first("multi-primary", "gcp:container/cluster:Cluster");
    const variant = (props: Record<string, unknown>, stack = "multi-primary") =>
      asChecked(
        { ...cluster, urn: cluster.urn.replace(/^urn:pulumi:[^:]+::/, `urn:pulumi:${stack}::`) },
        {
          ...cluster.inputs,
          ...props,
        },
      );
    assert.match(
      runPolicy("gke-cluster-hardening", variant({ workloadIdentityConfig: undefined }))[0]!,
      /Workload Identity/,
    );
    assert.match(checkGkeCluster(variant({ enableShieldedNodes: false }))[0]!, /Shielded GKE Nodes/);
    assert.match(
      checkGkeCluster(variant({ nodeConfig: { workloadMetadataConfig: { mode: "GCE_METADATA" } } }))[0]!,
      /GKE_METADATA/,
    );
    // Shipped stacks leave deletion protection off (so destroy works); on a prod stack that fires.
    assert.equal(cluster.inputs["deletionProtection"], false);
    assert.match(checkGkeCluster(variant({}, "prod"))[0]!, /deletionProtection: true/);
    assert.equal(checkGkeCluster(variant({}, "prod-europe")).length, 1);
    assert.deepEqual(checkGkeCluster(variant({ deletionProtection: true }, "prod-europe")), []);
    assert.deepEqual(checkGkeCluster(variant({}, "preprod")), [], "only names that start with prod");
  });

  it("gke-node-pool-hardening: node metadata exposed or secure boot off fires", () => {
    const pool = first("dev", "gcp:container/nodePool:NodePool");
    const nodeConfig = pool.inputs["nodeConfig"] as Record<string, unknown>;
    const variant = (extra: Record<string, unknown>) =>
      asChecked(pool, { ...pool.inputs, nodeConfig: { ...nodeConfig, ...extra } });
    assert.match(
      runPolicy("gke-node-pool-hardening", variant({ workloadMetadataConfig: { mode: "GCE_METADATA" } }))[0]!,
      /GKE_METADATA/,
    );
    assert.match(checkGkeNodePool(variant({ shieldedInstanceConfig: undefined }))[0]!, /secure boot/);
    assert.match(
      checkGkeNodePool(
        variant({ shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: false } }),
      )[0]!,
      /integrity monitoring/,
    );
  });

  it("no-ca-root-key-in-cluster: the root's own key in cacerts or in any Secret fires, by content and by name", () => {
    const cacerts = first("dev", "kubernetes:core/v1:Secret", "mesh-dev1-cacerts");
    const rootKey = String(
      first("dev", "tls:index/privateKey:PrivateKey", "mesh-ca-root-key").outputs["privateKeyPem"],
    );
    const stringData = cacerts.inputs["stringData"] as Record<string, string>;
    assert.match(rootKey, /-----BEGIN (RSA )?PRIVATE KEY-----/);
    // The root plugged in directly: its key where istiod reads the signing key.
    const rootAsSigner = asChecked(cacerts, {
      ...cacerts.inputs,
      stringData: { ...stringData, "ca-key.pem": rootKey },
    });
    const violations = runPolicy("no-ca-root-key-in-cluster", rootAsSigner);
    assert.equal(violations.length, 1);
    assert.match(violations[0]!, /entry "ca-key\.pem" is the private key of a root CA/);
    assert.ok(!violations[0]!.includes("PRIVATE KEY"), "messages never carry key material");
    // Any Secret, base64 `data`, a self-signed CA next to its key (no root-cert.pem entry).
    const rootCert = stringData["root-cert.pem"]!;
    const b64 = (s: string) => Buffer.from(s).toString("base64");
    const other = asChecked(cacerts, {
      metadata: { name: "backup", namespace: "default" },
      data: { "tls.crt": b64(rootCert), "tls.key": b64(rootKey) },
    });
    assert.match(
      checkNoCaRootKey(other)[0]!,
      /Secret backup entry "tls.key" is the private key of a root CA/,
    );
    // By name, whatever the content.
    const named = asChecked(cacerts, {
      ...cacerts.inputs,
      stringData: { ...stringData, "root-key.pem": "redacted" },
    });
    assert.match(checkNoCaRootKey(named)[0]!, /has an entry "root-key\.pem"/);
  });

  it("remote-secrets-bearer-token-only: exec, auth-provider or a missing token fires", () => {
    // One Secret per watching cluster, one data key (base64 kubeconfig) per watched cluster.
    const secret = first("dev", "kubernetes:core/v1:Secret", "mesh-dev2-remote-secrets");
    const encoded = (text: string) => Buffer.from(text).toString("base64");
    const kubeconfig = (user: Record<string, unknown>) =>
      stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "dev1", cluster: { server: "https://203.0.113.10" } }],
        users: [{ name: "dev1", user }],
      });
    const variant = (user: Record<string, unknown>) =>
      asChecked(secret, { ...secret.inputs, data: { dev1: encoded(kubeconfig(user)) } });
    // The gke-gcloud-auth-plugin kubeconfig people use for kubectl is the realistic mistake here.
    const exec = {
      exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "gke-gcloud-auth-plugin" },
    };
    const violations = runPolicy("remote-secrets-bearer-token-only", variant(exec));
    assert.deepEqual(
      violations.map((v) => /user dev1 (runs an exec|has no bearer)/.exec(v)?.[1]),
      ["runs an exec", "has no bearer"],
    );
    assert.match(
      checkRemoteSecretTokens(variant({ "auth-provider": { name: "gcp" }, token: "t" }))[0]!,
      /auth-provider/,
    );
    assert.deepEqual(checkRemoteSecretTokens(variant({ token: "reader-token" })), []);
    assert.match(
      checkRemoteSecretTokens(asChecked(secret, { ...secret.inputs, data: {} }))[0]!,
      /holds no kubeconfig/,
    );
  });

  it("helm-chart-repositories: a retired, local or unlisted source fires; a configured mirror passes", () => {
    // Istio's retired Google Cloud bucket, spelled in pieces (artifacts.test.ts forbids the literal).
    const retiredRepo = `https://${["istio-release", "storage", "googleapis", "com"].join(".")}/charts`;
    const istiod = first("dev", "kubernetes:helm.sh/v3:Release", "mesh-dev1-istiod");
    const retired = asChecked(istiod, {
      ...istiod.inputs,
      repositoryOpts: { repo: retiredRepo },
    });
    assert.match(
      runPolicy("helm-chart-repositories", retired)[0]!,
      /\/charts\/istiod, which is not in an allowed/,
    );
    const mirror = { additionalRepositories: [retiredRepo] };
    assert.deepEqual(runPolicy("helm-chart-repositories", retired, mirror), []);
    const local = asChecked(istiod, {
      ...istiod.inputs,
      chart: "./charts/istiod",
      repositoryOpts: undefined,
    });
    assert.match(checkChartRepository(local)[0]!, /must name its chart repository/);
    // An OCI reference stands alone: the repository next to it is not where Helm pulls from.
    const oci = asChecked(istiod, { ...istiod.inputs, chart: "oci://docker.io/someone/istiod" });
    assert.equal(checkChartRepository(oci).length, 1);
    // A prefix of an allowed URL is not a path under it.
    const lookalike = asChecked(istiod, {
      ...istiod.inputs,
      chart: "oci://ghcr.io/istio/release/charts-evil/istiod",
    });
    assert.equal(checkChartRepository(lookalike).length, 1);
    assert.equal(
      checkChartRepository(asChecked(istiod), { allowedRepositories: ["oci://ghcr.io/istio/release/charts"] })
        .length,
      1,
    );
  });

  it("istio-version-pinned: a range, wildcard or missing version of an Istio chart fires", () => {
    const istiod = first("dev", "kubernetes:helm.sh/v3:Release", "mesh-dev1-istiod");
    for (const version of ["1.31.*", "~1.31.1", ">=1.30.0", "latest", "", undefined]) {
      const unpinned = asChecked(istiod, { ...istiod.inputs, version });
      assert.equal(runPolicy("istio-version-pinned", unpinned).length, 1, String(version));
    }
    assert.deepEqual(
      checkIstioVersionPinned(asChecked(istiod, { ...istiod.inputs, version: "1.32.0-beta.0" })),
      [],
    );
    const boutique = first("multi-primary", "kubernetes:helm.sh/v3:Release", "mesh-cluster1-onlineboutique");
    assert.deepEqual(
      checkIstioVersionPinned(asChecked(boutique, { ...boutique.inputs, version: undefined })),
      [],
    );
  });
});
