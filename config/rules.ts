// Rules that relate several fields, checked against what the real APIs accept: topology against roles and
// networks, real places, address slots and capacity, GCP name limits, the CA and the Istio version skew.
// Each returns problems as "<field>: <message>" so the user sees exactly what to change.
import { planAddresses, type AddressPlan } from "../addressing/plan";
import { capacityProblems } from "../addressing/capacity";
import { checkLocation, defaultZoneCount } from "../gcp/locations";
import { NAME_RULES } from "../gcp/names";
import { isCreated, type CreatedCluster } from "./clusterKinds";
import { EXISTING_CLUSTER_RULES } from "./existing";
import { meshGcpNames, meshGcpResources, type NamedThing } from "./gcpNames";
import { authorizedNetworks } from "./authorizedNetworks";
import { caRootProblems } from "./caRoot";
import { caRotationRule } from "./caRotation";
import type { ClusterField, ParsedCluster } from "./parseClusters";
import { revisionProblems } from "./revisionRules";
import type { MeshSettings } from "./schema";
import { versionSkewProblems } from "./versionSkew";
import { validityEncodable } from "./validity";

export interface RuleInput {
  /** Every top-level setting that parsed (with its default). */
  settings: Partial<MeshSettings>;
  /** Keys (and `clusters[i]`) that did not parse. */
  failed: ReadonlySet<string>;
  /** The clusters whose fields this rule reads parsed, with where they sit in the config. */
  clusters: readonly ParsedCluster[];
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
  /** What the rule checks, in plain words, for "waiting" notes when it cannot run. */
  what: string;
  /** Settings the rule reads: it waits (and says so) while one of them is itself invalid. */
  needs: readonly (keyof MeshSettings)[];
  /** Cluster fields the rule reads: a cluster with one of them invalid is left out. Default: every field. */
  clusterFields?: readonly ClusterField[];
  /**
   * The verdict looks across clusters (counts, collisions, the primary): clusters it leaves out are named
   * in a note, and a cluster whose name repeats an earlier one is left out silently (reported once).
   */
  acrossClusters?: boolean;
  /** Only clusters the program creates concern it: an existing cluster neither takes part nor waits. */
  createdClustersOnly?: boolean;
  /** Whether the rule has anything to check here (no "waiting" note otherwise). Default: always. */
  applies?(input: Omit<RuleInput, "clusters"> & { clusters: readonly ParsedCluster[] }): boolean;
  check(input: RuleInput): string[];
}

const uniqueClusterNames: Rule = {
  what: "unique cluster names",
  needs: [],
  clusterFields: ["name"],
  check: ({ clusters }) =>
    clusters.flatMap(({ field, cluster }, i) => {
      const first = clusters.findIndex((o) => o.cluster.name === cluster.name);
      return first < i
        ? [`${field}.name: "${cluster.name}" is already used by ${clusters[first]!.field}`]
        : [];
    }),
};

const noRemoteInMultiPrimary: Rule = {
  what: "roles against the topology",
  needs: ["topology"],
  clusterFields: ["role"],
  check: ({ settings, clusters }) =>
    settings.topology !== "multi-primary"
      ? []
      : clusters
          .filter(({ cluster }) => cluster.role === "remote")
          .map(
            ({ field }) =>
              `${field}.role: "remote" is not allowed in multi-primary (every cluster runs istiod)`,
          ),
};

const onePrimary: Rule = {
  what: "the one primary",
  needs: ["topology"],
  clusterFields: ["role"],
  acrossClusters: true,
  check: ({ settings, clusters }) => {
    const topology = settings.topology!;
    if (topology === "multi-primary") return [];
    const primaries = clusters.filter(({ cluster }) => cluster.role === "primary").length;
    return primaries === 1 || clusters.length === 0
      ? []
      : [`clusters: ${topology} needs exactly one cluster with role "primary", found ${primaries}`];
  },
};

