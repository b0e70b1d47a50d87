// Where `pulumi destroy` stops when clusters have deletion protection, from the waves of offline/destroy.ts.
// The Google provider refuses to delete a GKE cluster whose state has deletion_protection set, before it
// calls the API (terraform-provider-google resource_container_cluster.go, resourceContainerClusterDelete:
// "Cannot destroy cluster because deletion_protection is set to true"). Pulumi's step executor then cancels:
// the wave already dispatched finishes, no later wave starts (pkg/resource/deploy/step_executor.go
// cancelDueToError). With --continue-on-error the deletes go on, skipping what a failed resource depends
// on (deployment_executor.go performPostSteps: TransitiveDependenciesOf the errored steps). Pure.
import type { DestroyPlan } from "./destroy";
import { STACK_TYPE, type ResourceRecord } from "./graph";

const CLUSTER = "gcp:container/cluster:Cluster";

export interface DestroyStop {
  /** The first wave with a protected cluster: where the provider refuses and the destroy stops. */
  readonly wave: number;
  /** Every cluster with deletion protection, in wave order. */
  readonly protectedClusters: readonly ResourceRecord[];
  /** Their URNs as the engine writes them, for `pulumi up --target`. */
  readonly protectedUrns: readonly string[];
  /** Deleted before the stop: every custom resource of an earlier wave. */
  readonly deletedBefore: readonly ResourceRecord[];
  /** Dispatched with the refused clusters (same wave, no order between them): deleted or not by timing. */
  readonly sameWave: readonly ResourceRecord[];
  /** Never started: the later waves (and the protected clusters themselves). */
  readonly left: readonly ResourceRecord[];
  /** Left even with --continue-on-error: the protected clusters and everything they depend on. */
  readonly leftWithContinueOnError: readonly ResourceRecord[];
}

/**
 * A record's URN as the Pulumi engine writes it: every ancestor's type but the stack's, joined by `$`
 * (sdk resource.ts createUrn). The mock runtime keeps only the parent's type (runtime/mocks.ts newUrn), so
 * its URNs cannot be handed to `pulumi up --target` as they are.
 */
export function engineUrn(record: ResourceRecord, byUrn: ReadonlyMap<string, ResourceRecord>): string {
  const types = [record.type];
  for (let at = byUrn.get(record.parent); at && at.type !== STACK_TYPE; at = byUrn.get(at.parent))
    types.unshift(at.type);
  const [stack, project] = record.urn.slice("urn:pulumi:".length).split("::");
  return `urn:pulumi:${stack}::${project}::${types.join("$")}::${record.name}`;
}

export const isProtectedCluster = (r: ResourceRecord) =>
  r.type === CLUSTER && (r.inputs ?? {})["deletionProtection"] === true;

/** Where a destroy of this recording stops, or undefined when no cluster is protected. */
export function protectedStop(
  records: readonly ResourceRecord[],
  plan: DestroyPlan,
): DestroyStop | undefined {
  const waveOf = (r: ResourceRecord) => plan.waveOf.get(r.urn)!;
  const custom = records.filter((r) => plan.nodes.has(r.urn));
  const protectedClusters = custom.filter(isProtectedCluster).sort((a, b) => waveOf(a) - waveOf(b));
  if (protectedClusters.length === 0) return undefined;
  const wave = waveOf(protectedClusters[0]!);
  const refused = new Set(protectedClusters.map((c) => c.urn));

  // What the refused clusters depend on, transitively (their network, subnet, node account, ...).
  const kept = new Set<string>();
  const pending = [...refused];
  while (pending.length > 0) {
    const urn = pending.pop()!;
    if (kept.has(urn)) continue;
    kept.add(urn);
    pending.push(...(plan.nodes.get(urn)?.waitsOn ?? []));
  }
  const byUrn = new Map(records.map((r) => [r.urn, r]));
  return {
    wave,
    protectedClusters,
    protectedUrns: protectedClusters.map((c) => engineUrn(c, byUrn)),
    deletedBefore: custom.filter((r) => waveOf(r) < wave),
    sameWave: custom.filter((r) => waveOf(r) === wave && !refused.has(r.urn)),
    left: custom.filter((r) => waveOf(r) > wave || refused.has(r.urn)),
    leftWithContinueOnError: custom.filter((r) => kept.has(r.urn)),
  };
}
