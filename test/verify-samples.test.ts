// The Bookinfo and httpbin checks of `npm run verify` against a fake kubectl: what a productpage and a
// go-httpbin answer say, when traffic counts as crossing clusters, retries, failures and exit codes.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  addBookinfoRound,
  emptyBookinfoTally,
  formatBookinfoTally,
  parseProductPage,
} from "../verify/bookinfo";
import { verifyMesh, type VerifyOptions } from "../verify/check";
import { main } from "../verify/cli";
import { parseHostname } from "../verify/httpbin";
import { parseVerifyInput } from "../verify/input";
import { splitResponses } from "../verify/sampleCheck";
import { EXIT, type VerifyInput } from "../verify/types";
import { curlOutput, fakeDeps, hostname, ok, productPage, rounds, type Route } from "./support/verifyFakes";

const v1 = productPage({ pod: "reviews-v1-5b5d6c8f4c-7x2kq", cluster: "cluster1" });
const v2 = productPage({
  pod: "reviews-v2-7d6b9f8c5-m4n8p",
  cluster: "cluster1",
  rating: { color: "black", stars: 4 },
});
const v3 = productPage({
  pod: "reviews-v3-6f8d7c9b4-x2k4p",
  cluster: "cluster2",
  rating: { color: "red", stars: 4 },
});
const v3NoRatings = productPage({ pod: "reviews-v3-6f8d7c9b4-x2k4p", cluster: "cluster2", rating: "error" });

const options: VerifyOptions = { calls: 20, timeoutSeconds: 60, retryDelayMs: 5000 };
const paths = new Map([
  ["cluster1", "/tmp/x/cluster1.kubeconfig"],
  ["cluster2", "/tmp/x/cluster2.kubeconfig"],
]);
const input = (extra: Partial<VerifyInput>): VerifyInput => ({
  topology: "primary-remote",
  clusters: [
    { name: "cluster1", role: "primary", kubeconfig: "k1", watches: ["cluster2"] },
    { name: "cluster2", role: "remote", kubeconfig: "k2", watches: [] },
  ],
  ...extra,
});
const bookinfo = { namespace: "bookinfo", productpageCluster: "cluster1", reviewsV3Cluster: "cluster2" };
const httpbin = { namespace: "httpbin", serverCluster: "cluster2", clientCluster: "cluster1" };
/** kubectl's go-template output for the watcher's one Secret (see verify/kubectl.ts). */
const secrets: Route = () => ok("istio-remote-secrets: cluster2\n");

describe("productpage answers", () => {
  it("reads the reviews pod, its cluster and the colour of the stars", () => {
    assert.deepEqual(parseProductPage(200, v3), {
      status: 200,
      reviewsPod: "reviews-v3-6f8d7c9b4-x2k4p",
      reviewsVersion: "v3",
      reviewsCluster: "cluster2",
      starColor: "red",
    });
    assert.equal(parseProductPage(200, v2).starColor, "black");
    assert.equal(parseProductPage(200, v1).starColor, undefined, "v1 shows no stars");
    assert.equal(
      parseProductPage(200, productPage({ pod: "reviews-v1-5b5d6c8f4c-7x2kq" })).reviewsCluster,
      undefined,
    );
  });

  it("red text that is not stars is no v3 marker (a ratings error, a details error)", () => {
    const noRatings = parseProductPage(200, v3NoRatings);
    assert.equal(noRatings.reviewsVersion, "v3");
    assert.equal(noRatings.starColor, undefined);
    const detailsDown = productPage({
      pod: "reviews-v2-7d6b9f8c5-m4n8p",
      rating: { color: "black", stars: 4 },
      detailsError: true,
    });
    assert.equal(parseProductPage(200, detailsDown).starColor, "black");
  });

  it("a page without reviews, an HTTP error and a failed transfer are problems", () => {
    assert.deepEqual(parseProductPage(200, productPage({})), {
      status: 200,
      problem: "productpage could not reach reviews",
    });
    assert.equal(parseProductPage(503, "no healthy upstream").problem, "HTTP 503");
    assert.equal(parseProductPage(0, "").problem, "no response");
  });

  it("splits curl's output per call and tallies versions, red stars and v3's cluster", () => {
    const stdout = curlOutput([
      [v1, 200],
      [v3, 200],
      ["upstream connect error or disconnect/reset before headers", 503],
      ["", 0],
      [v3NoRatings, 200],
    ]);
    assert.deepEqual(
      splitResponses(stdout).map((r) => r.status),
      [200, 200, 503, 0, 200],
    );
    const tally = addBookinfoRound(emptyBookinfoTally(), 5, stdout, "curl: (28) Operation timed out\n");
    assert.deepEqual(tally.versions, { v1: 1, v3: 2 });
    assert.equal(tally.v3RedStars, 1);
    assert.deepEqual(tally.v3Clusters, ["cluster2"]);
    assert.equal(tally.errors, 2);
    assert.deepEqual(tally.errorSamples, ["HTTP 503", "no response", "curl: (28) Operation timed out"]);
    assert.equal(
      formatBookinfoTally(tally),
      "v1: 1, v3: 2 (v3 with red stars: 1, from cluster2) (5 calls, 2 errors)",
    );
  });

  it("go-httpbin's /hostname answer", () => {
    assert.equal(parseHostname(hostname("httpbin-6d7f9c5b8-q2w3e")), "httpbin-6d7f9c5b8-q2w3e");
    assert.equal(parseHostname("no healthy upstream"), undefined);
    assert.equal(parseHostname('{"hostname": ""}'), undefined);
  });
});

