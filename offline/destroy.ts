// The order `pulumi destroy` takes, rebuilt from a recorded evaluation, and how long it takes. The engine
// (pkg/resource/deploy/step_generator.go ScheduleDeletes, deployment_executor.go performDeletes) splits
// the condemned resources into antichains: repeatedly it takes every resource none of whose dependencies
// (DependenciesOf: dependencies with components expanded to their children, provider, parent, deletedWith) is still
// left; it reverses that list and runs one antichain after the other, each in parallel, each to completion
// before the next starts. So a resource's wave is its longest chain of dependencies, the deepest go first,
// and a wave lasts as long as its slowest delete. Pure functions, no Pulumi runtime.
import { modelDeletion } from "./deletionDurations";
import { buildGraph, customDescendants, providerUrnOf, type GraphNode, type ResourceRecord } from "./graph";

export interface DestroyWave {
  /** 1 = deleted first. */
  readonly index: number;
  /** Custom resources deleted in this wave (components and the stack take no time and are left out). */
  readonly members: readonly GraphNode[];
  /** The slowest delete of the wave: the wave lasts this long. */
  readonly slowest: GraphNode | undefined;
  readonly start: number;
  readonly seconds: number;
}

export interface DestroyPlan {
  /** Waves in the order they run; waves of components only are kept (they cost nothing). */
  readonly waves: readonly DestroyWave[];
  /** Wave of every record (custom, component and stack) by URN. */
  readonly waveOf: ReadonlyMap<string, number>;
  /** What `pulumi destroy` takes: the waves one after the other. */
  readonly seconds: number;
  /** If each delete started as soon as everything depending on it was gone (no wave barriers). */
  readonly dependencyBoundSeconds: number;
  /** Every delete one after the other. */
  readonly sequentialSeconds: number;
  readonly nodes: ReadonlyMap<string, GraphNode>;
}

/**
 * Destroy order of a recording, weighted by `secondsOf` (the deletion model by default). A resource
 * deleted with another (deletedWith) is skipped by the engine when that one is condemned too, as it is in
 * a destroy: it takes no time.
 */
export function destroyPlan(
  records: readonly ResourceRecord[],
  secondsOf: (record: ResourceRecord) => number = (r) => modelDeletion(r.type, r.inputs ?? {}).seconds,
): DestroyPlan {
  const graph = buildGraph(records, (r) => (r.deletedWith ? 0 : secondsOf(r)));
  const byUrn = graph.records;
  const expansions = new Map<string, string[]>();
  const expand = (urn: string): string[] => {
    const target = byUrn.get(urn);
    if (!target) return [];
    if (target.custom) return [urn];
    let cached = expansions.get(urn);
    if (!cached) {
      cached = [urn, ...customDescendants(urn, byUrn, graph.children)];
      expansions.set(urn, cached);
    }
    return cached;
  };
  const dependenciesOf = (r: ResourceRecord): string[] => {
    const deps = r.dependencies.flatMap(expand);
    if (r.provider !== "") deps.push(providerUrnOf(r.provider));
    if (r.parent !== "") deps.push(r.parent);
    if (r.deletedWith) deps.push(r.deletedWith);
    return deps.filter((urn) => urn !== r.urn && byUrn.has(urn));
  };

  // Level = longest chain of dependencies; memoized depth-first, so registration order does not matter.
  const level = new Map<string, number>();
  const visiting = new Set<string>();
  const levelOf = (urn: string): number => {
    const known = level.get(urn);
    if (known !== undefined) return known;
    if (visiting.has(urn)) throw new Error(`destroyPlan: dependency cycle through ${urn}`);
    visiting.add(urn);
    const deps = dependenciesOf(byUrn.get(urn)!);
    const value = deps.length === 0 ? 0 : 1 + Math.max(...deps.map(levelOf));
    visiting.delete(urn);
    level.set(urn, value);
    return value;
  };
  for (const urn of byUrn.keys()) levelOf(urn);

  const deepest = Math.max(0, ...level.values());
  const waveOf = new Map([...level].map(([urn, l]) => [urn, deepest - l + 1]));
  const waves: DestroyWave[] = [];
  let clock = 0;
  for (let index = 1; index <= deepest + 1; index++) {
    const members = [...graph.nodes.values()].filter((n) => waveOf.get(n.record.urn) === index);
    const slowest = members.reduce<GraphNode | undefined>(
      (best, n) => (best === undefined || n.seconds > best.seconds ? n : best),
      undefined,
    );
    const seconds = slowest?.seconds ?? 0;
    waves.push({ index, members, slowest, start: clock, seconds });
    clock += seconds;
  }

  // Without barriers: a delete starts when every custom resource waiting on it is gone.
  const dependents = new Map<string, string[]>();
  for (const node of graph.nodes.values())
    for (const dep of node.waitsOn) dependents.set(dep, [...(dependents.get(dep) ?? []), node.record.urn]);
  const finish = new Map<string, number>();
  const finishOf = (urn: string): number => {
    const known = finish.get(urn);
    if (known !== undefined) return known;
    const start = Math.max(0, ...(dependents.get(urn) ?? []).map(finishOf));
    const value = start + graph.nodes.get(urn)!.seconds;
    finish.set(urn, value);
    return value;
  };
  let dependencyBoundSeconds = 0;
  let sequentialSeconds = 0;
  for (const [urn, node] of graph.nodes) {
    dependencyBoundSeconds = Math.max(dependencyBoundSeconds, finishOf(urn));
    sequentialSeconds += node.seconds;
  }
  return { waves, waveOf, seconds: clock, dependencyBoundSeconds, sequentialSeconds, nodes: graph.nodes };
}
