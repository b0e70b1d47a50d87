// Questions tests ask of a recording: which cluster an object went to, what it (transitively) waits for.
import { parse } from "yaml";
import type { RecordedResource } from "./recorder";

export class Graph {
  readonly byUrn: Map<string, RecordedResource>;
  /** Provider URN -> cluster name, proven from the provider's kubeconfig server, not from its name. */
  readonly clusterOfProvider = new Map<string, string>();

  constructor(readonly resources: RecordedResource[]) {
    this.byUrn = new Map(resources.map((r) => [r.urn, r]));
    const endpointToCluster = new Map(
      this.ofType("gcp:container/cluster:Cluster").map((c) => [
        String(c.outputs["endpoint"]),
        String(c.inputs["name"]),
      ]),
    );
    for (const p of this.ofType("pulumi:providers:kubernetes")) {
      const kubeconfig = parse(String(p.inputs["kubeconfig"])) as {
        clusters: { cluster: { server: string } }[];
      };
      const host = kubeconfig.clusters[0]!.cluster.server.replace(/^https:\/\//, "");
      const cluster = endpointToCluster.get(host);
      if (cluster) this.clusterOfProvider.set(p.urn, cluster);
    }
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
    const providerUrn = r.provider.split("::").slice(0, -1).join("::");
    const cluster = this.clusterOfProvider.get(providerUrn);
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

  /** Every URN `r` waits for, directly or through others (component dependencies expand to children). */
  waitsFor(r: RecordedResource): Set<string> {
    const seen = new Set<string>();
    const stack = [...r.dependencies];
    while (stack.length > 0) {
      const urn = stack.pop()!;
      if (seen.has(urn)) continue;
      seen.add(urn);
      const dep = this.byUrn.get(urn);
      if (!dep) continue;
      stack.push(...dep.dependencies);
      if (!dep.custom) stack.push(...this.resources.filter((c) => c.parent === urn).map((c) => c.urn));
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
    user: { token?: string; exec?: { command: string; provideClusterInfo?: boolean } };
  }[];
}