describe("verifyMesh with Bookinfo", () => {
  it("passes once productpage shows reviews-v3's red stars, from the first cluster's ratings pod", async () => {
    const exec: Route = (_a, _c, n) => ok(rounds(n === 1 ? [v1, v2] : [v1, v2, v3]));
    const { deps, log, calls } = fakeDeps({ bookinfo: exec, secrets });
    const report = await verifyMesh(input({ bookinfo }), paths, deps, options);
    assert.equal(report.exitCode, EXIT.ok, report.failures.join("\n"));
    const execs = calls.filter((c) => c.kind === "bookinfo");
    assert.equal(execs.length, 2, "retried once, then settled");
    assert.ok(execs.every((c) => c.cluster === "cluster1"));
    const args = execs[0]!.args;
    assert.deepEqual(args.slice(2, 9), [
      "exec",
      "-n",
      "bookinfo",
      "deploy/ratings-v1",
      "-c",
      "ratings",
      "--",
    ]);
    assert.equal(args.filter((a) => a === "productpage.bookinfo:9080/productpage").length, 20);
    assert.ok(
      log.some((l) =>
        l.startsWith("ok   Bookinfo: productpage in cluster1 got reviews-v3 with red stars from cluster2"),
      ),
    );
    assert.ok(
      log.some((l) =>
        l.includes(
          "cluster1 productpage -> reviews v1: 17, v2: 17, v3: 6 (v3 with red stars: 6, from cluster2) (40 calls, 0 errors)",
        ),
      ),
    );
  });

  it("fails after the deadline when reviews-v3 never answers (exit 1)", async () => {
    const { deps } = fakeDeps({ bookinfo: () => ok(rounds([v1, v2])), secrets });
    const report = await verifyMesh(input({ bookinfo }), paths, deps, options);
    assert.equal(report.exitCode, EXIT.checkFailed);
    assert.deepEqual(report.failures, [
      "cluster1: productpage never reached reviews-v3 (in cluster2) within 60s",
    ]);
  });

  it("reviews-v3 without red stars means its calls back to ratings failed", async () => {
    const { deps } = fakeDeps({ bookinfo: () => ok(rounds([v1, v3NoRatings])), secrets });
    const report = await verifyMesh(input({ bookinfo }), paths, deps, options);
    assert.equal(report.exitCode, EXIT.checkFailed);
    assert.match(
      report.failures[0]!,
      /reviews-v3 \(in cluster2\) answered productpage but never with red stars .* ratings in cluster1 failed/,
    );
  });

  it("reviews-v3 answering from a cluster it is not placed in is a failure", async () => {
    const local = productPage({
      pod: "reviews-v3-6f8d7c9b4-x2k4p",
      cluster: "cluster1",
      rating: { color: "red", stars: 4 },
    });
    const { deps, calls } = fakeDeps({ bookinfo: () => ok(rounds([v1, local])), secrets });
    const report = await verifyMesh(input({ bookinfo }), paths, deps, options);
    assert.equal(report.exitCode, EXIT.checkFailed);
    assert.match(report.failures[0]!, /reviews-v3 answered from cluster1, but it is placed only in cluster2/);
    assert.equal(calls.filter((c) => c.kind === "bookinfo").length, 1, "settled at once");
  });

  it("a missing ratings Deployment is a failed check with a hint; an unreachable cluster skips the check", async () => {
    const missing: Route = () => ({
      code: 1,
      stdout: "",
      stderr: 'Error from server (NotFound): deployments.apps "ratings-v1" not found',
    });
    const { deps } = fakeDeps({ bookinfo: missing, secrets });
    const report = await verifyMesh(input({ bookinfo }), paths, deps, options);
    assert.equal(report.exitCode, EXIT.checkFailed);
    assert.match(report.failures[0]!, /cluster1: .*"ratings-v1" not found \(is bookinfo: true set/);

    const down = fakeDeps({
      probe: (_a, cluster) =>
        cluster === "cluster1" ? { code: 1, stdout: "", stderr: "dial tcp: i/o timeout" } : ok("ok"),
      bookinfo: () => ok(rounds([v3])),
    });
    const skipped = await verifyMesh(input({ bookinfo }), paths, down.deps, options);
    assert.equal(skipped.exitCode, EXIT.unreachable);
    assert.ok(down.log.includes("skip Bookinfo: cluster1 (productpage) is unreachable"));
    assert.equal(down.calls.filter((c) => c.kind === "bookinfo").length, 0);
  });
});

describe("verifyMesh with httpbin", () => {
  const serverPods: Route = () => ok("httpbin-6d7f9c5b8-q2w3e");

  it("passes when the client's answers come from a pod the server cluster lists", async () => {
    const exec: Route = (_a, _c, n) =>
      ok(
        curlOutput(
          Array.from({ length: 20 }, () =>
            n === 1 ? ["no healthy upstream", 503] : [hostname("httpbin-6d7f9c5b8-q2w3e"), 200],
          ),
        ),
      );
    const { deps, log, calls } = fakeDeps({ httpbin: exec, pods: serverPods, secrets });
    const report = await verifyMesh(input({ httpbin }), paths, deps, options);
    assert.equal(report.exitCode, EXIT.ok, report.failures.join("\n"));
    const execs = calls.filter((c) => c.kind === "httpbin");
    assert.ok(execs.every((c) => c.cluster === "cluster1"));
    assert.deepEqual(execs[0]!.args.slice(2, 9), [
      "exec",
      "-n",
      "httpbin",
      "deploy/curl",
      "-c",
      "curl",
      "--",
    ]);
    assert.ok(execs[0]!.args.includes("httpbin.httpbin:8000/hostname"));
    const listings = calls.filter((c) => c.kind === "pods");
    assert.deepEqual([...new Set(listings.map((c) => c.cluster))], ["cluster2"]);
    assert.ok(listings[0]!.args.includes("app=httpbin"));
    assert.ok(log.includes("ok   httpbin: the client in cluster1 got answers from httpbin pods in cluster2"));
    assert.ok(log.some((l) => l.includes("httpbin-6d7f9c5b8-q2w3e (cluster2): 20 (40 calls, 20 errors)")));
  });

  it("an answer that names no pod of the server cluster proves nothing (exit 1)", async () => {
    const exec: Route = () => ok(curlOutput(Array.from({ length: 20 }, () => [hostname("go-httpbin"), 200])));
    const { deps } = fakeDeps({ httpbin: exec, pods: serverPods, secrets });
    const report = await verifyMesh(input({ httpbin }), paths, deps, options);
    assert.equal(report.exitCode, EXIT.checkFailed);
    assert.deepEqual(report.failures, [
      "cluster1: httpbin answered as go-httpbin, none of them a pod of cluster2 (httpbin-6d7f9c5b8-q2w3e)",
    ]);
  });

  it("no answer within the deadline names the errors seen", async () => {
    const exec: Route = () => ({
      code: 28,
      stdout: curlOutput(Array.from({ length: 20 }, () => ["", 0])),
      stderr: "curl: (28) Connection timed out after 5001 milliseconds\n",
    });
    const { deps, calls } = fakeDeps({ httpbin: exec, pods: serverPods, secrets });
    const report = await verifyMesh(input({ httpbin }), paths, deps, options);
    assert.equal(report.exitCode, EXIT.checkFailed);
    assert.match(
      report.failures[0]!,
      /cluster1: curl client never got an answer from httpbin \(in cluster2\) within 60s; errors: no response \| curl: \(28\)/,
    );
    assert.equal(calls.filter((c) => c.kind === "pods").length, 0, "nothing to match");
  });

  it("an unreachable server cluster exits 3 and skips the check", async () => {
    const probe: Route = (_a, cluster) =>
      cluster === "cluster2" ? { code: 1, stdout: "", stderr: "Unable to connect to the server" } : ok("ok");
    const { deps, log, calls } = fakeDeps({ probe, httpbin: () => ok(), secrets });
    const report = await verifyMesh(input({ httpbin }), paths, deps, options);
    assert.equal(report.exitCode, EXIT.unreachable);
    assert.ok(log.includes("skip httpbin: cluster2 unreachable"));
    assert.equal(calls.filter((c) => c.kind === "httpbin").length, 0);
  });
});

describe("stack outputs with Bookinfo and httpbin", () => {
  const outputs = {
    topology: "multi-primary",
    clusters: {
      cluster1: { name: "cluster1", role: "primary", kubeconfig: "k1", watches: ["cluster2"] },
      cluster2: { name: "cluster2", role: "primary", kubeconfig: "k2", watches: ["cluster1"] },
    },
    samples: {
      bookinfo: {
        namespace: "bookinfo",
        placement: {
          cluster1: ["productpage-v1", "details-v1", "ratings-v1", "reviews-v1", "reviews-v2"],
          cluster2: ["reviews-v3"],
        },
        remoteServices: { cluster2: ["ratings"] },
        productpageCluster: "cluster1",
        reviewsV3Cluster: "cluster2",
      },
      httpbin: { namespace: "httpbin", serverCluster: "cluster2", clientCluster: "cluster1" },
    },
  };
  const withSample = (key: string, value: unknown) => ({
    ...outputs,
    samples: { ...outputs.samples, [key]: value },
  });

  it("refuses samples that name unknown clusters or do not cross", () => {
    assert.throws(
      () => parseVerifyInput(withSample("httpbin", { serverCluster: "cluster9", clientCluster: "cluster1" })),
      /samples\.httpbin\.serverCluster is not a cluster of the stack: "cluster9"/,
    );
    assert.throws(
      () => parseVerifyInput(withSample("httpbin", { serverCluster: "cluster1", clientCluster: "cluster1" })),
      /client runs in httpbin's own cluster/,
    );
    assert.throws(
      () =>
        parseVerifyInput(
          withSample("bookinfo", { ...outputs.samples.bookinfo, reviewsV3Cluster: "cluster1" }),
        ),
      /reviews-v3 runs in productpage's cluster/,
    );
    assert.throws(
      () =>
        parseVerifyInput(
          withSample("bookinfo", {
            ...outputs.samples.bookinfo,
            placement: { cluster1: ["productpage-v1"] },
          }),
        ),
      /placement\.cluster1 does not list ratings-v1/,
    );
  });

  it("end to end: both samples checked from the stack outputs, exit 0", async () => {
    const { deps, log } = fakeDeps({
      bookinfo: () => ok(rounds([v1, v2, v3])),
      httpbin: () =>
        ok(curlOutput(Array.from({ length: 20 }, () => [hostname("httpbin-6d7f9c5b8-q2w3e"), 200]))),
      pods: () => ok("httpbin-6d7f9c5b8-q2w3e"),
      secrets: (_a, cluster) =>
        ok(`istio-remote-secrets: ${cluster === "cluster1" ? "cluster2" : "cluster1"}\n`),
    });
    const env = { MESH_VERIFY_INPUT: JSON.stringify(outputs) };
    assert.equal(await main(["--from-env", "MESH_VERIFY_INPUT"], deps, env), EXIT.ok, log.join("\n"));
    assert.ok(log.some((l) => l.startsWith("ok   Bookinfo:")));
    assert.ok(log.some((l) => l.startsWith("ok   httpbin:")));
    assert.match(log.at(-1)!, /PASS/);
  });
});
