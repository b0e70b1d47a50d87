// masterAuthorizedNetworks: the created clusters' API servers accept only the operators' CIDRs and the
// mesh's NAT addresses. Every primary's istiod reads the API server of each cluster it watches, so the
// list must hold every address such an istiod calls from; the program knows them only for the clusters it
// creates.
import { isCreated } from "./clusterKinds";
import { meshGcpResources } from "./gcpNames";
import type { Rule } from "./rules";

/** GKE's limit on authorized networks for a cluster with a public endpoint. */
const MAX_AUTHORIZED_NETWORKS = 50;

export const authorizedNetworks: Rule = {
  what: "authorized networks",
  needs: ["masterAuthorizedNetworks", "privateNodes"],
  acrossClusters: true,
  applies: ({ settings, failed }) =>
    failed.has("masterAuthorizedNetworks") || (settings.masterAuthorizedNetworks ?? []).length > 0,
  check: ({ settings, clusters, ...rest }) => {
    const operators = settings.masterAuthorizedNetworks!;
    if (operators.length === 0) return [];
    const problems: string[] = [];
    if (!settings.privateNodes) {
      problems.push(
        "masterAuthorizedNetworks: needs privateNodes: true: istiod in every other cluster reads each API server, " +
          "and only private nodes reach it from addresses known in advance (the mesh's NAT addresses)",
      );
    }
    operators.forEach((cidr, i) => {
      if (cidr.endsWith("/0")) {
        problems.push(
          `masterAuthorizedNetworks[${i}]: "${cidr}" authorizes the whole internet: leave the list empty instead`,
        );
      }
    });
    // An existing primary's istiod reads the created clusters' API servers from its own egress addresses,
    // which the program neither knows nor authorizes: it would never discover those clusters.
    const created = clusters.filter(({ cluster }) => isCreated(cluster));
    if (created.length > 0) {
      for (const { field, cluster } of clusters) {
        if (cluster.existing === undefined || cluster.role !== "primary") continue;
        problems.push(
          `masterAuthorizedNetworks: shuts out istiod of ${field} (${field}.existing: ${cluster.existing}, a primary), which ` +
            `reads the API servers of the clusters this program creates from addresses the program does not know: ` +
            `leave masterAuthorizedNetworks empty, or run istiod only in created clusters (topology: primary-remote ` +
            `with a created primary and ${field}.role: remote)`,
        );
      }
    }
    const nat = meshGcpResources({ settings, clusters, ...rest }).filter(
      (r) => r.what === "natAddress",
    ).length;
    if (settings.privateNodes && operators.length + nat > MAX_AUTHORIZED_NETWORKS) {
      problems.push(
        `masterAuthorizedNetworks: ${operators.length} operator CIDRs plus the mesh's ${nat} NAT addresses exceed ` +
          `GKE's ${MAX_AUTHORIZED_NETWORKS} authorized networks per cluster`,
      );
    }
    return problems;
  },
};
