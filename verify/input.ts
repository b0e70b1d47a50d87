// Turns the stack outputs (`pulumi stack output --json --show-secrets`) into what the checks need, with
// messages that say what is missing and what to do about it.
import { planWatchEdges } from "../plan/planner";
import { EXIT, VerifyError, type ClusterTarget, type VerifyInput } from "./types";

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function fail(message: string): never {
  throw new VerifyError(EXIT.usage, message);
}

function parseCluster(key: string, value: unknown): ClusterTarget {
  const where = `clusters.${key}`;
  if (!isRecord(value)) fail(`${where} is not an object`);
  const { role, kubeconfig, network } = value;
  if (role !== "primary" && role !== "remote")
    fail(`${where}.role must be "primary" or "remote", got ${JSON.stringify(role)}`);
  if (typeof kubeconfig !== "string" || kubeconfig.trim() === "") {
    fail(`${where}.kubeconfig is missing: read the outputs with --show-secrets`);
  }
  if (kubeconfig === "[secret]") fail(`${where}.kubeconfig is masked: read the outputs with --show-secrets`);
  const name = typeof value["name"] === "string" ? value["name"] : key;
  return { name, role, kubeconfig, ...(typeof network === "string" ? { network } : {}) };
}

function parseHelloworld(value: unknown): VerifyInput["helloworld"] {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value) || !isRecord(value["placement"])) fail("samples.helloworld.placement is missing");
  const placement: Record<string, string> = {};
  for (const [cluster, version] of Object.entries(value["placement"])) {
    if (typeof version !== "string") fail(`samples.helloworld.placement.${cluster} is not a version string`);
    placement[cluster] = version;
  }
  const namespace = typeof value["namespace"] === "string" ? value["namespace"] : "sample";
  return { namespace, placement };
}

/** `outputs` is the parsed JSON of the stack outputs (or of MESH_VERIFY_INPUT, which has the same shape). */
export function parseVerifyInput(outputs: unknown): VerifyInput {
  if (!isRecord(outputs) || Object.keys(outputs).length === 0) {
    fail("the stack has no outputs: it was never deployed (run `pulumi up` first)");
  }
  if (!isRecord(outputs["clusters"]) || Object.keys(outputs["clusters"]).length === 0) {
    fail("the stack outputs have no `clusters`: deploy the current program with `pulumi up`");
  }
  const clusters = Object.entries(outputs["clusters"]).map(([key, value]) => parseCluster(key, value));
  const samples = isRecord(outputs["samples"]) ? outputs["samples"] : {};
  const helloworld = parseHelloworld(samples["helloworld"]);
  if (helloworld) {
    const unknown = Object.keys(helloworld.placement).filter((c) => !clusters.some((t) => t.name === c));
    if (unknown.length > 0)
      fail(`samples.helloworld.placement names unknown clusters: ${unknown.join(", ")}`);
  }
  const boutique = samples["onlineBoutique"];
  let onlineBoutique: VerifyInput["onlineBoutique"];
  if (isRecord(boutique)) {
    const url = boutique["url"];
    if (typeof url !== "string" || !/^https?:\/\/\S+$/.test(url))
      fail(`samples.onlineBoutique.url is not a URL: ${JSON.stringify(url)}`);
    onlineBoutique = { url };
  }
  return {
    ...(typeof outputs["topology"] === "string" ? { topology: outputs["topology"] } : {}),
    clusters,
    ...(helloworld ? { helloworld } : {}),
    ...(onlineBoutique ? { onlineBoutique } : {}),
  };
}

/**
 * Remote secrets each primary must hold (`istio-remote-secret-<cluster>`): the planner's watch edges
 * (plan/planner.ts), from roles alone. Outputs without a topology count as multi-primary when every
 * cluster is a primary.
 */
export function expectedRemoteSecrets(
  input: Pick<VerifyInput, "clusters" | "topology">,
): Map<string, string[]> {
  const primaries = input.clusters.filter((c) => c.role === "primary");
  const multiPrimary = input.topology === "multi-primary" || primaries.length === input.clusters.length;
  const edges = planWatchEdges({
    // Only multi-primary differs: in every other topology a primary watches the remotes.
    topology: multiPrimary ? "multi-primary" : "primary-remote",
    clusters: input.clusters,
  });
  return new Map(
    primaries.map((watcher) => [
      watcher.name,
      edges.filter((e) => e.watcher === watcher.name).map((e) => `istio-remote-secret-${e.described}`),
    ]),
  );
}
