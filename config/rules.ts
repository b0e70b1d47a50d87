// Rules that relate several fields, checked against what the real APIs accept: topology against roles and
// networks, real places, address slots and capacity, GCP name limits, the CA and the Istio version skew.
// Each returns problems as "<field>: <message>" so the user sees exactly what to change.
import { planAddresses } from "../addressing/plan";
import { capacityProblems } from "../addressing/capacity";
import { checkLocation, defaultZoneCount } from "../gcp/locations";
import { NAME_RULES } from "../gcp/names";
import { isCreated, type CreatedCluster } from "./clusterKinds";
import { EXISTING_CLUSTER_RULES } from "./existing";
import { meshGcpNames, meshNatCounts, type NamedThing } from "./gcpNames";
import { caRootProblems } from "./caRoot";
import { caRotationRule } from "./caRotation";
import type { ClusterConfig, MeshSettings } from "./schema";
import { versionSkewProblems } from "./versionSkew";

export interface RuleInput {
  /** Every top-level setting that parsed (with its default). */
  settings: Partial<MeshSettings>;
  /** Keys (and `clusters[i]`) that did not parse. */
  failed: ReadonlySet<string>;
  /** The clusters that parsed, with where they sit in the config. */
  clusters: readonly { field: string; cluster: ClusterConfig }[];
  namePrefix: string;
  /** How messages name the prefix's origin. */
  namePrefixField: string;
  caRootPrivateKey: string | undefined;
  /** Key of a rotation's bring-your-own new root (secret: never echoed). */
  caRotationNewRootPrivateKey: string | undefined;
  /** Kubeconfigs of the `existing: kubeconfig` clusters, by cluster name (secret: never echoed). */
  kubeconfigs: Readonly<Record<string, string>>;
  now: Date;
}

export interface Rule {
  /** Settings the rule reads: it is skipped when one of them is itself invalid (already reported). */
  needs: readonly (keyof MeshSettings)[];
  /** The verdict depends on every cluster (counts, the primary): skipped while any cluster is invalid. */
  needsEveryCluster?: boolean;
  check(input: RuleInput): string[];
}

const uniqueClusterNames: Rule = {
  needs: [],
  check: ({ clusters }) =>
    clusters.flatMap(({ field, cluster }, i) => {
      const first = clusters.findIndex((o) => o.cluster.name === cluster.name);
      return first < i
        ? [`${field}.name: "${cluster.name}" is already used by ${clusters[first]!.field}`]
        : [];
    }),
};

const rolesFitTopology: Rule = {
  needs: ["topology"],
  needsEveryCluster: true,
  check: ({ settings, clusters }) => {
    const topology = settings.topology!;
    if (topology === "multi-primary") {
      return clusters
        .filter(({ cluster }) => cluster.role === "remote")
        .map(
          ({ field }) =>
            `${field}.role: "remote" is not allowed in multi-primary (every cluster runs istiod)`,
        );
    }
    const primaries = clusters.filter(({ cluster }) => cluster.role === "primary").length;
    return primaries === 1 || clusters.length === 0
      ? []
      : [`clusters: ${topology} needs exactly one cluster with role "primary", found ${primaries}`];
  },
};

const oneNetworkForSharedControlPlane: Rule = {
  needs: ["topology"],
  needsEveryCluster: true,
  check: ({ settings, clusters }) => {
    if (settings.topology !== "shared-control-plane") return [];
    const first = clusters[0]?.cluster.network;
    return clusters
      .filter(({ cluster }) => cluster.network !== first)
      .map(
        ({ field, cluster }) =>
          `${field}.network: "${cluster.network}" differs from "${first}": shared-control-plane puts every cluster on one network`,
      );
  },
};

const realPlaces: Rule = {
  needs: [],
  check: ({ clusters }) =>
    clusters.flatMap(({ field, cluster }) => {
      if (cluster.location === undefined) return [];
      const check = checkLocation(cluster.location);
      if (check.ok) return [];
      const hint = check.suggestion ? `; did you mean "${check.suggestion}"?` : "";
      return [`${field}.location: "${cluster.location}" ${check.problem}${hint}`];
    }),
};

/** Address plans cover the clusters the program creates; existing clusters bring their own ranges. */
const created = (clusters: RuleInput["clusters"]) =>
  clusters.filter((c): c is { field: string; cluster: CreatedCluster } => isCreated(c.cluster));

const addresses: Rule = {
  needs: ["privateNodes"],
  check: ({ settings, clusters }) => [
    ...planAddresses(
      created(clusters).map(({ field, cluster }) => ({ ...cluster, field })),
      settings.privateNodes!,
    ).problems,
  ],
};

