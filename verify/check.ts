// The verification itself: clusters reachable, each watcher's remote Secret with the keys the roles say,
// every curl client reaches every helloworld version, the Online Boutique frontend answers, Bookinfo and
// httpbin answer across clusters. Commands go through deps.run.
import { checkBookinfo } from "./bookinfo";
import { addRound, emptyTally, formatDistribution, missingVersions, type Tally } from "./helloworld";
import { checkHttpbin } from "./httpbin";
import { checkTrust } from "./trust";
import { expectedRemoteSecrets } from "./input";
import {
  classifyKubectl,
  exitCodeOf,
  helloArgs,
  parseRemoteSecrets,
  probeArgs,
  remoteSecretArgs,
  type Failure,
} from "./kubectl";
import {
  describeFinding,
  parseNamespaceTags,
  parseProxyRows,
  parseTagTargets,
  proxyRevisionArgs,
  revisionFindings,
  taggedNamespaceArgs,
  tagWebhookArgs,
} from "./revisions";
import { EXIT, type ExitCode, type VerifyDeps, type VerifyInput } from "./types";

export interface VerifyOptions {
  /** Calls per client per round (at least 20). */
  calls: number;
  /** How long to keep retrying a client that has not seen every version, or a frontend not yet up. */
  timeoutSeconds: number;
  /** Pause between rounds. */
  retryDelayMs: number;
}

export const DEFAULT_OPTIONS: VerifyOptions = { calls: 20, timeoutSeconds: 180, retryDelayMs: 5000 };

export interface VerifyReport {
  exitCode: ExitCode;
  failures: string[];
  /** helloworld versions seen per client cluster. */
  distributions: Record<string, Tally>;
}

/** 2 (tooling) before 3 (unreachable) before 1 (a check failed). */
function worst(codes: ExitCode[]): ExitCode {
  for (const code of [EXIT.usage, EXIT.unreachable, EXIT.checkFailed] as const)
    if (codes.includes(code)) return code;
  return EXIT.ok;
}

