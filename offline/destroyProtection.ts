// Where `pulumi destroy` stops when clusters have deletion protection, from the waves of offline/destroy.ts.
// The Google provider refuses to delete a GKE cluster whose state has deletion_protection set, before it
// calls the API (terraform-provider-google resource_container_cluster.go, resourceContainerClusterDelete:
// "Cannot destroy cluster because deletion_protection is set to true"). Pulumi's step executor then cancels:
// the wave already dispatched finishes, no later wave starts (pkg/resource/deploy/step_executor.go
// cancelDueToError). With --continue-on-error the deletes go on, skipping what a failed resource depends
// on (deployment_executor.go performPostSteps: TransitiveDependenciesOf the errored steps). Pure.
import type { DestroyPlan } from "./destroy";
import type { ResourceRecord } from "./graph";

const CLUSTER = "gcp:container/cluster:Cluster";

export interface DestroyStop {
  /** The first wave with a protected cluster: where the provider refuses and the destroy stops. */
  readonly wave: number;
  /** Every cluster with deletion protection, in wave order. */
  readonly protectedClusters: readonly ResourceRecord[];
  /** Deleted before the stop: every custom resource of an earlier wave. */
  readonly deletedBefore: readonly ResourceRecord[];
  /** Dispatched with the refused clusters (same wave, no order between them): deleted or not by timing. */
  readonly sameWave: readonly ResourceRecord[];
  /** Never started: the later waves (and the protected clusters themselves). */
  readonly left: readonly ResourceRecord[];
  /** Left even with --continue-on-error: the protected clusters and everything they depend on. */
  readonly leftWithContinueOnError: readonly ResourceRecord[];
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
  return {
    wave,
    protectedClusters,
    deletedBefore: custom.filter((r) => waveOf(r) < wave),
    sameWave: custom.filter((r) => waveOf(r) === wave && !refused.has(r.urn)),
    left: custom.filter((r) => waveOf(r) > wave || refused.has(r.urn)),
    leftWithContinueOnError: custom.filter((r) => kept.has(r.urn)),
  };
}
