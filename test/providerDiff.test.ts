// The providers' own diff of new inputs against a stored state, and the read-back rules that build that
// state: the semantics the second `up` relies on, one rule at a time.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { providerDiff } from "../offline/engine/providerDiff";
import { READ_BACK_RULES, readBack } from "../offline/engine/readBack";
import { forcesReplacement } from "../offline/engine/replacements";
import type { StateEntry } from "../offline/engine/state";

function entry(type: string, inputs: Record<string, unknown>, outputs: Record<string, unknown>): StateEntry {
  return {
    urn: `urn:pulumi:s::p::${type}::r`,
    type,
    name: "r",
    custom: true,
    parent: "",
    provider: "",
    dependencies: [],
    inputs,
    secretInputs: [],
    additionalSecretOutputs: [],
    replaceWith: [],
    deleteBeforeReplace: false,
    replaceOnChanges: [],
    ignoreChanges: [],
    deletedWith: "",
    aliasNames: [],
    outputs,
    id: "r-id",
    secretOutputs: [],
  };
}

const NO_OPTIONS: { ignoreChanges: string[]; replaceOnChanges: string[] } = {
  ignoreChanges: [],
  replaceOnChanges: [],
};
const diff = (e: StateEntry, inputs: Record<string, unknown>, options = NO_OPTIONS) =>
  providerDiff(e, inputs, options, forcesReplacement);

const SUBNET = "gcp:compute/subnetwork:Subnetwork";
const CLUSTER = "gcp:container/cluster:Cluster";
const POOL = "gcp:container/nodePool:NodePool";

describe("bridged providers diff the config against the stored state", () => {
  it("a reference sent as an ID equals the self link the API stored (CompareSelfLinkOrResourceName)", () => {
    const stored = entry(
      SUBNET,
      {},
      {
        network: "https://www.googleapis.com/compute/v1/projects/p/global/networks/n1",
        ipCidrRange: "172.24.0.0/22",
      },
    );
    assert.deepEqual(
      diff(stored, { network: "projects/p/global/networks/n1", ipCidrRange: "172.24.0.0/22" }),
      {
        changed: [],
        replaces: [],
      },
    );
    const moved = diff(stored, { network: "projects/p/global/networks/n2", ipCidrRange: "172.24.0.0/22" });
    assert.deepEqual(moved.replaces, ["network"]);
  });

  it("a subnet's range grows in place and replaces when it shrinks (ForceNewIfChange IsShrinkageIpCidr)", () => {
    const stored = entry(SUBNET, {}, { network: "n", ipCidrRange: "172.24.0.0/22" });
    assert.deepEqual(diff(stored, { network: "n", ipCidrRange: "172.24.0.0/21" }).replaces, []);
    assert.deepEqual(diff(stored, { network: "n", ipCidrRange: "172.24.0.0/23" }).replaces, ["ipCidrRange"]);
  });

  it("a Computed field the config leaves unset is no change; an Optional one that is stored is", () => {
    const stored = entry(
      POOL,
      {},
      {
        nodeConfig: { machineType: "e2-standard-4", tags: ["mesh"], serviceAccount: "sa" },
      },
    );
    const changes = diff(stored, { nodeConfig: { serviceAccount: "sa" } });
    assert.deepEqual(changes.changed, ["nodeConfig.tags"]);
    assert.deepEqual(changes.replaces, []);
  });

  it("an unset field with a default is compared with the default (spot defaults to false, ForceNew)", () => {
    const spot = entry(POOL, {}, { nodeConfig: { spot: true, serviceAccount: "sa" } });
    assert.deepEqual(diff(spot, { nodeConfig: { serviceAccount: "sa" } }).replaces, ["nodeConfig.spot"]);
    const onDemand = entry(POOL, {}, { nodeConfig: { spot: false, serviceAccount: "sa" } });
    assert.deepEqual(diff(onDemand, { nodeConfig: { serviceAccount: "sa" } }).changed, []);
  });

  it("a ForceNew block that appears replaces; ignoreChanges drops it from the diff", () => {
    const stored = entry(CLUSTER, {}, { name: "c", location: "us-east1-b" });
    const config = {
      name: "c",
      location: "us-east1-b",
      nodeConfig: { workloadMetadataConfig: { mode: "GKE_METADATA" } },
    };
    assert.ok(diff(stored, config).replaces.includes("nodeConfig"));
    assert.deepEqual(
      diff(stored, config, { ignoreChanges: ["nodeConfig"], replaceOnChanges: [] }).changed,
      [],
    );
  });

  it("GKE's added default scopes are not a change (containerClusterAddedScopesSuppress)", () => {
    const stored = entry(
      POOL,
      {},
      {
        nodeConfig: {
          oauthScopes: [
            "https://www.googleapis.com/auth/cloud-platform",
            "https://www.googleapis.com/auth/logging.write",
          ],
        },
      },
    );
    assert.deepEqual(
      diff(stored, { nodeConfig: { oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"] } })
        .changed,
      [],
    );
  });
});

describe("Kubernetes objects diff stored inputs against new ones", () => {
  it("a Secret's stringData equals the data the provider stored it as", () => {
    const stored = entry(
      "kubernetes:core/v1:Secret",
      { metadata: { name: "s" }, data: { k: Buffer.from("v").toString("base64") } },
      {},
    );
    assert.deepEqual(diff(stored, { metadata: { name: "s" }, stringData: { k: "v" } }).changed, []);
    assert.deepEqual(diff(stored, { metadata: { name: "s" }, stringData: { k: "w" } }).changed, ["data.k"]);
  });

  it("a renamed object is replaced", () => {
    const stored = entry("kubernetes:core/v1:ConfigMap", { metadata: { name: "a" } }, {});
    assert.deepEqual(diff(stored, { metadata: { name: "b" } }).replaces, ["metadata.name"]);
  });
});

describe("read-back rules", () => {
  it("every rule names its source", () => {
    for (const rule of READ_BACK_RULES) assert.match(rule.source, /\.go|reference|provider/i, rule.what);
  });

  it("a cluster created without its default pool stores no nodeConfig; a refresh stores its first pool's", () => {
    const cluster = entry(
      CLUSTER,
      { removeDefaultNodePool: true },
      {
        name: "c",
        location: "us-east1-b",
        nodeConfig: { serviceAccount: "sa" },
      },
    );
    const pool = entry(
      POOL,
      {},
      { cluster: "c", location: "us-east1-b", nodeConfig: { machineType: "e2-standard-4", tags: ["t"] } },
    );
    const state = new Map([
      [cluster.urn, cluster],
      ["pool", { ...pool, urn: "pool" }],
    ]);
    assert.equal(readBack(state, "apply").get(cluster.urn)!.outputs["nodeConfig"], undefined);
    const refreshed = readBack(state, "refresh").get(cluster.urn)!.outputs["nodeConfig"] as Record<
      string,
      unknown
    >;
    assert.equal(refreshed["machineType"], "e2-standard-4");
    assert.deepEqual(refreshed["tags"], ["t"]);
  });

  it("a refresh prunes a Kubernetes object's inputs to what the live object still has", () => {
    const configMap = entry(
      "kubernetes:core/v1:ConfigMap",
      { metadata: { name: "a", labels: { x: "y" } } },
      {
        metadata: { name: "a", uid: "u" },
      },
    );
    const refreshed = readBack(new Map([[configMap.urn, configMap]]), "refresh").get(configMap.urn)!;
    assert.deepEqual(refreshed.inputs, { metadata: { name: "a" } });
  });
});
