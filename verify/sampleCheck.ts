// What the Bookinfo and httpbin checks share: the run's context, rounds of curl calls through kubectl exec
// until a judgement is reached or the deadline passes, and curl's per-call output split into responses.
import type { VerifyOptions } from "./check";
import { classifyKubectl, curlExecArgs, type Failure } from "./kubectl";
import type { RunResult, VerifyDeps } from "./types";

export interface SampleCheckContext {
  deps: VerifyDeps;
  options: VerifyOptions;
  /** Clusters whose API server answered; the others are already reported. */
  reachable: ReadonlySet<string>;
  kubeconfigOf(cluster: string): string;
  /** Prints a FAIL line and counts the failure towards the exit code. */
  record(failure: Failure): void;
}

/** Written by curl after every transfer (`-w`), so each call's body and status can be told apart. */
const CALL_END = "@@verify-call http_code=%{http_code}@@";
const CALL_END_PATTERN = /@@verify-call http_code=(\d{3})@@/;

/** `kubectl exec` into a Deployment's container that runs `calls` GETs of `url`, each followed by CALL_END. */
export function curlArgs(
  kubeconfig: string,
  target: { namespace: string; deployment: string; container: string },
  url: string,
  calls: number,
): string[] {
  return curlExecArgs(kubeconfig, target, url, calls, `\\n${CALL_END}\\n`);
}

export interface CallResponse {
  /** HTTP status; 0 when the transfer failed (curl's 000). */
  status: number;
  body: string;
}

/** One response per call, in order; text after the last marker (a cut-off call) is dropped. */
export function splitResponses(stdout: string): CallResponse[] {
  const parts = stdout.split(CALL_END_PATTERN);
  const responses: CallResponse[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    responses.push({ status: Number(parts[i + 1]), body: parts[i]!.replace(/^\n/, "") });
  }
  return responses;
}

export const nonEmptyLines = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");

/**
 * Runs rounds until `judge` says the round settled the check or the deadline passes. Returns the failure
 * of the last exec when it failed (as helloworld does, a failed last transfer is curl's status, not a
 * failed exec).
 */
export async function pollRounds(
  ctx: SampleCheckContext,
  cluster: string,
  what: string,
  args: string[],
  judge: (result: RunResult) => Promise<boolean> | boolean,
): Promise<Failure | undefined> {
  const { deps, options } = ctx;
  const deadline = deps.now() + options.timeoutSeconds * 1000;
  for (;;) {
    const result = await deps.run("kubectl", args, { timeoutMs: options.calls * 6_000 + 30_000 });
    let failure: Failure | undefined;
    if (result.code !== 0 && !/^curl: \(\d+\)/m.test(result.stderr)) {
      failure = classifyKubectl(cluster, what, result);
    } else if (await judge(result)) return undefined;
    if (failure?.kind === "unreachable" || failure?.kind === "tool-missing" || deps.now() >= deadline)
      return failure;
    await deps.sleep(options.retryDelayMs);
  }
}

/** Adds the `pulumi up` hint to a missing Deployment or namespace. */
export function withSampleHint(failure: Failure, key: string): Failure {
  return failure.kind === "not-found"
    ? { ...failure, message: `${failure.message} (is ${key}: true set and was \`pulumi up\` run?)` }
    : failure;
}
