// The dependency graph the Pulumi engine schedules `pulumi up` on, rebuilt from recorded registrations:
// nodes are custom resources (components create nothing and take no time), edges are what each resource
// waits for. Pure functions, no Pulumi runtime.

/** What the analysis needs of a recorded registration (offline/engine/recorder.ts RecordedResource fits). */
export interface ResourceRecord {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  /** Parent URN, "" for the stack itself. */
  readonly parent: string;
  /** `<providerURN>::<id>`, or "" for a default provider. */
  readonly provider: string;
  /** URNs sent as dependencies: explicit dependsOn and every resource feeding an input. */
  readonly dependencies: readonly string[];
  readonly inputs?: Record<string, unknown>;
  /** URN whose deletion takes this resource with it (deletedWith): its own delete is skipped. */
  readonly deletedWith?: string;
  /** What the (mock) cloud returned: the destroy checks match load balancers to addresses by IP. */
  readonly outputs?: Record<string, unknown>;
}

export interface GraphNode {
  readonly record: ResourceRecord;
  readonly seconds: number;
  /** URNs of the custom resources this one waits for, deduplicated, in first-seen order. */
  readonly waitsOn: readonly string[];
}

export interface ResourceGraph {
  /** Custom resources in registration order. */
  readonly nodes: ReadonlyMap<string, GraphNode>;
  readonly records: ReadonlyMap<string, ResourceRecord>;
  readonly children: ReadonlyMap<string, readonly string[]>;
  /** Dependencies naming a URN that was never registered: a recording bug, reported, not guessed at. */
  readonly unresolved: readonly string[];
}

export const STACK_TYPE = "pulumi:pulumi:Stack";

/** The provider resource's URN from a provider reference `<urn>::<id>`. */
export function providerUrnOf(reference: string): string {
  const cut = reference.lastIndexOf("::");
  return cut < 0 ? reference : reference.slice(0, cut);
}

function isNode(record: ResourceRecord): boolean {
  return record.custom && record.type !== STACK_TYPE;
}

/** Custom resources under a component, at any depth: what depending on the component waits for. */
export function customDescendants(
  urn: string,
  records: ReadonlyMap<string, ResourceRecord>,
  children: ReadonlyMap<string, readonly string[]>,
): string[] {
  const found: string[] = [];
  const pending = [...(children.get(urn) ?? [])];
  while (pending.length > 0) {
    const next = pending.shift()!;
    const record = records.get(next);
    if (record && isNode(record)) found.push(next);
    pending.push(...(children.get(next) ?? []));
  }
  return found;
}

/** Child URNs of every parent, in registration order. */
export function childrenOf(records: readonly ResourceRecord[]): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const r of records) {
    if (r.parent === "") continue;
    const siblings = children.get(r.parent) ?? [];
    siblings.push(r.urn);
    children.set(r.parent, siblings);
  }
  return children;
}

export function buildGraph(
  records: readonly ResourceRecord[],
  secondsOf: (record: ResourceRecord) => number,
): ResourceGraph {
  const byUrn = new Map(records.map((r) => [r.urn, r]));
  const children = childrenOf(records);
  const unresolved = new Set<string>();
  const expansions = new Map<string, string[]>();

  // A custom resource stands for itself; a component for its custom descendants; the stack for nothing.
  const expand = (urn: string): string[] => {
    const target = byUrn.get(urn);
    if (!target) {
      unresolved.add(urn);
      return [];
    }
    if (target.type === STACK_TYPE) return [];
    if (target.custom) return [urn];
    let cached = expansions.get(urn);
    if (!cached) {
      cached = customDescendants(urn, byUrn, children);
      expansions.set(urn, cached);
    }
    return cached;
  };

  const nodes = new Map<string, GraphNode>();
  for (const record of records.filter(isNode)) {
    const waits = [...record.dependencies];
    // The SDK resolves the provider reference (and a custom parent's URN) before it registers the
    // resource, and both resolve only once that resource has been created.
    if (record.provider !== "") waits.push(providerUrnOf(record.provider));
    const parent = byUrn.get(record.parent);
    if (parent && parent.custom && parent.type !== STACK_TYPE) waits.push(parent.urn);
    const waitsOn = [...new Set(waits.flatMap(expand))].filter((urn) => urn !== record.urn);
    nodes.set(record.urn, { record, seconds: secondsOf(record), waitsOn });
  }
  return { nodes, records: byUrn, children, unresolved: [...unresolved] };
}

export class CycleError extends Error {
  constructor(readonly cycle: readonly string[]) {
    super(`dependency cycle: ${cycle.join(" -> ")}`);
    this.name = "CycleError";
  }
}

