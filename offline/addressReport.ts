// The address plan as a reader needs it: every cluster's slot and ranges, and the lines that pin them in
// the stack file so that no later change of the list can ever move them.
import type { CreatedClusterPlan, MeshPlan } from "../plan/types";

export function renderAddresses(plan: MeshPlan): string {
  // Existing clusters bring their own ranges: only the clusters the program creates have a slot.
  const created = plan.clusters.filter((c): c is CreatedClusterPlan => c.source === "created");
  if (created.length === 0) return "Address plan: no cluster is created by the program.\n";
  const rows = created.map((c) => ({
    name: c.name,
    slot: `${c.slot.slot}${c.slot.pinned ? " (pinned)" : ""}`,
    nodes: c.ranges.nodes,
    pods: c.ranges.pods,
    services: c.ranges.services,
    controlPlane: c.ranges.controlPlane ?? "-",
  }));
  const width = (key: keyof (typeof rows)[number], title: string) =>
    Math.max(title.length, ...rows.map((r) => r[key].length));
  const columns = [
    ["name", "cluster"],
    ["slot", "slot"],
    ["nodes", "nodes"],
    ["pods", "pods"],
    ["services", "services"],
    ["controlPlane", "control plane"],
  ] as const;
  const line = (cells: string[]) =>
    `  ${cells.map((c, i) => c.padEnd(width(columns[i]![0], columns[i]![1]))).join("  ")}`.trimEnd();
  const lines = [
    "Address plan: each cluster's ranges come from its own slot (first byte of SHA-256 of its name, unless",
    "pinned), so adding, removing or reordering clusters never moves them.",
    line(columns.map(([, title]) => title)),
    ...rows.map((r) => line(columns.map(([key]) => r[key]))),
    "",
    "To pin them in the stack file (a recorded slot never changes, whatever the names around it):",
    ...created.map((c) => `  - { name: ${c.name}, ..., slot: ${c.slot.slot} }`),
  ];
  return `${lines.join("\n")}\n`;
}
