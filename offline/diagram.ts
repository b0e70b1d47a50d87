// Pictures of the graph: Mermaid (renders on GitHub) and Graphviz DOT, one box per cluster. Small graphs
// show every resource; large ones collapse each top-level component into one node per cluster, and
// edges implied by longer routes are dropped so that N=8 stays legible.
import { formatDuration, type PlanAnalysis } from "./analysis";
import { STACK_TYPE, type ResourceRecord } from "./graph";
import { kindOf } from "./groups";
import type { ReportHeading } from "./render";

export type Detail = "full" | "collapsed" | "auto";

/** Above this many resources `auto` collapses components. */
export const FULL_DETAIL_LIMIT = 60;

export interface DiagramNode {
  readonly id: string;
  label: string;
  readonly group: string;
  /** URNs of the custom resources drawn as this node. */
  readonly members: string[];
  family: Family;
  critical: boolean;
}

export interface Diagram {
  readonly nodes: readonly DiagramNode[];
  /** [from, to]: `to` waits for `from`. */
  readonly edges: readonly (readonly [string, string])[];
  /** `from>to` for edges between consecutive steps of the critical path. */
  readonly criticalEdges: ReadonlySet<string>;
  readonly groups: readonly string[];
  readonly collapsed: boolean;
}

/** The components between a resource and the stack, innermost first. */
function componentsAbove(
  record: ResourceRecord,
  records: ReadonlyMap<string, ResourceRecord>,
): ResourceRecord[] {
  const found: ResourceRecord[] = [];
  for (let at = records.get(record.parent); at && at.type !== STACK_TYPE; at = records.get(at.parent)) {
    if (!at.custom) found.push(at);
  }
  return found;
}

/**
 * The outermost component of a resource that does not enclose the whole mesh: a wrapper around every
 * resource (the MulticlusterMesh component) would collapse each cluster into a single box.
 */
function outermostComponent(
  record: ResourceRecord,
  records: ReadonlyMap<string, ResourceRecord>,
  enclosing: ReadonlySet<string>,
): ResourceRecord | undefined {
  return componentsAbove(record, records)
    .filter((c) => !enclosing.has(c.urn))
    .pop();
}

/** Components that are ancestors of every custom resource. */
function enclosingComponents(records: readonly ResourceRecord[], byUrn: ReadonlyMap<string, ResourceRecord>) {
  let common: Set<string> | undefined;
  for (const record of records.filter((r) => r.custom)) {
    const above = new Set(componentsAbove(record, byUrn).map((c) => c.urn));
    common = common ? new Set([...common].filter((urn) => above.has(urn))) : above;
  }
  return common ?? new Set<string>();
}

/** Which family a resource is drawn in (fill colour and legend): its package, providers apart. */
export type Family = "gcp" | "kubernetes" | "tls" | "provider" | "other";

/** A collapsed node mixes families (an ingress gateway: one address, three objects): the most common wins. */
function majorityFamily(types: readonly string[]): Family {
  const counts = new Map<Family, number>();
  for (const type of types) counts.set(familyOf(type), (counts.get(familyOf(type)) ?? 0) + 1);
  return [...counts].reduce((best, entry) => (entry[1] > best[1] ? entry : best))[0];
}

function familyOf(type: string): Family {
  if (type.startsWith("pulumi:providers:")) return "provider";
  const pkg = type.split(":")[0];
  return pkg === "gcp" || pkg === "kubernetes" || pkg === "tls" ? pkg : "other";
}

export function buildDiagram(analysis: PlanAnalysis, detail: Detail): Diagram {
  const { graph, groupOf } = analysis;
  const collapsed = detail === "collapsed" || (detail === "auto" && graph.nodes.size > FULL_DETAIL_LIMIT);
  const nodeOf = new Map<string, DiagramNode>();
  const byKey = new Map<string, DiagramNode>();

  // Collapsed, all components of one type in one cluster share a node (the 7 remote secrets of a cluster).
  const componentsOf = new Map<DiagramNode, Set<ResourceRecord>>();
  const enclosing = collapsed
    ? enclosingComponents(
        [...graph.nodes.values()].map((n) => n.record),
        graph.records,
      )
    : new Set<string>();
  for (const { record } of graph.nodes.values()) {
    const group = groupOf.get(record.urn) ?? "mesh";
    const component = collapsed ? outermostComponent(record, graph.records, enclosing) : undefined;
    const key = component ? `${component.type}|${group}` : record.urn;
    let node = byKey.get(key);
    if (!node) {
      node = {
        id: `n${byKey.size}`,
        label: `${record.name}\n${kindOf(record.type)}`,
        group,
        members: [],
        family: familyOf(record.type),
        critical: false,
      };
      byKey.set(key, node);
    }
    node.members.push(record.urn);
    nodeOf.set(record.urn, node);
    if (component) componentsOf.set(node, (componentsOf.get(node) ?? new Set()).add(component));
  }
  const nodes = [...byKey.values()];
  for (const node of nodes)
    node.family = majorityFamily(node.members.map((urn) => graph.records.get(urn)!.type));
  for (const [node, components] of componentsOf) {
    const [first] = components;
    const kind = kindOf(first!.type).split(":")[1];
    node.label = components.size === 1 ? `${first!.name}\n${kind}` : `${components.size} × ${kind}`;
    node.label += ` (${node.members.length})`;
  }

  const criticalEdges = new Set<string>();
  const path = analysis.critical.path.map((step) => nodeOf.get(step.node.record.urn)!);
  path.forEach((node, i) => {
    node.critical = true;
    const before = path[i - 1];
    if (before && before !== node) criticalEdges.add(`${before.id}>${node.id}`);
  });

  const edgeSet = new Set<string>();
  for (const node of graph.nodes.values()) {
    const to = nodeOf.get(node.record.urn)!;
    for (const dep of node.waitsOn) {
      const from = nodeOf.get(dep)!;
      if (from !== to) edgeSet.add(`${from.id}>${to.id}`);
    }
  }
  const edges = withoutImpliedEdges(nodes, edgeSet, criticalEdges);
  const groups = analysis.groups.map((g) => g.group).filter((g) => nodes.some((n) => n.group === g));
  return { nodes, edges, criticalEdges, groups, collapsed };
}