const capacity: Rule = {
  needs: ["privateNodes", "topology"],
  check: ({ settings, clusters }) => {
    const mine = created(clusters);
    const plan = planAddresses(
      mine.map(({ field, cluster }) => ({ ...cluster, field })),
      settings.privateNodes!,
    );
    return mine.flatMap(({ field, cluster }) => {
      const ranges = plan.ranges.get(cluster.name)!;
      // The shared control plane's primary keeps istiod's internal address in its node subnet.
      const internal = settings.topology === "shared-control-plane" && cluster.role === "primary" ? 1 : 0;
      return capacityProblems({
        field,
        nodeCount: cluster.nodePool.nodeCount,
        zones: defaultZoneCount(cluster.location),
        pods: ranges.pods,
        nodes: ranges.nodes,
        internalAddresses: internal,
      });
    });
  },
};

const gcpNames: Rule = {
  needs: ["privateNodes", "topology", "onlineBoutique", "fleet"],
  check: (input) => {
    const things = meshGcpNames(input);
    const problems = things.flatMap((t) => (t.problem ? [`${t.field}: ${t.problem}`] : []));
    // Names are unique per kind and scope (a region for subnets and addresses, the project for networks).
    const seen = new Map<string, NamedThing>();
    for (const t of things) {
      const key = `${t.kind}|${t.scope}|${t.name}`;
      const first = seen.get(key);
      if (first)
        problems.push(
          `${t.field}: ${NAME_RULES[t.kind].what} "${t.name}" is also derived from ${first.field}`,
        );
      else seen.set(key, t);
    }
    return problems;
  },
};

const caRoot: Rule = {
  needs: ["caRootCertificate", "caIntermediateValidityHours"],
  check: ({ settings, caRootPrivateKey, now }) =>
    caRootProblems({
      certificate: settings.caRootCertificate,
      privateKey: caRootPrivateKey,
      intermediateValidityHours: settings.caIntermediateValidityHours!,
      now,
    }),
};

const caValidity: Rule = {
  needs: ["caRootValidityHours", "caIntermediateValidityHours", "caEarlyRenewalHours", "caRootCertificate"],
  check: ({ settings }) => {
    const root = settings.caRootValidityHours!;
    const intermediate = settings.caIntermediateValidityHours!;
    const early = settings.caEarlyRenewalHours!;
    return [
      // A bring-your-own root has its own validity, checked against the intermediates in caRoot.
      ...(settings.caRootCertificate === undefined && intermediate >= root
        ? [`caIntermediateValidityHours: ${intermediate} must be shorter than caRootValidityHours (${root})`]
        : []),
      ...(early >= intermediate
        ? [`caEarlyRenewalHours: ${early} must be shorter than caIntermediateValidityHours (${intermediate})`]
        : []),
    ];
  },
};

const samplesNeedEachOther: Rule = {
  needs: ["verifyOnUp", "helloworld", "bookinfo", "httpbin"],
  check: ({ settings }) =>
    settings.verifyOnUp && !settings.helloworld && !settings.bookinfo && !settings.httpbin
      ? ["verifyOnUp: needs a sample that crosses clusters to check: helloworld, bookinfo or httpbin: true"]
      : [],
};

/** GKE's limit on authorized networks for a cluster with a public endpoint. */
const MAX_AUTHORIZED_NETWORKS = 50;

const authorizedNetworks: Rule = {
  needs: ["masterAuthorizedNetworks", "privateNodes"],
  check: ({ settings, clusters }) => {
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
    const nat = [...meshNatCounts(created(clusters).map((c) => c.cluster)).values()]
      .flatMap((regions) => [...regions.values()])
      .reduce((a, b) => a + b, 0);
    if (settings.privateNodes && operators.length + nat > MAX_AUTHORIZED_NETWORKS) {
      problems.push(
        `masterAuthorizedNetworks: ${operators.length} operator CIDRs plus the mesh's ${nat} NAT addresses exceed ` +
          `GKE's ${MAX_AUTHORIZED_NETWORKS} authorized networks per cluster`,
      );
    }
    return problems;
  },
};

const istioSkew: Rule = {
  needs: ["istioVersion", "topology"],
  needsEveryCluster: true,
  check: ({ settings, clusters }) => versionSkewProblems(settings.istioVersion!, clusters),
};

export const CROSS_FIELD_RULES: readonly Rule[] = [
  uniqueClusterNames,
  rolesFitTopology,
  oneNetworkForSharedControlPlane,
  realPlaces,
  addresses,
  capacity,
  gcpNames,
  caRoot,
  caRotationRule,
  caValidity,
  samplesNeedEachOther,
  istioSkew,
  authorizedNetworks,
  ...EXISTING_CLUSTER_RULES,
];