export async function verifyMesh(
  input: VerifyInput,
  kubeconfigs: ReadonlyMap<string, string>,
  deps: VerifyDeps,
  options: VerifyOptions = DEFAULT_OPTIONS,
): Promise<VerifyReport> {
  const failures: string[] = [];
  const codes: ExitCode[] = [];
  const record = (failure: Failure) => {
    failures.push(failure.message);
    codes.push(exitCodeOf(failure));
    deps.log(`FAIL ${failure.message}`);
  };
  const fail = (message: string) => record({ kind: "other", message });
  const kubectl = (args: string[], timeoutMs: number) => deps.run("kubectl", args, { timeoutMs });
  const pathOf = (cluster: string) => {
    const path = kubeconfigs.get(cluster);
    if (!path) throw new Error(`no kubeconfig written for cluster ${cluster}`);
    return path;
  };

  // 1. Every cluster answers; unreachable ones are left out of the other checks.
  const reachable = new Set<string>();
  for (const cluster of input.clusters) {
    const result = await kubectl(probeArgs(pathOf(cluster.name)), 30_000);
    if (result.code === 0) {
      reachable.add(cluster.name);
      deps.log(`ok   ${cluster.name}: API server reachable`);
    } else {
      const failure = classifyKubectl(cluster.name, "reaching the API server", result);
      const usage = failure.kind === "tool-missing" || failure.kind === "bad-kubeconfig";
      record(usage ? failure : { kind: "unreachable", message: failure.message });
      if (failure.kind === "tool-missing") return { exitCode: EXIT.usage, failures, distributions: {} };
    }
  }

  // 2. The remote Secret on each watcher, with one data key per watched cluster.
  for (const [watcher, expected] of expectedRemoteSecrets(input)) {
    if (!reachable.has(watcher)) continue;
    const result = await kubectl(remoteSecretArgs(pathOf(watcher)), 30_000);
    if (result.code !== 0) {
      record(classifyKubectl(watcher, "listing remote secrets", result));
      continue;
    }
    const listed = parseRemoteSecrets(result.stdout);
    const keys = listed.get(expected.secret);
    if (keys === undefined) {
      fail(`${watcher}: no Secret ${expected.secret} labelled istio/multiCluster=true in istio-system`);
      continue;
    }
    const missing = expected.keys.filter((k) => !keys.includes(k));
    const extra = keys.filter((k) => !expected.keys.includes(k));
    if (missing.length > 0) fail(`${watcher}: ${expected.secret} has no key for ${missing.join(", ")}`);
    else deps.log(`ok   ${watcher}: ${expected.secret} holds ${expected.keys.join(", ")}`);
    if (extra.length > 0) deps.log(`note ${watcher}: ${expected.secret} also holds ${extra.join(", ")}`);
    // istiod skips a cluster ID that another Secret registered first, whichever Secret is current.
    for (const [other, otherKeys] of listed) {
      const shared = otherKeys.filter((k) => other !== expected.secret && expected.keys.includes(k));
      if (shared.length > 0)
        deps.log(
          `note ${watcher}: Secret ${other} also names ${shared.join(", ")}; istiod uses whichever Secret it read first`,
        );
    }
  }

  // 3. Traffic: every client must see every version.
  const distributions: Record<string, Tally> = {};
  if (input.helloworld) {
    const { namespace, placement } = input.helloworld;
    const expected = [...new Set(Object.values(placement))].sort();
    const deadline = deps.now() + options.timeoutSeconds * 1000;
    for (const cluster of input.clusters) {
      if (!reachable.has(cluster.name)) continue;
      let tally = emptyTally();
      let failure: Failure | undefined;
      for (;;) {
        const result = await kubectl(
          helloArgs(pathOf(cluster.name), namespace, options.calls),
          options.calls * 6_000 + 30_000,
        );
        // kubectl exec passes curl's exit status on; a failed last transfer is not a failed exec.
        const execFailed = result.code !== 0 && !/^curl: \(\d+\)/m.test(result.stderr);
        if (execFailed) {
          failure = classifyKubectl(cluster.name, `exec into deploy/curl in namespace ${namespace}`, result);
          if (failure.kind === "not-found") {
            failure = {
              ...failure,
              message: `${failure.message} (is helloworld: true set and was \`pulumi up\` run?)`,
            };
          }
        } else {
          failure = undefined;
          tally = addRound(tally, options.calls, result.stdout, result.stderr);
          if (missingVersions(tally, expected).length === 0) break;
        }
        if (failure?.kind === "unreachable" || failure?.kind === "tool-missing" || deps.now() >= deadline)
          break;
        await deps.sleep(options.retryDelayMs);
      }
      distributions[cluster.name] = tally;
      deps.log(`     ${cluster.name} client -> ${formatDistribution(tally)}`);
      if (failure) {
        record(failure);
        continue;
      }
      const missing = missingVersions(tally, expected);
      if (missing.length > 0) {
        const hint = tally.errorSamples.length > 0 ? `; errors: ${tally.errorSamples.join(" | ")}` : "";
        fail(
          `${cluster.name}: curl client never reached helloworld ${missing.join(", ")} within ${options.timeoutSeconds}s${hint}`,
        );
      } else deps.log(`ok   ${cluster.name}: client reached ${expected.join(" and ")}`);
    }
  } else deps.log("skip helloworld is not enabled on this stack (config helloworld: true)");

  // 4. The storefront through the ingress gateway.
  if (input.onlineBoutique) {
    const { url } = input.onlineBoutique;
    const deadline = deps.now() + options.timeoutSeconds * 1000;
    let answered = false;
    let last = "";
    for (;;) {
      try {
        const { status } = await deps.httpGet(url, 10_000);
        answered = status === 200;
        last = `HTTP ${status}`;
      } catch (e) {
        last = e instanceof Error ? e.message : String(e);
      }
      if (answered || deps.now() >= deadline) break;
      await deps.sleep(options.retryDelayMs);
    }
    if (answered) deps.log(`ok   Online Boutique frontend ${url} answers 200`);
    else
      fail(
        `Online Boutique frontend ${url} did not answer 200 within ${options.timeoutSeconds}s (last: ${last})`,
      );
  }

  // 5. Bookinfo's reviews-v3 and httpbin, each answering from another cluster (verify/bookinfo.ts, httpbin.ts).
  const samples = { deps, options, reachable, kubeconfigOf: pathOf, record };
  if (input.bookinfo) await checkBookinfo(input.bookinfo, samples);
  if (input.httpbin) await checkHttpbin(input.httpbin, samples);

  // 6. The roots each cluster and its workloads trust, and the root their certificates chain to.
  if (input.trust) {
    const trust = {
      ...input.trust,
      ...(input.helloworld ? { workloadNamespace: input.helloworld.namespace } : {}),
    };
    await checkTrust(trust, { ...samples, clusters: input.clusters.map((c) => c.name) });
  }

  // 7. Revisions: per namespace, the revision its proxies run against the one its tag points to.
  for (const cluster of input.clusters.filter((c) => reachable.has(c.name))) {
    const path = pathOf(cluster.name);
    const [tags, namespaces, pods] = await Promise.all(
      [tagWebhookArgs(path), taggedNamespaceArgs(path), proxyRevisionArgs(path)].map((a) =>
        kubectl(a, 30_000),
      ),
    );
    const failed = [tags, namespaces, pods].find((r) => r!.code !== 0);
    if (failed) {
      record(classifyKubectl(cluster.name, "reading revision tags, namespaces and proxies", failed));
      continue;
    }
    const findings = revisionFindings(
      parseTagTargets(tags!.stdout),
      parseNamespaceTags(namespaces!.stdout),
      parseProxyRows(pods!.stdout),
    );
    if (findings.length === 0) {
      deps.log(`skip ${cluster.name}: no namespace chooses a revision tag (one unnamed istiod)`);
    }
    for (const finding of findings) {
      const line = describeFinding(cluster.name, finding);
      // A tag no webhook renders leaves new pods without a proxy; a stale proxy only awaits a restart.
      if (finding.verdict === "untagged-target") fail(line);
      else deps.log(`${finding.verdict === "stale" ? "note" : "ok  "} ${line}`);
    }
  }

  return { exitCode: worst(codes), failures, distributions };
}