/** Drops u->v when v is reachable from u another way (transitive reduction; critical edges are kept). */
function withoutImpliedEdges(
  nodes: readonly DiagramNode[],
  edgeSet: ReadonlySet<string>,
  keep: ReadonlySet<string>,
): [string, string][] {
  const successors = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const edge of edgeSet) {
    const [from, to] = edge.split(">") as [string, string];
    successors.get(from)!.push(to);
  }
  const reachable = new Map<string, Set<string>>();
  const reach = (id: string): Set<string> => {
    let found = reachable.get(id);
    if (found) return found;
    found = new Set();
    reachable.set(id, found); // the graph is acyclic (criticalPath checked), so no re-entry
    for (const next of successors.get(id)!) {
      found.add(next);
      for (const further of reach(next)) found.add(further);
    }
    return found;
  };
  const result: [string, string][] = [];
  for (const [from, tos] of successors) {
    for (const to of tos) {
      const implied = tos.some((other) => other !== to && reach(other).has(to));
      if (!implied || keep.has(`${from}>${to}`)) result.push([from, to]);
    }
  }
  return result;
}

const mermaidText = (text: string) => text.replace(/"/g, "#quot;").replace(/\n/g, "<br/>");

export function renderMermaid(diagram: Diagram): string {
  const lines = ["flowchart LR"];
  diagram.groups.forEach((group, i) => {
    lines.push(`  subgraph g${i}["${mermaidText(group)}"]`);
    for (const node of diagram.nodes.filter((n) => n.group === group)) {
      lines.push(`    ${node.id}["${mermaidText(node.label)}"]`);
    }
    lines.push("  end");
  });
  const critical = new Set(diagram.nodes.filter((n) => n.critical).map((n) => n.id));
  for (const [from, to] of diagram.edges) {
    lines.push(`  ${from} ${diagram.criticalEdges.has(`${from}>${to}`) ? "==>" : "-->"} ${to}`);
  }
  if (critical.size > 0) {
    lines.push("  classDef critical stroke:#d62728,stroke-width:3px");
    lines.push(`  class ${[...critical].join(",")} critical`);
  }
  return `${lines.join("\n")}\n`;
}

const dotText = (text: string) => text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

/** Fill colour per family; the legend explains them. */
const FAMILY_STYLE: Record<Family, { fill: string; legend: string }> = {
  gcp: { fill: "#dbeafe", legend: "Google Cloud (VPC, GKE, IAM, addresses)" },
  provider: { fill: "#ede9fe", legend: "Kubernetes provider of a cluster" },
  kubernetes: { fill: "#dcfce7", legend: "Kubernetes object or Helm release" },
  tls: { fill: "#fef3c7", legend: "mesh CA (keys and certificates)" },
  other: { fill: "#f3f4f6", legend: "other" },
};
const CRITICAL = "#d62728";

/** A plain-text legend node (HTML label), kept out of the cluster boxes. */
function dotLegend(diagram: Diagram): string[] {
  const families = (Object.keys(FAMILY_STYLE) as Family[]).filter((f) =>
    diagram.nodes.some((n) => n.family === f),
  );
  const rows = families.map(
    (f) =>
      `<TR><TD BGCOLOR="${FAMILY_STYLE[f].fill}" WIDTH="24"> </TD><TD ALIGN="LEFT">${FAMILY_STYLE[f].legend}</TD></TR>`,
  );
  rows.push(
    `<TR><TD BORDER="2" COLOR="${CRITICAL}"> </TD><TD ALIGN="LEFT"><FONT COLOR="${CRITICAL}">critical path (red boxes and arrows)</FONT></TD></TR>`,
    `<TR><TD COLSPAN="2" ALIGN="LEFT">arrow: from a resource to what waits for it</TD></TR>`,
  );
  return [
    "  subgraph legend_group {",
    "    rank=sink;",
    `    legend [shape=plaintext, margin=0, label=<<TABLE BORDER="1" COLOR="gray60" CELLBORDER="0" CELLSPACING="4" CELLPADDING="2"><TR><TD COLSPAN="2"><B>Legend</B></TD></TR>${rows.join("")}</TABLE>>];`,
    "  }",
  ];
}

export function renderDot(diagram: Diagram, title: string): string {
  const lines = [
    `digraph "${dotText(title)}" {`,
    "  rankdir=LR;",
    "  compound=true;",
    "  newrank=true;",
    "  nodesep=0.25;",
    "  ranksep=0.45;",
    `  label="${dotText(title)}"; labelloc=t; fontname="Helvetica"; fontsize=18; pad=0.3;`,
    '  node [shape=box, style="rounded,filled", fillcolor="#f3f4f6", color=gray45, fontname="Helvetica", fontsize=10, margin="0.14,0.06"];',
    "  edge [color=gray50, arrowsize=0.7];",
  ];
  diagram.groups.forEach((group, i) => {
    const mesh = i === 0 && diagram.groups.length > 1 && group === "mesh";
    lines.push(`  subgraph cluster_${i} {`);
    lines.push(
      `    label="${dotText(mesh ? "mesh-wide" : `cluster ${group}`)}"; fontsize=14; fontname="Helvetica-Bold";` +
        ` style="rounded,filled"; color=gray55; fillcolor="${mesh ? "#fafafa" : "#f8fbff"}";`,
    );
    for (const node of diagram.nodes.filter((n) => n.group === group)) {
      const fill = `fillcolor="${FAMILY_STYLE[node.family].fill}"`;
      const highlight = node.critical ? `, color="${CRITICAL}", penwidth=2.5` : "";
      lines.push(`    ${node.id} [label="${dotText(node.label)}", ${fill}${highlight}];`);
    }
    lines.push("  }");
  });
  for (const [from, to] of diagram.edges) {
    const critical = diagram.criticalEdges.has(`${from}>${to}`);
    lines.push(`  ${from} -> ${to}${critical ? ` [color="${CRITICAL}", penwidth=2.5]` : ""};`);
  }
  lines.push(...dotLegend(diagram));
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

/**
 * Mermaid's default limits: a diagram text above maxTextSize or with more edges than maxEdges is not drawn
 * (mermaid-js/mermaid packages/mermaid/src/schemas/config.schema.yaml: maxTextSize 50000, maxEdges 500).
 */
export const MERMAID_MAX_TEXT_SIZE = 50_000;
export const MERMAID_MAX_EDGES = 500;

export const fitsMermaid = (diagram: Diagram, text = renderMermaid(diagram)) =>
  diagram.edges.length <= MERMAID_MAX_EDGES && text.length <= MERMAID_MAX_TEXT_SIZE;

/**
 * The Markdown page: summary, the Mermaid picture and the critical path as a table. A full picture past
 * Mermaid's limits falls back to the collapsed one; one that still does not fit is left out, with a note.
 */
export function renderMarkdown(analysis: PlanAnalysis, requested: Diagram, heading: ReportHeading): string {
  const { critical } = analysis;
  const topology = heading.topology ? ` (${heading.topology})` : "";
  const fallback =
    fitsMermaid(requested) || requested.collapsed ? undefined : buildDiagram(analysis, "collapsed");
  const diagram = fallback ?? requested;
  const mermaid = renderMermaid(diagram);
  const fits = fitsMermaid(diagram, mermaid);
  const limits = `Mermaid's default limits (${MERMAID_MAX_EDGES} edges, ${MERMAID_MAX_TEXT_SIZE} characters)`;
  const view =
    (fallback ? `The full picture would pass ${limits}, so it is collapsed: ` : "") +
    (diagram.collapsed
      ? "Each box is one kind of top-level component in one cluster (resources in brackets)."
      : "Each box is one resource.");
  const rows = critical.path.map((step, i) => {
    const { record } = step.node;
    const group = analysis.groupOf.get(record.urn) ?? "?";
    return `| ${i + 1} | ${formatDuration(step.start)} | ${formatDuration(step.finish)} | ${kindOf(record.type)} | ${record.name} | ${group} |`;
  });
  return [
    `# Plan of stack \`${heading.stack}\`${topology}`,
    "",
    `${analysis.resourceCount} resources in ${analysis.groups.length} groups. Critical path ` +
      `${formatDuration(critical.seconds)} in ${critical.path.length} steps; sequential sum ` +
      `${formatDuration(critical.sequentialSeconds)} (duration model: \`offline/durations.ts\`).`,
    "",
    `${view} Arrows point from a resource to what waits for it; thick arrows and red boxes are the ` +
      "critical path. Arrows implied by a longer route are left out.",
    "",
    ...(fits
      ? ["```mermaid", mermaid.trimEnd(), "```"]
      : [`Even collapsed the picture passes ${limits}: open the SVG written beside this file.`]),
    "",
    "## Critical path",
    "",
    "| step | start | finish | kind | resource | group |",
    "|---|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}
