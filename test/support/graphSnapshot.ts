// A digest of the resource graph the program registers, per URN: type, parent, provider, dependencies and
// a hash of the inputs. Used to prove that a refactoring leaves the graph identical (test/graph-identity).
import { createHash } from "node:crypto";
import { evaluate, created } from "../../offline/engine/runtime";
import { listStacks, stackConfig, type CliConfig } from "../../offline/engine/stackFiles";
import { meshConfig, syntheticClusters } from "../../offline/engine/syntheticMesh";
import { execKubeconfig, withOverrides } from "./configs";

/**
 * Hashes of what the engine receives for one resource, `place:<parent and provider> dependencies:<edges>
 * inputs:<inputs>`, one line per resource in the recorded file.
 */
export type ResourceDigest = string;

// Key material (the mock's keys and certificates, new on each run) and base64 that may carry it.
const PEM = /-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g;
const BASE64 = /[A-Za-z0-9+/]{64,}={0,2}/g;

/** Key order fixed and key material masked, so equal inputs hash equally. */
function canonical(value: unknown): unknown {
  if (typeof value === "string") return value.replace(PEM, "<pem>").replace(BASE64, "<base64>");
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

const hash = (value: unknown) =>
  createHash("sha256")
    .update(JSON.stringify(canonical(value)))
    .digest("hex")
    .slice(0, 16);

/** Mixed meshes: created, adopted and kubeconfig clusters, with a primary off GKE. */
function mixed(
  topology: "multi-primary" | "primary-remote",
  members: [string, string, "primary" | "remote"][],
) {
  const spec = ([name, kind, role]: [string, string, string], i: number) => {
    const network = `net-${name}`;
    if (kind === "created") return { name, location: `us-east1-${"bcd"[i % 3]}`, network, role };
    if (kind === "gke") return { name, location: "us-central1-c", network, role, existing: "gke" };
    return {
      name,
      network,
      role,
      existing: "kubeconfig",
      ...(kind === "hostname" ? { loadBalancerAddress: "hostname" } : {}),
    };
  };
  const kubeconfigs = Object.fromEntries(
    members
      .filter(([, kind]) => kind === "ip" || kind === "hostname")
      .map(([name]) => [name, execKubeconfig(`https://${name}.example.net:6443`)]),
  );
  return withOverrides({ topology, clusters: members.map(spec), fleet: true, helloworld: true, kubeconfigs });
}

/** Every mesh the identity check covers: the shipped stacks and synthetic meshes of every topology. */
export function snapshotMeshes(): Record<string, CliConfig> {
  const meshes: Record<string, CliConfig> = {};
  for (const stack of listStacks()) meshes[`stack ${stack}`] = stackConfig(stack);
  for (const topology of ["multi-primary", "primary-remote", "shared-control-plane"] as const) {
    for (const n of [2, 3, 5]) meshes[`${topology} ${n}`] = meshConfig(topology, n);
  }
  // primary-remote on one network: the primary exposes istiod through its gateway, remotes have none.
  meshes["primary-remote flat 3"] = meshConfig("primary-remote", 3, {
    clusters: syntheticClusters("primary-remote", 3).map((c) => ({ ...c, network: "network1" })),
  });
  meshes["shared-control-plane private 3 samples"] = meshConfig("shared-control-plane", 3, {
    privateNodes: true,
    helloworld: true,
    onlineBoutique: true,
  });
  meshes["multi-primary mixed"] = mixed("multi-primary", [
    ["made1", "created", "primary"],
    ["aks1", "ip", "primary"],
    ["adopted", "gke", "primary"],
    ["eks1", "hostname", "primary"],
  ]);
  meshes["primary-remote mixed, EKS primary"] = mixed("primary-remote", [
    ["made1", "created", "remote"],
    ["eks1", "hostname", "primary"],
    ["adopted", "gke", "remote"],
    ["onprem", "ip", "remote"],
  ]);
  meshes["primary-remote mixed, created primary"] = mixed("primary-remote", [
    ["made", "created", "primary"],
    ["adopted", "gke", "remote"],
    ["onprem", "ip", "remote"],
  ]);
  return meshes;
}

/** The graph of one evaluation, keyed by URN without its stack and project prefix. */
export async function graphDigest(config: CliConfig): Promise<Record<string, ResourceDigest>> {
  const evaluation = await evaluate(config);
  if (evaluation.error) throw evaluation.error;
  const short = (urn: string) => urn.split("::").slice(2).join("::");
  const entries = created(evaluation).map((r): [string, ResourceDigest] => [
    short(r.urn),
    `place:${hash([r.parent, r.provider])} dependencies:${hash([...r.dependencies].sort())} inputs:${hash(r.inputs)}`,
  ]);
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
}
