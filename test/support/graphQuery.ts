// Questions tests ask of a recording: which cluster an object went to, what it (transitively) waits for.
import { buildGraph, providerUrnOf, type ResourceGraph } from "../../offline/graph";
import { localNames } from "../../offline/groups";
import { endpointOf, readKubeconfig } from "../../kube/kubeconfig";
import type { RecordedResource } from "../../offline/engine/recorder";

export class Graph {
  readonly byUrn: Map<string, RecordedResource>;
  /** Provider URN -> cluster name, proven from the provider's kubeconfig server, not from its name. */
  readonly clusterOfProvider = new Map<string, string>();
  private readonly localNames: ReadonlyMap<string, string>;
  /** The engine's view of the same recording (offline/graph.ts), built on first use. */
  private scheduled: ResourceGraph | undefined;

  /**
   * `servers` adds API servers the recording cannot show: existing clusters' (host -> cluster), as the
   * test gave their kubeconfigs or GKE answered for them.
   */
  constructor(
    readonly resources: RecordedResource[],
    servers: ReadonlyMap<string, string> = new Map(),
  ) {
    this.byUrn = new Map(resources.map((r) => [r.urn, r]));
    this.localNames = localNames(resources);
    const endpointToCluster = new Map([
      ...this.ofType("gcp:container/cluster:Cluster").map(
        (c) => [String(c.outputs["endpoint"]), this.localName(c)] as const,
      ),
      ...servers,
    ]);
    for (const p of this.ofType("pulumi:providers:kubernetes")) {
      const host = endpointOf(readKubeconfig(String(p.inputs["kubeconfig"])).cluster.server);
      const cluster = endpointToCluster.get(host);
      if (cluster) this.clusterOfProvider.set(p.urn, cluster);
    }
  }

  /** A resource's name without its mesh's: `mesh-cluster1-istiod` -> `cluster1-istiod`. */
  localName(r: RecordedResource): string {
    return this.localNames.get(r.urn) ?? r.name;
  }

  ofType(type: string): RecordedResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** Kubernetes objects (custom resources sent to a kubernetes provider). */
  kubernetesObjects(): RecordedResource[] {
    return this.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
  }

  /** The cluster whose provider created this object; throws for the default provider. */
  clusterOf(r: RecordedResource): string {
    const cluster = this.clusterOfProvider.get(providerUrnOf(r.provider));
    if (!cluster)
      throw new Error(`${r.urn} was not created through a cluster's provider (${r.provider || "default"})`);
    return cluster;
  }

  inCluster(cluster: string, type?: string): RecordedResource[] {
    return this.kubernetesObjects().filter(
      (r) => this.clusterOf(r) === cluster && (!type || r.type === type),
    );
  }

  one(predicate: (r: RecordedResource) => boolean, what: string): RecordedResource {
    const found = this.resources.filter(predicate);
    if (found.length !== 1) throw new Error(`expected exactly one ${what}, found ${found.length}`);
    return found[0]!;
  }

  /**
   * Every custom resource `r` waits for, directly or through others, as the engine schedules it: the
   * dependency graph of offline/graph.ts (components expanded to their resources, provider edges included).
   */
  waitsFor(r: RecordedResource): Set<string> {
    const nodes = (this.scheduled ??= buildGraph(this.resources, () => 0)).nodes;
    const seen = new Set<string>();
    const stack = [...(nodes.get(r.urn)?.waitsOn ?? [])];
    while (stack.length > 0) {
      const urn = stack.pop()!;
      if (seen.has(urn)) continue;
      seen.add(urn);
      stack.push(...(nodes.get(urn)?.waitsOn ?? []));
    }
    return seen;
  }

  assertOrder(first: RecordedResource, then: RecordedResource): void {
    if (!this.waitsFor(then).has(first.urn)) {
      throw new Error(`${then.type} ${then.name} does not wait for ${first.type} ${first.name}`);
    }
  }
}

/** `metadata.name` of a Kubernetes object's inputs. */
export function objectName(r: RecordedResource): string {
  return String((r.inputs["metadata"] as { name?: string } | undefined)?.name ?? "");
}

export function helmValues(r: RecordedResource): Record<string, unknown> {
  return (r.inputs["values"] ?? {}) as Record<string, unknown>;
}

/** The kubeconfig fields tests read. */
export interface KubeconfigDocument {
  "current-context": string;
  clusters: { name: string; cluster: { server: string; "certificate-authority-data": string } }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
  users: {
    name: string;
    user: { token?: string; exec?: { command: string; args?: string[]; provideClusterInfo?: boolean } };
  }[];
}
