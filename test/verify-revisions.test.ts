// `npm run verify` on a mesh with revisions, against a fake kubectl: per cluster and namespace, the
// revision the proxies run against the one their tag points to, next to the traffic checks.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { verifyMesh, type VerifyOptions } from "../verify/check";
import {
  parseNamespaceTags,
  parseProxyRows,
  parseTagTargets,
  revisionFindings,
  tagWebhookArgs,
} from "../verify/revisions";
import { EXIT, type VerifyInput } from "../verify/types";
import { fakeDeps, ok, type Route } from "./support/verifyFakes";

const options: VerifyOptions = { calls: 20, timeoutSeconds: 60, retryDelayMs: 5000 };
const paths = new Map([
  ["cluster1", "/tmp/x/cluster1.kubeconfig"],
  ["cluster2", "/tmp/x/cluster2.kubeconfig"],
]);
// Two-cluster multi-primary, helloworld v1 in cluster1 and v2 in cluster2.
const input: VerifyInput = {
  topology: "multi-primary",
  clusters: [
    { name: "cluster1", role: "primary", kubeconfig: "k1", watches: ["cluster2"] },
    { name: "cluster2", role: "primary", kubeconfig: "k2", watches: ["cluster1"] },
  ],
  helloworld: { namespace: "sample", placement: { cluster1: "v1", cluster2: "v2" } },
};
const hello = (v: string) => `Hello version: ${v}, instance: helloworld-${v}-5d8f9c-abcde`;
const bothVersions: Route = () =>
  ok(Array.from({ length: 20 }, (_, i) => hello(i % 2 ? "v2" : "v1")).join("\n"));
const secrets: Route = (_args, cluster) =>
  ok(`istio-remote-secrets: ${cluster === "cluster1" ? "cluster2" : "cluster1"}\n`);
const lines = (...rows: string[][]) => ok(rows.map((r) => r.join("\t")).join("\n") + "\n");

/** Stage 2: prod-stable on the unnamed istiod, prod-canary on 1-31-1, the sample namespace on prod-canary. */
const stage2 = (proxiesOf: (cluster: string) => string[][]) =>
  fakeDeps({
    secrets,
    httpbin: bothVersions,
    tagWebhooks: () => lines(["prod-canary", "1-31-1"], ["prod-stable", "default"]),
    taggedNamespaces: () => lines(["sample", "prod-canary"]),
    proxyRevisions: (_args, cluster) => lines(...proxiesOf(cluster)),
  });

describe("verify: revisions", () => {
  it("stage 2: reports per cluster and namespace the revision of the proxies and of their tag, and traffic", async () => {
    const { deps, log } = stage2(() => [
      ["kube-system", "", ""],
      ["istio-system", "", ""], // istiod itself: no proxy
      ["istio-system", "prod-stable", "default"], // the east-west gateway
      ["sample", "", "1-31-1"],
      ["sample", "", "1-31-1"],
    ]);
    const report = await verifyMesh(input, paths, deps, options);
    assert.equal(report.exitCode, EXIT.ok, report.failures.join("\n"));
    for (const cluster of ["cluster1", "cluster2"]) {
      assert.ok(log.includes(`ok   ${cluster}: client reached v1 and v2`), log.join("\n"));
      assert.ok(
        log.includes(
          `ok   ${cluster}/istio-system (pods tagged prod-stable): tag prod-stable -> default; proxies run default x1`,
        ),
        log.join("\n"),
      );
      assert.ok(
        log.includes(`ok   ${cluster}/sample: tag prod-canary -> 1-31-1; proxies run 1-31-1 x2`),
        log.join("\n"),
      );
    }
    // The printed run, for docs/upgrades.md and the closing note.
    if (process.env["PRINT_VERIFY"]) console.log(log.join("\n"));
  });

  it("a proxy on another revision than its tag's is reported with the restart to do, without failing", async () => {
    const { deps, log } = stage2((cluster) =>
      cluster === "cluster2"
        ? [
            ["sample", "", "default"],
            ["sample", "", "1-31-1"],
          ]
        : [["sample", "", "1-31-1"]],
    );
    const report = await verifyMesh(input, paths, deps, options);
    assert.equal(report.exitCode, EXIT.ok);
    assert.ok(
      log.includes(
        "note cluster2/sample: tag prod-canary -> 1-31-1; proxies run 1-31-1 x1, default x1: " +
          "restart the others (kubectl rollout restart deploy -n sample)",
      ),
      log.join("\n"),
    );
  });

  it("a namespace whose tag no webhook renders fails: its new pods would get no proxy", async () => {
    const { deps } = fakeDeps({
      secrets,
      httpbin: bothVersions,
      tagWebhooks: () => lines(["prod-stable", "default"]),
      taggedNamespaces: () => lines(["sample", "prod-canary"]),
    });
    const report = await verifyMesh(input, paths, deps, options);
    assert.equal(report.exitCode, EXIT.checkFailed);
    assert.match(report.failures.join("\n"), /cluster1\/sample: tag prod-canary is rendered by no webhook/);
  });

  it("a mesh without tags is skipped per cluster", async () => {
    const { deps, log } = fakeDeps({ secrets, httpbin: bothVersions });
    const report = await verifyMesh(input, paths, deps, options);
    assert.equal(report.exitCode, EXIT.ok);
    assert.ok(log.includes("skip cluster1: no namespace chooses a revision tag (one unnamed istiod)"));
  });

  it("parses kubectl's jsonpath lines and groups pods by namespace tag, or by their own tag", () => {
    const findings = revisionFindings(
      parseTagTargets("prod-stable\t1-30-3\nprod-canary\t1-31-1\n"),
      parseNamespaceTags("shop\tprod-stable\nidle\tprod-canary\n"),
      parseProxyRows("shop\t\t1-30-3\nshop\t\t\nistio-system\tprod-canary\t1-30-3\nother\t\t1-31-1\n"),
    );
    assert.deepEqual(
      findings.map((f) => [f.where, f.tag, f.target, f.proxies, f.verdict]),
      [
        ["idle", "prod-canary", "1-31-1", {}, "no-proxies"],
        ["istio-system (pods tagged prod-canary)", "prod-canary", "1-31-1", { "1-30-3": 1 }, "stale"],
        ["shop", "prod-stable", "1-30-3", { "1-30-3": 1 }, "ok"],
      ],
    );
    assert.ok(tagWebhookArgs("/k").join(" ").includes("-l istio.io/tag"));
  });
});
