// The verification logic against a fake runner: parsing, judging, retries, failures and exit codes.
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { verifyMesh, type VerifyOptions } from "../verify/check";
import { main, parseCommandLine } from "../verify/cli";
import { addRound, emptyTally, formatDistribution, parseHelloLine } from "../verify/helloworld";
import { expectedRemoteSecrets, parseVerifyInput } from "../verify/input";
import { EXIT, type RunResult, type VerifyDeps, type VerifyInput } from "../verify/types";

const hello = (v: string) => `Hello version: ${v}, instance: helloworld-${v}-5d8f9c-abcde`;
const ok = (stdout = ""): RunResult => ({ code: 0, stdout, stderr: "" });

type Route = (args: readonly string[], cluster: string, call: number) => RunResult;

/** A fake kubectl/pulumi: routes by what the command does and which kubeconfig it got. */
function fakeDeps(
  routes: { probe?: Route; secrets?: Route; exec?: Route; pulumi?: () => RunResult },
  http?: () => number,
) {
  const log: string[] = [];
  const calls: { command: string; args: readonly string[] }[] = [];
  let clock = 0;
  const count = new Map<string, number>();
  const deps: VerifyDeps = {
    async run(command, args) {
      calls.push({ command, args });
      if (command === "pulumi") return routes.pulumi?.() ?? ok("{}");
      const kubeconfig = args[args.indexOf("--kubeconfig") + 1] ?? "";
      const cluster = kubeconfig.replace(/^.*\//, "").replace(".kubeconfig", "");
      // The revision queries (verify/revisions.ts) answer empty: a mesh without revision tags.
      const revisionQuery = ["mutatingwebhookconfigurations", "namespaces", "--all-namespaces"];
      if (revisionQuery.some((a) => args.includes(a))) return ok();
      const kind = args.includes("/readyz") ? "probe" : args.includes("secrets") ? "secrets" : "exec";
      const n = (count.get(kind + cluster) ?? 0) + 1;
      count.set(kind + cluster, n);
      const route = routes[kind];
      return route ? route(args, cluster, n) : ok();
    },
    async httpGet() {
      const status = http?.() ?? 200;
      if (status < 0) throw new Error("connect ECONNREFUSED");
      return { status };
    },
    async sleep(ms) {
      clock += ms;
    },
    now: () => clock,
    log: (line) => log.push(line),
  };
  return { deps, log, calls };
}

const input = (
  topology: string,
  roles: ("primary" | "remote")[],
  extra: Partial<VerifyInput> = {},
): VerifyInput => {
  const names = roles.map((_, i) => `cluster${i + 1}`);
  // The `watches` a stack exports, written out: a primary watches every other cluster in multi-primary,
  // the remotes otherwise; a remote watches nothing.
  const watchesOf = (i: number) =>
    roles[i] === "remote"
      ? []
      : names.filter((_, j) => j !== i && (topology === "multi-primary" || roles[j] === "remote"));
  return {
    topology,
    clusters: roles.map((role, i) => ({
      name: names[i]!,
      role,
      kubeconfig: "apiVersion: v1",
      watches: watchesOf(i),
    })),
    helloworld: {
      namespace: "sample",
      placement: Object.fromEntries(roles.map((_, i) => [`cluster${i + 1}`, i % 2 === 0 ? "v1" : "v2"])),
    },
    ...extra,
  };
};
const paths = (n: number) =>
  new Map(Array.from({ length: n }, (_, i) => [`cluster${i + 1}`, `/tmp/x/cluster${i + 1}.kubeconfig`]));
const options: VerifyOptions = { calls: 20, timeoutSeconds: 60, retryDelayMs: 5000 };
const alternating = (): RunResult =>
  ok(Array.from({ length: 20 }, (_, i) => hello(i % 2 ? "v2" : "v1")).join("\n") + "\n");
/** kubectl's go-template output for the watcher's one Secret, keyed by every other cluster. */
const allSecrets: Route = (_args, cluster) =>
  ok(
    `istio-remote-secrets: ${["cluster1", "cluster2", "cluster3"].filter((c) => c !== cluster).join(" ")}\n`,
  );

describe("helloworld responses", () => {
  it("parses answers and counts everything else as errors", () => {
    assert.deepEqual(parseHelloLine(hello("v2")), { version: "v2", instance: "helloworld-v2-5d8f9c-abcde" });
    assert.equal(parseHelloLine("upstream connect error or disconnect/reset before headers"), undefined);
    let tally = addRound(
      emptyTally(),
      4,
      `${hello("v1")}\n${hello("v1")}\nno healthy upstream\n\n`,
      "curl: (28) Operation timed out\n",
    );
    assert.deepEqual(tally.versions, { v1: 2 });
    assert.equal(tally.errors, 2);
    assert.deepEqual(tally.errorSamples, ["no healthy upstream", "curl: (28) Operation timed out"]);
    tally = addRound(tally, 2, `${hello("v2")}\n${hello("v1")}\n`, "");
    assert.equal(formatDistribution(tally), "v1: 3, v2: 1 (6 calls, 2 errors)");
  });
});

describe("verifyMesh", () => {
  it("passes when every client reaches every version, and prints per-client distributions", async () => {
    const { deps, log } = fakeDeps({ exec: alternating, secrets: allSecrets });
    const report = await verifyMesh(
      input("multi-primary", ["primary", "primary", "primary"]),
      paths(3),
      deps,
      options,
    );
    assert.equal(report.exitCode, EXIT.ok, report.failures.join("\n"));
    assert.deepEqual(report.distributions["cluster3"]!.versions, { v1: 10, v2: 10 });
    assert.ok(log.some((l) => l.includes("cluster2 client -> v1: 10, v2: 10 (20 calls, 0 errors)")));
  });

  it("retries until the deadline, then fails naming the unreachable version", async () => {
    const localOnly: Route = (_a, cluster) =>
      ok(`${hello(cluster === "cluster1" ? "v1" : "v2")}\n`.repeat(20));
    const { deps, calls } = fakeDeps({ exec: localOnly, secrets: allSecrets });
    const report = await verifyMesh(input("multi-primary", ["primary", "primary"]), paths(2), deps, options);
    assert.equal(report.exitCode, EXIT.checkFailed);
    assert.match(report.failures[0]!, /cluster1: curl client never reached helloworld v2 within 60s/);
    assert.ok(calls.filter((c) => c.args.includes("exec")).length > 2, "retried");
    assert.ok(report.distributions["cluster1"]!.calls >= 40);
  });

  it("succeeds when cross-cluster endpoints appear on a later round", async () => {
    const late: Route = (_a, cluster, n) =>
      n < 3 ? ok(`${hello(cluster === "cluster1" ? "v1" : "v2")}\n`.repeat(20)) : alternating();
    const { deps } = fakeDeps({ exec: late, secrets: allSecrets });
    const report = await verifyMesh(input("multi-primary", ["primary", "primary"]), paths(2), deps, options);
    assert.equal(report.exitCode, EXIT.ok, report.failures.join("\n"));
  });

  it("an unreachable cluster exits 3 and the others are still checked", async () => {
    const probe: Route = (_a, cluster) =>
      cluster === "cluster2"
        ? {
            code: 1,
            stdout: "",
            stderr: "Unable to connect to the server: dial tcp 34.1.2.3:443: i/o timeout",
          }
        : ok("ok");
    const { deps, calls } = fakeDeps({ probe, exec: alternating, secrets: allSecrets });
    const report = await verifyMesh(input("multi-primary", ["primary", "primary"]), paths(2), deps, options);
    assert.equal(report.exitCode, EXIT.unreachable);
    assert.match(report.failures.join("\n"), /cluster2: cluster unreachable .*i\/o timeout/);
    assert.ok(calls.some((c) => c.args.includes("exec") && c.args.includes("/tmp/x/cluster1.kubeconfig")));
    assert.ok(!calls.some((c) => c.args.includes("exec") && c.args.includes("/tmp/x/cluster2.kubeconfig")));
  });

  it("a probe that times out counts as unreachable", async () => {
    const { deps } = fakeDeps({
      probe: () => ({ code: null, stdout: "", stderr: "", timedOut: true }),
      exec: alternating,
    });
    const report = await verifyMesh(input("multi-primary", ["primary", "primary"]), paths(2), deps, options);
    assert.equal(report.exitCode, EXIT.unreachable);
    assert.match(report.failures[0]!, /timed out/);
  });

  it("an unusable kubeconfig is a usage error (2)", async () => {
    const stderr = 'error: error loading config file "/tmp/x/cluster1.kubeconfig": json parse error';
    const { deps } = fakeDeps({ probe: () => ({ code: 1, stdout: "", stderr }), exec: alternating });
    const report = await verifyMesh(input("multi-primary", ["primary", "primary"]), paths(2), deps, options);
    assert.equal(report.exitCode, EXIT.usage);
    assert.match(report.failures[0]!, /cluster1: the kubeconfig from the stack outputs is unusable/);
  });

  it("a missing curl Deployment is a failed check with a hint", async () => {
    const exec: Route = (_a, cluster) =>
      cluster === "cluster2"
        ? { code: 1, stdout: "", stderr: 'Error from server (NotFound): deployments.apps "curl" not found' }
        : alternating();
    const { deps } = fakeDeps({ exec, secrets: allSecrets });
    const report = await verifyMesh(input("multi-primary", ["primary", "primary"]), paths(2), deps, options);
    assert.equal(report.exitCode, EXIT.checkFailed);
    assert.match(
      report.failures[0]!,
      /cluster2: .*deployments\.apps "curl" not found \(is helloworld: true set/,
    );
  });

  it("kubectl missing is a usage error (2) and stops at once", async () => {
    const { deps, calls } = fakeDeps({
      probe: () => ({ code: null, stdout: "", stderr: "spawn kubectl ENOENT", notFound: true }),
    });
    const report = await verifyMesh(input("multi-primary", ["primary", "primary"]), paths(2), deps, options);
    assert.equal(report.exitCode, EXIT.usage);
    assert.match(report.failures[0]!, /kubectl was not found/);
    assert.equal(calls.length, 1);
  });

  it("checks the primary's one remote Secret for a key per watched cluster", async () => {
    const secrets: Route = () => ok("istio-remote-secrets: cluster2\n");
    const { deps, calls } = fakeDeps({ secrets, exec: alternating });
    const report = await verifyMesh(
      input("primary-remote", ["primary", "remote", "remote"]),
      paths(3),
      deps,
      options,
    );
    assert.equal(report.exitCode, EXIT.checkFailed);
    assert.deepEqual(report.failures, ["cluster1: istio-remote-secrets has no key for cluster3"]);
    const secretCalls = calls.filter((c) => c.args.includes("secrets"));
    assert.deepEqual(
      secretCalls.map((c) => c.args[1]),
      ["/tmp/x/cluster1.kubeconfig"],
    );
    assert.ok(secretCalls[0]!.args.includes("istio/multiCluster=true"));
    const output = secretCalls[0]!.args.find((a) => a.startsWith("go-template="))!;
    // Only names and keys are printed, never a value (a bearer-token kubeconfig).
    const printed = [...output.matchAll(/{{(.*?)}}/g)]
      .map((m) => m[1]!.trim())
      .filter((action) => !/^(range|end)\b/.test(action));
    assert.deepEqual([...new Set(printed)].sort(), ['"\\n"', "$key", ".metadata.name"]);
  });

  it("fails without the Secret and notes other Secrets that name the same cluster", async () => {
    const legacy: Route = () => ok("istio-remote-secret-cluster2: cluster2\n");
    const missing = fakeDeps({ secrets: legacy, exec: alternating });
    const report = await verifyMesh(
      input("primary-remote", ["primary", "remote"]),
      paths(2),
      missing.deps,
      options,
    );
    assert.deepEqual(report.failures, [
      "cluster1: no Secret istio-remote-secrets labelled istio/multiCluster=true in istio-system",
    ]);
    const both: Route = () =>
      ok("istio-remote-secret-cluster2: cluster2\nistio-remote-secrets: cluster2 cluster9\n");
    const shadowed = fakeDeps({ secrets: both, exec: alternating });
    const passed = await verifyMesh(
      input("primary-remote", ["primary", "remote"]),
      paths(2),
      shadowed.deps,
      options,
    );
    assert.equal(passed.exitCode, EXIT.ok, passed.failures.join("\n"));
    assert.ok(shadowed.log.includes("note cluster1: istio-remote-secrets also holds cluster9"));
    assert.ok(
      shadowed.log.some((l) =>
        l.startsWith("note cluster1: Secret istio-remote-secret-cluster2 also names cluster2"),
      ),
    );
  });

  it("the frontend check retries and reports the last error", async () => {
    const statuses = [-1, 503, 200];
    const good = fakeDeps({ exec: alternating, secrets: allSecrets }, () => statuses.shift() ?? 200);
    const url = { onlineBoutique: { url: "http://34.1.2.3" } };
    const passed = await verifyMesh(
      input("multi-primary", ["primary", "primary"], url),
      paths(2),
      good.deps,
      options,
    );
    assert.equal(passed.exitCode, EXIT.ok, passed.failures.join("\n"));
    const bad = fakeDeps({ exec: alternating, secrets: allSecrets }, () => -1);
    const failed = await verifyMesh(
      input("multi-primary", ["primary", "primary"], url),
      paths(2),
      bad.deps,
      options,
    );
    assert.equal(failed.exitCode, EXIT.checkFailed);
    assert.match(
      failed.failures[0]!,
      /http:\/\/34\.1\.2\.3 did not answer 200 within 60s \(last: connect ECONNREFUSED\)/,
    );
  });
});

describe("expected remote secrets", () => {
  const secret = "istio-remote-secrets";
  it("multi-primary: every primary's one Secret holds the kubeconfigs of the others", () => {
    assert.deepEqual(
      expectedRemoteSecrets(input("multi-primary", ["primary", "primary", "primary"])),
      new Map([
        ["cluster1", { secret, keys: ["cluster2", "cluster3"] }],
        ["cluster2", { secret, keys: ["cluster1", "cluster3"] }],
        ["cluster3", { secret, keys: ["cluster1", "cluster2"] }],
      ]),
    );
  });
  for (const topology of ["primary-remote", "shared-control-plane"]) {
    it(`${topology}: only the primary holds a Secret, with the remotes' kubeconfigs`, () => {
      assert.deepEqual(
        expectedRemoteSecrets(input(topology, ["remote", "primary", "remote", "remote"])),
        new Map([["cluster2", { secret, keys: ["cluster1", "cluster3", "cluster4"] }]]),
      );
    });
  }
});

describe("stack outputs and command line", () => {
  const outputs = {
    topology: "multi-primary",
    clusters: {
      cluster1: { name: "cluster1", role: "primary", kubeconfig: "kubeconfig-1", watches: ["cluster2"] },
      cluster2: { name: "cluster2", role: "primary", kubeconfig: "kubeconfig-2", watches: ["cluster1"] },
    },
    samples: { helloworld: { namespace: "sample", placement: { cluster1: "v1", cluster2: "v2" } } },
  };

  it("explains outputs that cannot be used", () => {
    assert.throws(() => parseVerifyInput({}), /never deployed/);
    assert.throws(() => parseVerifyInput({ topology: "x" }), /no `clusters`/);
    const masked = { clusters: { c: { role: "primary", kubeconfig: "[secret]", watches: [] } } };
    assert.throws(() => parseVerifyInput(masked), /--show-secrets/);
    const old = { clusters: { c: { role: "primary", kubeconfig: "apiVersion: v1" } } };
    assert.throws(() => parseVerifyInput(old), /clusters\.c\.watches is missing/);
    const bad = { ...outputs, samples: { helloworld: { placement: { cluster9: "v1" } } } };
    assert.throws(() => parseVerifyInput(bad), /unknown clusters: cluster9/);
    assert.equal(parseVerifyInput(outputs).clusters.length, 2);
  });

  it("rejects bad arguments with exit code 2", async () => {
    assert.throws(() => parseCommandLine([]), /exactly one of --stack or --from-env/);
    assert.throws(
      () => parseCommandLine(["--stack", "dev", "--calls", "5"]),
      /--calls must be an integer >= 20/,
    );
    assert.deepEqual(parseCommandLine(["--stack", "dev"]), {
      source: { stack: "dev" },
      options: { calls: 20, timeoutSeconds: 180, retryDelayMs: 5000 },
    });
    const { deps, log } = fakeDeps({});
    assert.equal(await main(["--bogus"], deps), EXIT.usage);
    assert.match(log.join("\n"), /Unknown option/);
  });

  it("maps pulumi failures to exit code 2 with clear messages", async () => {
    const cases: [RunResult, RegExp][] = [
      [{ code: null, stdout: "", stderr: "", notFound: true }, /pulumi CLI was not found/],
      [{ code: 255, stdout: "", stderr: "error: no stack named 'dev' found" }, /stack "dev" does not exist/],
      [ok("{}"), /never deployed/],
    ];
    for (const [result, message] of cases) {
      const { deps, log } = fakeDeps({ pulumi: () => result });
      assert.equal(await main(["--stack", "dev"], deps), EXIT.usage);
      assert.match(log.join("\n"), message);
    }
  });

  it("end to end: private kubeconfig files, removed afterwards, exit 0", async () => {
    const parent = await mkdtemp(join(tmpdir(), "verify-test-"));
    let seen: { path: string; mode: number; content: string } | undefined;
    const { deps, calls, log } = fakeDeps({
      pulumi: () => ok(JSON.stringify(outputs)),
      secrets: allSecrets,
      exec: (args) => {
        const path = args[args.indexOf("--kubeconfig") + 1]!;
        seen ??= { path, mode: statSync(path).mode & 0o777, content: readFileSync(path, "utf8") };
        return alternating();
      },
    });
    assert.equal(await main(["--stack", "prod"], deps, {}, parent), EXIT.ok, log.join("\n"));
    assert.deepEqual(calls[0]!.args, ["stack", "output", "--json", "--show-secrets", "--stack", "prod"]);
    assert.equal(seen!.mode, 0o600);
    assert.equal(seen!.content, "kubeconfig-1");
    assert.equal(existsSync(seen!.path), false, "temp kubeconfigs removed");
    assert.match(log.at(-1)!, /PASS/);
  });

  it("--from-env reads the same shape from an environment variable", async () => {
    const { deps } = fakeDeps({ exec: alternating, secrets: allSecrets });
    const env = { MESH_VERIFY_INPUT: JSON.stringify(outputs) };
    assert.equal(await main(["--from-env", "MESH_VERIFY_INPUT"], deps, env), EXIT.ok);
    assert.equal(await main(["--from-env", "MISSING"], deps, env), EXIT.usage);
  });
});