/** Nodes so that every node comes after what it waits for; throws CycleError naming one cycle. */
export function topologicalOrder(graph: ResourceGraph): GraphNode[] {
  const waitingCount = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const [urn, node] of graph.nodes) {
    waitingCount.set(urn, node.waitsOn.length);
    for (const dep of node.waitsOn) {
      const list = dependents.get(dep) ?? [];
      list.push(urn);
      dependents.set(dep, list);
    }
  }
  const ready = [...graph.nodes.keys()].filter((urn) => waitingCount.get(urn) === 0);
  const order: GraphNode[] = [];
  while (ready.length > 0) {
    const urn = ready.shift()!;
    order.push(graph.nodes.get(urn)!);
    for (const next of dependents.get(urn) ?? []) {
      const left = waitingCount.get(next)! - 1;
      waitingCount.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  if (order.length < graph.nodes.size) throw new CycleError(findCycle(graph, new Set(order.map(nodeUrn))));
  return order;
}

const nodeUrn = (node: GraphNode) => node.record.urn;

/** Walks backwards among the nodes that could not be ordered until a node repeats. */
function findCycle(graph: ResourceGraph, ordered: ReadonlySet<string>): string[] {
  const stuck = [...graph.nodes.keys()].filter((urn) => !ordered.has(urn));
  const walk: string[] = [];
  let current = stuck[0]!;
  while (!walk.includes(current)) {
    walk.push(current);
    current = graph.nodes.get(current)!.waitsOn.find((dep) => !ordered.has(dep))!;
  }
  const cycle = walk.slice(walk.indexOf(current)).reverse();
  return [...cycle, cycle[0]!].map((urn) => graph.nodes.get(urn)!.record.name);
}

export interface PathStep {
  readonly node: GraphNode;
  /** Seconds after `pulumi up` starts creating resources. */
  readonly start: number;
  readonly finish: number;
}

export interface CriticalPath {
  /** Earliest time everything is created with unlimited parallelism. */
  readonly seconds: number;
  /** The chain that sets that time, first resource first. */
  readonly path: readonly PathStep[];
  /** Longest chain counted in resources, whatever their durations. */
  readonly depth: number;
  /** Time if every resource were created one after the other. */
  readonly sequentialSeconds: number;
}

export function criticalPath(graph: ResourceGraph): CriticalPath {
  const finish = new Map<string, number>();
  const stepsTo = new Map<string, number>();
  const chainLength = new Map<string, number>();
  const previous = new Map<string, string | undefined>();
  for (const node of topologicalOrder(graph)) {
    let best: string | undefined;
    for (const dep of node.waitsOn) {
      if (best === undefined || isLaterPredecessor(dep, best, finish, stepsTo)) best = dep;
    }
    const start = best === undefined ? 0 : finish.get(best)!;
    const urn = nodeUrn(node);
    finish.set(urn, start + node.seconds);
    stepsTo.set(urn, (best === undefined ? 0 : stepsTo.get(best)!) + 1);
    chainLength.set(urn, 1 + Math.max(0, ...node.waitsOn.map((dep) => chainLength.get(dep)!)));
    previous.set(urn, best);
  }
  let last: string | undefined;
  for (const urn of graph.nodes.keys()) {
    if (last === undefined || isLaterPredecessor(urn, last, finish, stepsTo)) last = urn;
  }
  const path: PathStep[] = [];
  for (let at = last; at !== undefined; at = previous.get(at)) {
    const node = graph.nodes.get(at)!;
    path.unshift({ node, start: finish.get(at)! - node.seconds, finish: finish.get(at)! });
  }
  let sequentialSeconds = 0;
  for (const node of graph.nodes.values()) sequentialSeconds += node.seconds;
  return {
    seconds: last === undefined ? 0 : finish.get(last)!,
    path,
    depth: Math.max(0, ...chainLength.values()),
    sequentialSeconds,
  };
}

/** Later finish wins; on a tie the longer chain, then the smaller URN, so results never depend on order. */
function isLaterPredecessor(
  candidate: string,
  incumbent: string,
  finish: ReadonlyMap<string, number>,
  stepsTo: ReadonlyMap<string, number>,
): boolean {
  const byFinish = finish.get(candidate)! - finish.get(incumbent)!;
  if (byFinish !== 0) return byFinish > 0;
  const bySteps = stepsTo.get(candidate)! - stepsTo.get(incumbent)!;
  if (bySteps !== 0) return bySteps > 0;
  return candidate < incumbent;
}
