// Turns the stack outputs (`pulumi stack output --json --show-secrets`) into what the checks need, with
// messages that say what is missing and what to do about it.
import { REMOTE_SECRETS_NAME } from "../istio/objects";
import { parseBookinfo } from "./bookinfo";
import { parseHttpbin } from "./httpbin";
import { EXIT, VerifyError, type ClusterTarget, type VerifyInput } from "./types";

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function fail(message: string): never {
  throw new VerifyError(EXIT.usage, message);
}

function parseCluster(key: string, value: unknown): ClusterTarget {
  const where = `clusters.${key}`;
  if (!isRecord(value)) fail(`${where} is not an object`);
  const { role, kubeconfig, network, watches } = value;
  if (role !== "primary" && role !== "remote")
    fail(`${where}.role must be "primary" or "remote", got ${JSON.stringify(role)}`);
  if (typeof kubeconfig !== "string" || kubeconfig.trim() === "") {
    fail(`${where}.kubeconfig is missing: read the outputs with --show-secrets`);
  }
  if (kubeconfig === "[secret]") fail(`${where}.kubeconfig is masked: read the outputs with --show-secrets`);
  if (!Array.isArray(watches) || !watches.every((w) => typeof w === "string")) {
    fail(`${where}.watches is missing: the stack was deployed by an older program; run \`pulumi up\` first`);
  }
  const name = typeof value["name"] === "string" ? value["name"] : key;
  return { name, role, kubeconfig, watches, ...(typeof network === "string" ? { network } : {}) };
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
  const names = clusters.map((c) => c.name);
  const orFail = <T>(target: T | string): T => (typeof target === "string" ? fail(target) : target);
  const bookinfo =
    samples["bookinfo"] == null ? undefined : orFail(parseBookinfo(samples["bookinfo"], names));
  const httpbin = samples["httpbin"] == null ? undefined : orFail(parseHttpbin(samples["httpbin"], names));
  const roots = outputs["rootCertificate"];
  const rotation = outputs["caRotation"];
  const stage = isRecord(rotation) && typeof rotation["stage"] === "string" ? rotation["stage"] : undefined;
  const trust =
    typeof roots === "string" && roots.includes("BEGIN CERTIFICATE")
      ? { roots, ...(stage ? { stage } : {}) }
      : undefined;
  return {
    ...(typeof outputs["topology"] === "string" ? { topology: outputs["topology"] } : {}),
    ...(trust ? { trust } : {}),
    clusters,
    ...(helloworld ? { helloworld } : {}),
    ...(onlineBoutique ? { onlineBoutique } : {}),
    ...(bookinfo ? { bookinfo } : {}),
    ...(httpbin ? { httpbin } : {}),
  };
}

export interface ExpectedRemoteSecret {
  /** The watcher's one remote Secret in istio-system. */
  secret: string;
  /** Its data keys: the clusters the watcher's istiod reads. */
  keys: string[];
}

/**
 * The remote Secret each watching cluster must hold and its data keys, from the watch lists the program
 * exported: the plan's decision, not a second derivation of it.
 */
export function expectedRemoteSecrets(
  input: Pick<VerifyInput, "clusters">,
): Map<string, ExpectedRemoteSecret> {
  return new Map(
    input.clusters
      .filter((c) => c.watches.length > 0)
      .map((watcher) => [watcher.name, { secret: REMOTE_SECRETS_NAME, keys: [...watcher.watches] }]),
  );
}
