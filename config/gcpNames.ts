// Every GCP name the validated settings will produce (gcp/names.ts derives them), with the fields that
// produce it, the scope it must be unique in, and what is wrong with it.
import { regionOf } from "../gcp/locations";
import {
  clusterGcpNames,
  NAME_RULES,
  nameRuleProblem,
  networkGcpNames,
  nodeServiceAccountId,
  type NameKind,
} from "../gcp/names";
import { natAddressesByRegion } from "../gcp/nat";
import type { RuleInput } from "./rules";
import { isCreated, isOnGke, type CreatedCluster } from "./clusterKinds";
import type { ClusterConfig } from "./schema";

/** NAT addresses per network and region, as the planner reserves them for the created clusters' nodes. */
export function meshNatCounts(clusters: readonly ClusterConfig[]): Map<string, Map<string, number>> {
  return natAddressesByRegion(
    clusters
      .filter(isCreated)
      .map((c) => ({ network: c.network, location: c.location, nodeCount: c.nodePool.nodeCount })),
  );
}

export interface NamedThing {
  readonly kind: NameKind;
  /** Where the name must be unique: "project", a region, a location, a cluster... */
  readonly scope: string;
  readonly name: string;
  /** The field a user most likely changes, first in the message. */
  readonly field: string;
  /** Everything the name is made of. */
  readonly parts: readonly string[];
  readonly problem?: string;
}

export function meshGcpNames(input: RuleInput): NamedThing[] {
  const { settings, clusters, namePrefix: prefix, namePrefixField } = input;
  const things: NamedThing[] = [];
  const add = (kind: NameKind, scope: string, name: string, parts: readonly string[]) => {
    const problem = nameRuleProblem(NAME_RULES[kind], name);
    const made = parts.length > 1 ? ` (made of ${parts.join(", ")}: shorten one of them)` : "";
    things.push({
      kind,
      scope,
      name,
      field: parts[0]!,
      parts,
      ...(problem ? { problem: `${problem}${made}` } : {}),
    });
  };

  add("serviceAccount", "project", nodeServiceAccountId(prefix), [namePrefixField]);

  const multiNetwork = new Set(clusters.map(({ cluster }) => cluster.network)).size > 1;
  // VPCs, firewalls and NAT exist for the networks of the clusters the program creates.
  const mine = clusters.filter((c): c is typeof c & { cluster: CreatedCluster } => isCreated(c.cluster));
  const networks = [...new Set(mine.map(({ cluster }) => cluster.network))];
  const natCounts = meshNatCounts(mine.map(({ cluster }) => cluster));
  for (const network of networks) {
    const members = mine.filter(({ cluster }) => cluster.network === network);
    const parts = [`${members[0]!.field}.network`, namePrefixField];
    const names = networkGcpNames(prefix, network);
    add("gce", "project", names.vpc, parts);
    if (members.length > 1) add("gce", "project", names.meshPodsFirewall, parts);
    if (settings.privateNodes) {
      add("gce", "project", names.webhooksFirewall, parts);
      for (const region of new Set(members.map(({ cluster }) => regionOf(cluster.location)))) {
        const withRegion = [...parts, `the region ${region}`];
        add("gce", region, names.router(region), withRegion);
        add("nat", `${region}/${names.router(region)}`, names.nat(region), withRegion);
        for (let i = 0; i < (natCounts.get(network)?.get(region) ?? 0); i++) {
          add("gce", region, names.natAddress(region, i), withRegion);
        }
      }
    }
  }

  // Duplicate cluster names are reported on their own (rules.ts); their names would only repeat that.
  const unique = clusters.filter(
    (c, i) => clusters.findIndex((o) => o.cluster.name === c.cluster.name) === i,
  );
  for (const { field, cluster } of unique) {
    if (!isOnGke(cluster)) continue; // a kubeconfig cluster has no GCP resources
    const region = regionOf(cluster.location);
    const parts = [`${field}.name`, namePrefixField];
    const names = clusterGcpNames(prefix, cluster.name, cluster.nodePool?.spot ?? false);
    if (settings.fleet) add("membership", "fleet", names.fleetMembership, parts);
    if (isCreated(cluster)) {
      add("gkeCluster", cluster.location, names.gkeCluster, parts);
      add("nodePool", names.gkeCluster, names.nodePool, [`${field}.nodePool.spot`]);
      add("gce", region, names.subnet, parts);
      add("gce", names.subnet, names.podRange, [`${field}.name`]);
      add("gce", names.subnet, names.serviceRange, [`${field}.name`]);
      add("networkTag", `tag ${names.nodeTag}`, names.nodeTag, parts);
    }
    const primaryRemote = settings.topology === "primary-remote" && cluster.role === "primary";
    if (multiNetwork || primaryRemote) add("gce", region, names.eastWestAddress, parts);
    if (settings.topology === "shared-control-plane" && cluster.role === "primary") {
      add("gce", region, names.istiodAddress, parts);
    }
    if (settings.onlineBoutique) add("gce", region, names.ingressAddress, parts);
  }
  return things;
}