const oneNetworkForSharedControlPlane: Rule = {
  what: "one network for a shared control plane",
  needs: ["topology"],
  clusterFields: ["network"],
  acrossClusters: true,
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
  what: "real locations",
  needs: [],
  clusterFields: ["location"],
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
  clusters.filter((c): c is typeof c & { cluster: CreatedCluster } => isCreated(c.cluster));

/**
 * The last address plan made, by what it was made from: the address and capacity rules of one validation
 * ask for the same one (each rule gets its own input, so the requests are the key).
 */
let lastAddressPlan: { key: string; plan: AddressPlan } | undefined;
function addressPlanOf(input: RuleInput): AddressPlan {
  const requests = created(input.clusters).map(({ field, cluster }) => ({ ...cluster, field }));
  const privateNodes = input.settings.privateNodes!;
  const key = JSON.stringify([privateNodes, requests]);
  if (lastAddressPlan?.key !== key) lastAddressPlan = { key, plan: planAddresses(requests, privateNodes) };
  return lastAddressPlan.plan;
}

const addresses: Rule = {
  what: "the address plan",
  needs: ["privateNodes"],
  clusterFields: ["name", "existing", "location", "nodePool", "slot", "nodeCidr", "podCidr", "serviceCidr"],
  acrossClusters: true,
  createdClustersOnly: true,
  check: (input) => [...addressPlanOf(input).problems],
};

const capacity: Rule = {
  what: "node capacity",
  needs: ["privateNodes", "topology"],
  acrossClusters: true,
  createdClustersOnly: true,
  check: (input) => {
    const plan = addressPlanOf(input);
    // Internal addresses the plan reserves in a node subnet (istiod's, in a shared control plane).
    const resources = meshGcpResources(input);
    return created(input.clusters).flatMap(({ field, cluster }) => {
      const ranges = plan.ranges.get(cluster.name)!;
      const internal = resources.filter((r) => r.inSubnetOf === cluster.name).length;
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
  what: "GCP names",
  needs: ["privateNodes", "topology", "onlineBoutique", "fleet"],
  acrossClusters: true,
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
  what: "the bring-your-own root CA",
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
  what: "CA validity periods",
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
  what: "a sample for verifyOnUp",
  needs: ["verifyOnUp", "helloworld", "bookinfo", "httpbin"],
  check: ({ settings }) =>
    settings.verifyOnUp && !settings.helloworld && !settings.bookinfo && !settings.httpbin
      ? ["verifyOnUp: needs a sample that crosses clusters to check: helloworld, bookinfo or httpbin: true"]
      : [],
};

const istioSkew: Rule = {
  what: "Istio version skew",
  needs: ["istioVersion", "topology"],
  clusterFields: ["role", "istioVersion"],
  acrossClusters: true,
  check: ({ settings, clusters }) => versionSkewProblems(settings.istioVersion!, clusters),
};

const istioRevisions: Rule = {
  what: "canary revisions (istioRevisions)",
  needs: ["istioVersion", "istioRevisions"],
  clusterFields: ["name", "role", "istioVersion"],
  acrossClusters: true,
  applies: ({ settings }) => settings.istioRevisions !== undefined,
  check: ({ settings, clusters }) =>
    settings.istioRevisions
      ? revisionProblems({
          meshVersion: settings.istioVersion!,
          revisions: settings.istioRevisions,
          clusters,
        })
      : [],
};

export const CROSS_FIELD_RULES: readonly Rule[] = [
  uniqueClusterNames,
  noRemoteInMultiPrimary,
  onePrimary,
  oneNetworkForSharedControlPlane,
  realPlaces,
  addresses,
  capacity,
  gcpNames,
  caRoot,
  caRotationRule,
  caValidity,
  validityEncodable,
  samplesNeedEachOther,
  istioSkew,
  istioRevisions,
  authorizedNetworks,
  ...EXISTING_CLUSTER_RULES,
];
