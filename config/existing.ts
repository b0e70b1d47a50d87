// Rules for clusters the program does not create: what each kind must and must not say, where they may
// sit in a mesh, and the kubeconfigs behind `existing: kubeconfig` (checked without echoing a byte of them).
import { KubeconfigError, readKubeconfig } from "../kube/kubeconfig";
import { isCreated } from "./clusterKinds";
import { setKubeconfigCommand } from "./messages";
import type { Rule } from "./rules";

/** Settings that describe what the program builds for a cluster: meaningless for an existing one. */
export const BUILT_ONLY = ["nodePool", "slot", "nodeCidr", "podCidr", "serviceCidr"] as const;

const shapeByKind: Rule = {
  what: "the fields each kind of cluster takes",
  needs: [],
  clusterFields: ["existing"],
  check: ({ clusters }) =>
    clusters.flatMap(({ field, cluster, failed }) => {
      const problems: string[] = [];
      const kind = cluster.existing;
      // A field that did not parse (reported already) was given: it is present, not missing.
      const given = (key: keyof typeof cluster) => cluster[key] !== undefined || failed.has(key);
      if (kind !== "kubeconfig" && !given("location")) {
        problems.push(`${field}.location: is required (a zone like us-east1-b, or a region)`);
      }
      if (kind === "kubeconfig" && given("location")) {
        problems.push(
          `${field}.location: is not allowed with existing: kubeconfig (the cluster is reached through its kubeconfig, wherever it runs)`,
        );
      }
      if (kind !== "gke" && given("project")) {
        problems.push(
          `${field}.project: is only for existing: gke (the project an adopted GKE cluster lives in)`,
        );
      }
      if (kind !== "kubeconfig" && given("loadBalancerAddress")) {
        problems.push(
          `${field}.loadBalancerAddress: is only for existing: kubeconfig (GKE load balancers here use reserved IPs)`,
        );
      }
      if (kind !== undefined) {
        for (const key of BUILT_ONLY.filter(given)) {
          problems.push(
            `${field}.${key}: is not allowed with existing: ${kind} (the program does not create this cluster)`,
          );
        }
      }
      return problems;
    }),
};

const placeInTheMesh: Rule = {
  what: "where existing clusters may join",
  needs: ["topology"],
  clusterFields: ["existing", "network"],
  acrossClusters: true,
  check: ({ settings, clusters }) => {
    const existing = clusters.filter(({ cluster }) => cluster.existing !== undefined);
    if (settings.topology === "shared-control-plane") {
      return existing.map(
        ({ field, cluster }) =>
          `${field}.existing: shared-control-plane puts every cluster on the one VPC this program creates, ` +
          `so it accepts only clusters it creates (existing: ${cluster.existing} cannot join); multi-primary ` +
          `and primary-remote join existing clusters through east-west gateways`,
      );
    }
    // Created clusters share their network's VPC; an existing cluster is on another VPC (or platform).
    const createdNetworks = new Set(
      clusters.filter(({ cluster }) => isCreated(cluster)).map(({ cluster }) => cluster.network),
    );
    return existing
      .filter(({ cluster }) => createdNetworks.has(cluster.network))
      .map(
        ({ field, cluster }) =>
          `${field}.network: "${cluster.network}" is the network of clusters this program creates on its own VPC; ` +
          `an existing cluster cannot reach their pods directly: give it a network of its own`,
      );
  },
};

/** The API server of a kubeconfig's current context (kube/kubeconfig.ts readKubeconfig), or why not. */
export function kubeconfigServer(text: string): { server: string } | { problem: string } {
  try {
    return { server: readKubeconfig(text).cluster.server };
  } catch (e) {
    if (e instanceof KubeconfigError) return { problem: e.problem };
    throw e;
  }
}

const kubeconfigFiles: Rule = {
  what: "kubeconfigs of existing: kubeconfig clusters",
  needs: [],
  clusterFields: ["existing", "name"],
  acrossClusters: true,
  applies: ({ clusters, kubeconfigs }) =>
    Object.keys(kubeconfigs).length > 0 ||
    clusters.some(({ cluster, failed }) => cluster.existing === "kubeconfig" || failed.has("existing")),
  check: ({ clusters, kubeconfigs }) => {
    const problems: string[] = [];
    const wanted = clusters.filter(({ cluster }) => cluster.existing === "kubeconfig");
    for (const { field, cluster } of wanted) {
      const text = kubeconfigs[cluster.name];
      if (text === undefined) {
        problems.push(
          `${field}.existing: kubeconfig needs kubeconfigs.${cluster.name} ` +
            `(${setKubeconfigCommand(cluster.name)})`,
        );
        continue;
      }
      const read = kubeconfigServer(text);
      if ("problem" in read) problems.push(`kubeconfigs.${cluster.name}: ${read.problem}`);
    }
    const names = new Set(wanted.map(({ cluster }) => cluster.name));
    for (const key of Object.keys(kubeconfigs).filter((k) => !names.has(k))) {
      problems.push(`kubeconfigs.${key}: no cluster with existing: kubeconfig is named ${key}`);
    }
    return problems;
  },
};

export const EXISTING_CLUSTER_RULES: readonly Rule[] = [shapeByKind, placeInTheMesh, kubeconfigFiles];
