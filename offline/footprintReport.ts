// The footprint as text under the plan: per cluster, per region and project-wide, each count with the
// quota it draws on (Compute Engine quota metrics as `gcloud compute regions describe` and
// `gcloud compute project-info describe` list them; GKE and fleet limits from their quota pages).
import type { Footprint } from "./footprint";
import { namesLine } from "./render";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const vcpus = (n: number | undefined) =>
  n === undefined ? "? vCPUs (unknown machine type)" : plural(n, "vCPU");

/** Where each project-wide kind counts (Compute Engine project quotas; the fleet's membership quota). */
const PROJECT_QUOTA: Record<string, string> = {
  networks: "NETWORKS",
  subnets: "SUBNETWORKS",
  firewalls: "FIREWALLS",
  routers: "ROUTERS",
  "Cloud NAT": "one per router",
  "service accounts": "IAM service accounts per project",
  "fleet memberships": "GKE Hub: 50 memberships per fleet",
};

export function renderFootprint(footprint: Footprint): string {
  const lines = [
    `GCP footprint in project "${footprint.project}" (real names; [the quota each draws on]):`,
    "  GKE clusters [GKE limit: 100 zonal clusters per zone plus 100 regional clusters per region]",
  ];
  if (footprint.clusters.length === 0) lines.push("    none created (existing clusters use their own quota)");
  const width = Math.max(0, ...footprint.clusters.map((c) => c.gkeName.length));
  for (const c of footprint.clusters) {
    const kind = c.zones === 1 ? "zonal, 1 zone" : `regional, ${c.zones} zones`;
    lines.push(
      `    ${c.gkeName.padEnd(width)}  ${c.location} (${kind}): ${c.nodes / c.zones} x ${c.machineType}` +
        `${c.spot ? " spot" : ""} per zone = ${plural(c.nodes, "node")}, ${vcpus(c.vcpus)}, ` +
        `${c.diskGb} GB boot disk`,
    );
  }
  lines.push("  Per region");
  for (const r of footprint.regions) {
    const spot =
      r.spotVcpus > 0 ? ` (${r.spotVcpus} of them spot: PREEMPTIBLE_CPUS where the project has it)` : "";
    const elsewhere = r.project === footprint.project ? "" : ` (project "${r.project}")`;
    lines.push(
      ...(r.nodes > 0 || elsewhere === ""
        ? [
            `    ${r.region}${elsewhere}: ${plural(r.nodes, "node")}, ${vcpus(r.vcpus)} [CPUS]${spot}; ` +
              `${r.diskGb} GB pd-balanced boot disks [SSD_TOTAL_GB]`,
            `      upgrades surge ${plural(r.surgeNodes, "node")} more, ${vcpus(r.surgeVcpus)}; clusters: ` +
              `${r.zonalClusters} zonal, ${r.regionalClusters} regional`,
          ]
        : [`    ${r.region}${elsewhere}: no nodes created by this mesh`]),
      `      external IPs in use ${r.inUseAddresses} [IN_USE_ADDRESSES]; reserved external ` +
        `${r.externalAddresses.length} [STATIC_ADDRESSES]${r.externalAddresses.length > 0 ? `: ${namesLine(r.externalAddresses)}` : ""}` +
        (r.internalAddresses.length > 0
          ? `; reserved internal ${r.internalAddresses.length} [INTERNAL_ADDRESSES]: ${namesLine(r.internalAddresses)}`
          : ""),
    );
  }
  lines.push("  Project-wide");
  for (const [kind, names] of footprint.names) {
    if (names.length === 0) continue;
    lines.push(`    ${kind} ${names.length} [${PROJECT_QUOTA[kind] ?? "-"}]: ${namesLine(names)}`);
  }
  lines.push(
    "  While a cluster is created GKE also boots its default pool (one node per zone) before removing it;",
    "  LoadBalancer Services (east-west gateways, ingress, private istiod) each add a forwarding rule.",
  );
  return `${lines.join("\n")}\n`;
}
