// The one kubeconfig reader (kube/kubeconfig.ts): the current context's cluster, as kubectl takes it, and
// errors that name what is missing without echoing the file. Validation, `npm run contexts`, the mock
// cloud and the planner's `server` all read through it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planMesh } from "../plan/planner";
import { requireValidConfig } from "../config/validate";
import { accessOf, renamedKubeconfig } from "../kube/contexts";
import { endpointOf, KubeconfigError, readKubeconfig } from "../kube/kubeconfig";

/** Two clusters; the current context is the second one's, listed last. */
const TWO_CONTEXTS = [
  "apiVersion: v1",
  "kind: Config",
  "clusters:",
  "  - { name: first, cluster: { server: 'https://first.example:6443', certificate-authority-data: Rmlyc3Q= } }",
  "  - { name: second, cluster: { server: 'https://second.example/k8s', certificate-authority-data: U2Vjb25k } }",
  "contexts:",
  "  - { name: one, context: { cluster: first, user: u1 } }",
  "  - { name: two, context: { cluster: second, user: u2, namespace: apps } }",
  "current-context: two",
  "users:",
  "  - { name: u1, user: { token: token-one } }",
  "  - { name: u2, user: { exec: { command: aws } } }",
  "",
].join("\n");

const problemOf = (text: string) => {
  try {
    readKubeconfig(text);
  } catch (e) {
    assert.ok(e instanceof KubeconfigError, String(e));
    return e.problem;
  }
  return undefined;
};

describe("one kubeconfig reader", () => {
  it("reads the cluster and user of the current context, not the first ones listed", () => {
    const read = readKubeconfig(TWO_CONTEXTS);
    assert.equal(read.context.name, "two");
    assert.equal(read.cluster.name, "second");
    assert.equal(read.cluster.server, "https://second.example/k8s");
    assert.equal(read.cluster.caData, "U2Vjb25k");
    assert.deepEqual(read.user, { name: "u2", user: { exec: { command: "aws" } } });
    assert.equal(endpointOf(read.cluster.server), "second.example");
    assert.equal(endpointOf("https://first.example:6443"), "first.example:6443");
  });

  it("takes a single context when current-context is unset", () => {
    const single = TWO_CONTEXTS.replace("current-context: two\n", "").replace(
      "  - { name: one, context: { cluster: first, user: u1 } }\n",
      "",
    );
    assert.equal(readKubeconfig(single).cluster.name, "second");
  });

  it("names what is missing, and never echoes the file", () => {
    assert.equal(problemOf("clusters: [unclosed"), "does not parse as YAML");
    assert.equal(problemOf("- a list"), "is not a kubeconfig (not a mapping)");
    assert.equal(
      problemOf(TWO_CONTEXTS.replace("current-context: two", "")),
      "has no current-context (and 2 contexts)",
    );
    assert.equal(
      problemOf(TWO_CONTEXTS.replace("current-context: two", "current-context: three")),
      'current-context "three" names no entry of contexts',
    );
    assert.equal(
      problemOf(TWO_CONTEXTS.replace("cluster: second, user: u2", "cluster: gone, user: u2")),
      'context "two" names no entry of clusters',
    );
    const plainHttp = TWO_CONTEXTS.replace("https://second.example/k8s", "http://second.example");
    assert.equal(problemOf(plainHttp), 'cluster "second" of the current context names no https:// server');
    for (const text of [plainHttp, TWO_CONTEXTS.replace("current-context: two", "")]) {
      assert.doesNotMatch(problemOf(text) ?? "", /token-one|Rmlyc3Q/);
    }
  });

  it("`npm run contexts` reads the same context: the CA and the user of the current one", () => {
    const entry = { name: "eks", kubeconfig: TWO_CONTEXTS, source: "kubeconfig" as const };
    assert.deepEqual(accessOf(entry), { name: "eks", endpoint: "second.example", caData: "U2Vjb25k" });
    const renamed = readKubeconfig(renamedKubeconfig(entry));
    assert.equal(renamed.cluster.server, "https://second.example/k8s");
    assert.deepEqual(renamed.user?.user, { exec: { command: "aws" } });
    assert.equal(renamed.context.context["namespace"], "apps");
    assert.throws(
      () => accessOf({ name: "eks", kubeconfig: "current-context: x" }),
      /clusters\.eks\.kubeconfig current-context "x" names no entry of contexts/,
    );
  });

  it("the plan carries a kubeconfig cluster's server, read once during validation", () => {
    const config = requireValidConfig(
      {
        project: "my-gcp-project",
        topology: "multi-primary",
        clusters: [
          { name: "gke", location: "us-east1-b", network: "n1", role: "primary" },
          { name: "eks", network: "n2", role: "primary", existing: "kubeconfig" },
        ],
      },
      { stack: "t", kubeconfigs: { eks: TWO_CONTEXTS } },
    );
    assert.deepEqual(config.kubeconfigServers, { eks: "https://second.example/k8s" });
    const eks = planMesh(config).clusters.find((c) => c.name === "eks")!;
    assert.equal(eks.source === "kubeconfig" && eks.server, "https://second.example/k8s");
  });
});
