// kubectl invocations of the verification and what their failures mean.
import { EXIT, type ExitCode, type RunResult } from "./types";

export type Failure =
  | { kind: "tool-missing"; message: string }
  | { kind: "bad-kubeconfig"; message: string }
  | { kind: "unreachable"; message: string }
  | { kind: "not-found"; message: string }
  | { kind: "not-ready"; message: string }
  | { kind: "other"; message: string };

export const exitCodeOf = (failure: Failure): ExitCode =>
  failure.kind === "tool-missing" || failure.kind === "bad-kubeconfig"
    ? EXIT.usage
    : failure.kind === "unreachable"
      ? EXIT.unreachable
      : EXIT.checkFailed;

const UNREACHABLE =
  /Unable to connect to the server|dial tcp|i\/o timeout|connection refused|no such host|TLS handshake timeout|context deadline exceeded|Client\.Timeout|Unauthorized|Forbidden|credentials/i;
const AUTH_PLUGIN = /gke-gcloud-auth-plugin|executable .* not found|exec plugin/i;
const NOT_READY =
  /does not have a host assigned|container not found|is not running|ContainerCreating|PodInitializing|unable to upgrade connection|no pods|Pending/i;

const firstLine = (text: string) =>
  text
    .split("\n")
    .find((l) => l.trim() !== "")
    ?.trim() ?? "";

/** Maps a failed kubectl call to a kind and a message that names the cluster and what to do. */
export function classifyKubectl(cluster: string, what: string, result: RunResult): Failure {
  const detail = firstLine(result.stderr) || firstLine(result.stdout) || `exit status ${result.code}`;
  if (result.notFound) {
    return {
      kind: "tool-missing",
      message: "kubectl was not found on PATH: install kubectl to run the verification",
    };
  }
  if (AUTH_PLUGIN.test(result.stderr) && /not found|no such file/i.test(result.stderr)) {
    return {
      kind: "tool-missing",
      message: `${cluster}: gke-gcloud-auth-plugin is missing (gcloud components install gke-gcloud-auth-plugin): ${detail}`,
    };
  }
  if (/error loading config file|invalid configuration/i.test(result.stderr)) {
    return {
      kind: "bad-kubeconfig",
      message: `${cluster}: the kubeconfig from the stack outputs is unusable: ${detail}`,
    };
  }
  if (result.timedOut)
    return {
      kind: "unreachable",
      message: `${cluster}: ${what} timed out: is the cluster up and reachable from here?`,
    };
  if (UNREACHABLE.test(result.stderr))
    return { kind: "unreachable", message: `${cluster}: cluster unreachable (${what}): ${detail}` };
  if (/NotFound|not found/i.test(result.stderr))
    return { kind: "not-found", message: `${cluster}: ${what}: ${detail}` };
  if (NOT_READY.test(result.stderr))
    return { kind: "not-ready", message: `${cluster}: ${what}: pod not ready: ${detail}` };
  return { kind: "other", message: `${cluster}: ${what} failed: ${detail}` };
}

export const kubectlBase = (kubeconfig: string) => ["--kubeconfig", kubeconfig];

export function probeArgs(kubeconfig: string): string[] {
  return [...kubectlBase(kubeconfig), "--request-timeout=20s", "get", "--raw", "/readyz"];
}

/**
 * Every Secret istiod reads as remote clusters (labelled istio/multiCluster=true), one line each:
 * `<name>: <data key> <data key>...`. A go-template, because kubectl's JSONPath cannot list a map's keys
 * without printing the values, and the values are bearer-token kubeconfigs.
 */
export function remoteSecretArgs(kubeconfig: string): string[] {
  return [
    ...kubectlBase(kubeconfig),
    "--request-timeout=20s",
    "get",
    "secrets",
    "-n",
    "istio-system",
    "-l",
    "istio/multiCluster=true",
    "-o",
    'go-template={{range .items}}{{.metadata.name}}:{{range $key, $value := .data}} {{$key}}{{end}}{{"\\n"}}{{end}}',
  ];
}

/** Data keys per Secret name, from the output of remoteSecretArgs. */
export function parseRemoteSecrets(stdout: string): Map<string, string[]> {
  const secrets = new Map<string, string[]>();
  for (const line of stdout.split("\n")) {
    const cut = line.indexOf(":");
    if (cut <= 0) continue;
    const keys = line
      .slice(cut + 1)
      .split(/\s+/)
      .filter((k) => k !== "");
    secrets.set(line.slice(0, cut).trim(), keys);
  }
  return secrets;
}

/**
 * `kubectl exec` into a Deployment's container that runs `calls` GETs of `url` with one curl: curl goes
 * on after a failed transfer and writes `writeOut` after each, and each transfer is a new request that
 * the sidecar load-balances.
 */
export function curlExecArgs(
  kubeconfig: string,
  target: { namespace: string; deployment: string; container: string },
  url: string,
  calls: number,
  writeOut: string,
): string[] {
  return [
    ...kubectlBase(kubeconfig),
    "exec",
    "-n",
    target.namespace,
    `deploy/${target.deployment}`,
    "-c",
    target.container,
    "--",
    "curl",
    "-sS",
    "--max-time",
    "5",
    "-w",
    writeOut,
    ...Array.from({ length: calls }, () => url),
  ];
}

/** helloworld's calls from the sample's curl client: each answer is one line of output. */
export function helloArgs(kubeconfig: string, namespace: string, calls: number): string[] {
  const client = { namespace, deployment: "curl", container: "curl" };
  return curlExecArgs(kubeconfig, client, `helloworld.${namespace}:5000/hello`, calls, "\\n");
}
