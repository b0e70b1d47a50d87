// `npm run verify` during a root rotation, against a faked kubectl: per cluster, the roots istiod's
// ConfigMap and the curl client's proxy trust and the root its certificate chains to, compared with what
// the stack outputs say every cluster must trust at this stage.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { DEFAULT_OPTIONS, verifyMesh } from "../verify/check";
import { parseVerifyInput } from "../verify/input";
import { checkTrust, configMapArgs, proxySecretArgs, type TrustInput } from "../verify/trust";
import type { Failure } from "../verify/kubectl";
import { makeCaFixtures, type CaFixtures } from "./support/caFixtures";
import { fakeDeps, ok, secretsDump, type Route } from "./support/verifyFakes";

const CLUSTERS = ["cluster1", "cluster2"];

async function run(input: TrustInput, routes: { rootConfigMap: Route; proxySecrets: Route }) {
  const { deps, log, calls } = fakeDeps(routes);
  const failures: Failure[] = [];
  await checkTrust(input, {
    deps,
    reachable: new Set(CLUSTERS),
    clusters: CLUSTERS,
    kubeconfigOf: (c) => `/tmp/${c}.kubeconfig`,
    record: (f) => failures.push(f),
  });
  return { log, failures: failures.map((f) => f.message), calls };
}

describe("verify: trusted roots per cluster", () => {
  let ca: CaFixtures;
  let bothRoots: string;
  before(async () => {
    ca = await makeCaFixtures();
    // ca.intermediate is signed by ca.good: "good" plays the old root, "other" the new one.
    bothRoots = ca.good.certPem + ca.other.certPem;
  });

  it("trust-both: passes where the ConfigMap and the proxy hold both roots, fails a proxy not yet restarted", async () => {
    const result = await run(
      { roots: bothRoots, stage: "trust-both", workloadNamespace: "sample" },
      {
        rootConfigMap: () => ok(bothRoots),
        proxySecrets: (_args, cluster) =>
          ok(secretsDump(cluster === "cluster1" ? bothRoots : ca.good.certPem, ca.intermediate.certPem)),
      },
    );
    assert.ok(
      result.log.some((l) =>
        /^ok {3}cluster1: istio-ca-root-cert trusts .*Good Root.* \+ .*Other Root/.test(l),
      ),
    );
    assert.ok(
      result.log.some((l) => /^ok {3}cluster1: deploy\/curl's certificate chains to .*Good Root/.test(l)),
    );
    assert.equal(result.failures.length, 1, result.failures.join("\n"));
    assert.match(
      result.failures[0]!,
      /^cluster2: deploy\/curl's proxy trusts .*Good Root.*, not .*Other Root.*: restart the workloads of this cluster/,
    );
    assert.ok(result.log.some((l) => l.includes("rotation stage trust-both")));
  });

  it("drop-old: an istiod that still serves the old root and a certificate under it fail, by cluster", async () => {
    const result = await run(
      { roots: ca.other.certPem, stage: "drop-old", workloadNamespace: "sample" },
      {
        rootConfigMap: (_args, cluster) => ok(cluster === "cluster1" ? ca.other.certPem : bothRoots),
        proxySecrets: () => ok(secretsDump(bothRoots, ca.intermediate.certPem)),
      },
    );
    assert.deepEqual(
      result.failures.map((f) => f.replace(/:.*/, "")),
      ["cluster1", "cluster2", "cluster2"],
      result.failures.join("\n"),
    );
    assert.match(
      result.failures[1]!,
      /istio-ca-root-cert trusts .* \+ .*, not .*Other Root.*: istiod has not loaded cacerts yet/,
    );
    assert.match(result.failures[0]!, /certificate chains to .*Good Root.*: peers reject it/);
    assert.ok(
      result.log.some((l) => /^note cluster1: deploy\/curl's proxy trusts/.test(l)),
      "an extra root is a note",
    );
  });

  it("reads the ConfigMap and Envoy's secrets with kubectl only, and skips workloads without helloworld", async () => {
    assert.deepEqual(configMapArgs("k").slice(2), [
      "get",
      "configmap",
      "istio-ca-root-cert",
      "-n",
      "istio-system",
      "-o",
      "jsonpath={.data.root-cert\\.pem}",
    ]);
    assert.deepEqual(proxySecretArgs("k", "sample").slice(-4), [
      "pilot-agent",
      "request",
      "GET",
      "config_dump?mask=dynamic_active_secrets",
    ]);
    const result = await run(
      { roots: bothRoots },
      { rootConfigMap: () => ok(bothRoots), proxySecrets: () => ok("") },
    );
    assert.deepEqual(result.failures, []);
    assert.ok(result.calls.every((c) => c.kind === "rootConfigMap"));
  });

  it("runs as part of verifyMesh when the outputs carry rootCertificate, with the stage from caRotation", async () => {
    const input = parseVerifyInput({
      clusters: Object.fromEntries(
        CLUSTERS.map((name) => [name, { name, role: "primary", kubeconfig: "x", watches: [] }]),
      ),
      rootCertificate: bothRoots,
      caRotation: { stage: "reissue", restartDue: false },
    });
    assert.deepEqual(input.trust, { roots: bothRoots, stage: "reissue" });
    const { deps, log } = fakeDeps({ rootConfigMap: () => ok(ca.good.certPem) });
    const report = await verifyMesh(
      input,
      new Map(CLUSTERS.map((c) => [c, `/tmp/${c}.kubeconfig`])),
      deps,
      DEFAULT_OPTIONS,
    );
    assert.equal(report.exitCode, 1);
    assert.equal(report.failures.length, 2);
    assert.ok(log.some((l) => l.includes("rotation stage reissue")));
  });
});
