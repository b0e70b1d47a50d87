// httpbin across clusters: the curl client in one cluster calls httpbin, which runs only in another, and
// go-httpbin's /hostname (with USE_REAL_HOSTNAME) names the pod that answered. An answer counts as
// crossing when that name is one of the httpbin pods the server cluster lists.
import { classifyKubectl, kubectlBase } from "./kubectl";
import {
  curlArgs,
  nonEmptyLines,
  pollRounds,
  splitResponses,
  withSampleHint,
  type SampleCheckContext,
} from "./sampleCheck";
import type { VerifyInput } from "./types";

export type HttpbinTarget = NonNullable<VerifyInput["httpbin"]>;

/** go-httpbin writes `{ "hostname": "..." }` (indented JSON). */
export function parseHostname(body: string): string | undefined {
  try {
    const value = JSON.parse(body) as unknown;
    const hostname = (value as { hostname?: unknown } | null)?.hostname;
    return typeof hostname === "string" && hostname !== "" ? hostname : undefined;
  } catch {
    return undefined;
  }
}

export interface HttpbinTally {
  calls: number;
  /** Answers per hostname. */
  hostnames: Record<string, number>;
  errors: number;
  errorSamples: string[];
}

export const emptyHttpbinTally = (): HttpbinTally => ({
  calls: 0,
  hostnames: {},
  errors: 0,
  errorSamples: [],
});

export function addHttpbinRound(
  tally: HttpbinTally,
  calls: number,
  stdout: string,
  stderr: string,
): HttpbinTally {
  const hostnames = { ...tally.hostnames };
  const samples = [...tally.errorSamples];
  const keep = (line: string) => {
    if (samples.length < 3 && !samples.includes(line)) samples.push(line);
  };
  let answered = 0;
  for (const { status, body } of splitResponses(stdout)) {
    const hostname = status === 200 ? parseHostname(body) : undefined;
    if (hostname) {
      hostnames[hostname] = (hostnames[hostname] ?? 0) + 1;
      answered++;
    } else keep(status === 0 ? "no response" : `HTTP ${status}: ${nonEmptyLines(body)[0] ?? ""}`.trim());
  }
  for (const line of nonEmptyLines(stderr)) keep(line);
  return {
    calls: tally.calls + calls,
    hostnames,
    errors: tally.errors + Math.max(0, calls - answered),
    errorSamples: samples,
  };
}

/** `httpbin-6d7f9c-x2k4p (cluster2): 20 (20 calls, 0 errors)` */
export function formatHttpbinTally(
  tally: HttpbinTally,
  serverPods: readonly string[],
  server: string,
): string {
  const seen = Object.keys(tally.hostnames)
    .sort()
    .map((h) => `${h}${serverPods.includes(h) ? ` (${server})` : ""}: ${tally.hostnames[h]}`);
  return `${seen.length > 0 ? seen.join(", ") : "no answers"} (${tally.calls} calls, ${tally.errors} errors)`;
}

export function httpbinPodsArgs(kubeconfig: string, namespace: string): string[] {
  return [
    ...kubectlBase(kubeconfig),
    "--request-timeout=20s",
    "get",
    "pods",
    "-n",
    namespace,
    "-l",
    "app=httpbin",
    "-o",
    "jsonpath={.items[*].metadata.name}",
  ];
}

export async function checkHttpbin(target: HttpbinTarget, ctx: SampleCheckContext): Promise<HttpbinTally> {
  const { clientCluster: client, serverCluster: server, namespace } = target;
  let tally = emptyHttpbinTally();
  const unreachable = [client, server].filter((c) => !ctx.reachable.has(c));
  if (unreachable.length > 0) {
    ctx.deps.log(`skip httpbin: ${unreachable.join(" and ")} unreachable`);
    return tally;
  }
  let serverPods: string[] = [];
  let listFailed = false;
  const crossed = () => Object.keys(tally.hostnames).some((h) => serverPods.includes(h));
  const failure = await pollRounds(
    ctx,
    client,
    `exec into deploy/curl in namespace ${namespace}`,
    curlArgs(
      ctx.kubeconfigOf(client),
      { namespace, deployment: "curl", container: "curl" },
      `httpbin.${namespace}:8000/hostname`,
      ctx.options.calls,
    ),
    async (result) => {
      tally = addHttpbinRound(tally, ctx.options.calls, result.stdout, result.stderr);
      if (Object.keys(tally.hostnames).length === 0) return false;
      // Listed after the calls: a pod that answered exists when it is listed.
      const listed = await ctx.deps.run("kubectl", httpbinPodsArgs(ctx.kubeconfigOf(server), namespace), {
        timeoutMs: 30_000,
      });
      if (listed.code !== 0) {
        ctx.record(
          withSampleHint(classifyKubectl(server, `listing httpbin pods in ${namespace}`, listed), "httpbin"),
        );
        listFailed = true;
        return true;
      }
      serverPods = nonEmptyLines(listed.stdout.replace(/\s+/g, "\n"));
      return crossed();
    },
  );
  ctx.deps.log(`     ${client} client -> httpbin ${formatHttpbinTally(tally, serverPods, server)}`);
  if (failure) ctx.record(withSampleHint(failure, "httpbin"));
  if (failure || listFailed) return tally;
  const hint = tally.errorSamples.length > 0 ? `; errors: ${tally.errorSamples.join(" | ")}` : "";
  if (crossed()) {
    ctx.deps.log(`ok   httpbin: the client in ${client} got answers from httpbin pods in ${server}`);
  } else if (Object.keys(tally.hostnames).length > 0) {
    ctx.record({
      kind: "other",
      message: `${client}: httpbin answered as ${Object.keys(tally.hostnames).join(", ")}, none of them a pod of ${server} (${serverPods.length > 0 ? serverPods.join(", ") : "no httpbin pods there"})`,
    });
  } else {
    ctx.record({
      kind: "other",
      message: `${client}: curl client never got an answer from httpbin (in ${server}) within ${ctx.options.timeoutSeconds}s${hint}`,
    });
  }
  return tally;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** `samples.httpbin` of the stack outputs: the target, or a problem for a usage error. */
export function parseHttpbin(value: unknown, clusters: readonly string[]): HttpbinTarget | string {
  if (!isRecord(value)) return "samples.httpbin is not an object";
  const { serverCluster, clientCluster } = value;
  for (const [key, cluster] of Object.entries({ serverCluster, clientCluster })) {
    if (typeof cluster !== "string" || !clusters.includes(cluster))
      return `samples.httpbin.${key} is not a cluster of the stack: ${JSON.stringify(cluster)}`;
  }
  if (serverCluster === clientCluster)
    return `samples.httpbin: the client runs in httpbin's own cluster ${String(serverCluster)}`;
  const namespace = typeof value["namespace"] === "string" ? value["namespace"] : "httpbin";
  return { namespace, serverCluster: serverCluster as string, clientCluster: clientCluster as string };
}
