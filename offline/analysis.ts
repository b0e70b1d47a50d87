// One analysis of a recorded evaluation: the graph under the duration model, its critical path and the
// grouping per cluster. The plan command and the benchmark both report from this.
import { modelDuration, type DurationRule } from "./durations";
import {
  buildGraph,
  criticalPath,
  STACK_TYPE,
  type CriticalPath,
  type ResourceGraph,
  type ResourceRecord,
} from "./graph";
import { assignGroups, groupOrder, kindOf } from "./groups";

export interface GroupSummary {
  readonly group: string;
  /** Custom resources per kind, kinds sorted by name; names in registration order. */
  readonly kinds: ReadonlyMap<string, readonly string[]>;
  readonly count: number;
}

export interface PlanAnalysis {
  readonly graph: ResourceGraph;
  readonly groupOf: ReadonlyMap<string, string>;
  readonly groups: readonly GroupSummary[];
  readonly critical: CriticalPath;
  /** Custom resources (what `pulumi up` creates), without the stack. */
  readonly resourceCount: number;
  readonly componentCount: number;
  readonly countsByKind: ReadonlyMap<string, number>;
  /** Types no duration rule covers: the model needs an entry for them. */
  readonly unmodelledTypes: readonly string[];
  /** Which rule weighted each custom resource (undefined when unmodelled). */
  readonly ruleOf: ReadonlyMap<string, DurationRule | undefined>;
}

export function analyze(records: readonly ResourceRecord[]): PlanAnalysis {
  const ruleOf = new Map<string, DurationRule | undefined>();
  const graph = buildGraph(records, (record) => {
    const modelled = modelDuration(record.type, record.inputs ?? {});
    ruleOf.set(record.urn, modelled.rule);
    return modelled.seconds;
  });
  const critical = criticalPath(graph);
  const groupOf = assignGroups(records);

  const nodes = [...graph.nodes.values()];
  const countsByKind = new Map<string, number>();
  for (const node of nodes) {
    const kind = kindOf(node.record.type);
    countsByKind.set(kind, (countsByKind.get(kind) ?? 0) + 1);
  }
  const groups = groupOrder(records, groupOf).map((group): GroupSummary => {
    const members = nodes.filter((n) => groupOf.get(n.record.urn) === group);
    const kinds = new Map<string, string[]>();
    for (const n of members) {
      const kind = kindOf(n.record.type);
      kinds.set(kind, [...(kinds.get(kind) ?? []), n.record.name]);
    }
    const sorted = new Map([...kinds.entries()].sort(([a], [b]) => a.localeCompare(b)));
    return { group, kinds: sorted, count: members.length };
  });
  const unmodelled = nodes.filter((n) => ruleOf.get(n.record.urn) === undefined).map((n) => n.record.type);

  return {
    graph,
    groupOf,
    groups,
    critical,
    resourceCount: nodes.length,
    componentCount: records.filter((r) => !r.custom && r.type !== STACK_TYPE).length,
    countsByKind: new Map([...countsByKind.entries()].sort(([a], [b]) => a.localeCompare(b))),
    unmodelledTypes: [...new Set(unmodelled)].sort(),
    ruleOf,
  };
}

/** `6.5 min` / `45 s`: minutes once a figure reaches a minute. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  return `${(seconds / 60).toFixed(1)} min`;
}
