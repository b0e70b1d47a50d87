// Issue 20's four real-deploy defects, each seen by the lifecycle engine, and the engine's own rules:
// reads in a preview, unknown outputs, duplicate URNs. Each defect test fails with its fix reverted
// (checked by hand: the commands are in the closing note).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { preview, up } from "../offline/engine/lifecycle";
import { evaluate } from "../offline/engine/runtime";
import { planStep } from "../offline/engine/steps";
import { meshConfig } from "../offline/engine/syntheticMesh";
import { execKubeconfig, withOverrides } from "./support/configs";

const CLUSTER = "gcp:container/cluster:Cluster";

describe("defect 1: the second up must not replace created clusters", { timeout: 120_000 }, () => {
  it("the cluster keeps its bootstrap node account and ignores the nodeConfig GKE reports back", async () => {
    const first = await up(meshConfig("multi-primary", 2), undefined);
    for (const cluster of first.evaluation.resources.filter((r) => r.type === CLUSTER)) {
      const nodeConfig = cluster.inputs["nodeConfig"] as Record<string, unknown>;
      assert.match(String(nodeConfig["serviceAccount"]), /@my-gcp-project\.iam\.gserviceaccount\.com$/);
      assert.deepEqual(cluster.ignoreChanges, ["nodeConfig"]);
      // What the provider stores after create: no node config (the default pool is gone).
      assert.equal(first.state.get(cluster.urn)!.outputs["nodeConfig"], undefined);
    }
  });

  it("without ignoreChanges the engine plans a replacement of every cluster from the stored state", async () => {
    const first = await up(meshConfig("multi-primary", 2), undefined);
    const clusters = first.evaluation.resources.filter((r) => r.type === CLUSTER);
    for (const cluster of clusters) {
      const step = planStep(
        { ...cluster, ignoreChanges: [] },
        CLUSTER,
        cluster.inputs,
        first.state,
        new Map(),
      );
      assert.equal(step.kind, "replace");
      assert.ok(step.reasons.some((r) => r.startsWith("nodeConfig.serviceAccount")));
    }
  });
});

describe("defect 2: reads in a preview", { timeout: 120_000 }, () => {
  const provider = () => new k8s.Provider("k", { kubeconfig: execKubeconfig("https://203.0.113.9") });

  it("a read with a known ID of an object the stack has not created fails the preview", async () => {
    const e = await evaluate(meshConfig("multi-primary", 1), {
      cloud: { preview: true },
      program: () => {
        const service = k8s.core.v1.Service.get("gw", "istio-system/istio-eastwestgateway", {
          provider: provider(),
        });
        return { ip: service.status.loadBalancer.ingress };
      },
    });
    assert.match(String(e.error), /resource 'istio-system\/istio-eastwestgateway' does not exist/);
  });

  it("a read whose ID comes from the release's output waits for the update", async () => {
    let applied = false;
    const program = () => {
      const p = provider();
      const release = new k8s.helm.v3.Release(
        "gw",
        { name: "istio-eastwestgateway", chart: "gateway", namespace: "istio-system", createNamespace: true },
        { provider: p },
      );
      const id = pulumi.interpolate`${release.status.namespace}/istio-eastwestgateway`;
      const service = k8s.core.v1.Service.get("gw-service", id, { provider: p });
      return { ip: service.status.loadBalancer.ingress.apply((i) => ((applied = true), i?.[0]?.ip)) };
    };
    const inPreview = await evaluate(meshConfig("multi-primary", 1), { cloud: { preview: true }, program });
    assert.equal(inPreview.error, undefined, String(inPreview.error));
    assert.equal(applied, false, "apply ran on an output that is unknown in a preview");
    const inUpdate = await evaluate(meshConfig("multi-primary", 1), { program });
    assert.equal(inUpdate.error, undefined, String(inUpdate.error));
    assert.equal(applied, true);
  });

  it("the preview of a later up reads what the first up created", async () => {
    const config = withOverrides({
      topology: "multi-primary",
      clusters: [
        { name: "east", location: "us-east1-b", network: "n1", role: "primary" },
        { name: "eks", network: "n2", role: "primary", existing: "kubeconfig" },
      ],
      kubeconfigs: { eks: execKubeconfig("https://ABC.gr7.us-east-1.eks.amazonaws.com") },
    });
    const first = await up(config, undefined);
    assert.equal(first.evaluation.error, undefined);
    const again = await preview(config, first.state);
    assert.equal(again.error, undefined, String(again.error));
  });
});

describe("defect 3: an adopted cluster's addresses live in its project", { timeout: 120_000 }, () => {
  const adopted = (extra = {}) =>
    withOverrides({
      topology: "multi-primary",
      clusters: [
        { name: "east", location: "us-east1-b", network: "n1", role: "primary" },
        {
          name: "west",
          location: "europe-west1-b",
          network: "n2",
          role: "primary",
          existing: "gke",
          project: "other-project",
        },
      ],
      onlineBoutique: true,
      fleet: true,
      ...extra,
    });

  it("every GCP resource made for the adopted cluster is created in the cluster's project", async () => {
    const e = await evaluate(adopted());
    assert.equal(e.error, undefined, String(e.error));
    const forWest = e.resources.filter(
      (r) => r.custom && r.type.startsWith("gcp:") && r.name.startsWith("mesh-west-"),
    );
    assert.deepEqual(forWest.map((r) => r.type).sort(), [
      "gcp:compute/address:Address", // east-west gateway
      "gcp:gkehub/membership:Membership",
    ]);
    for (const r of forWest) assert.equal(r.inputs["project"], "other-project", r.name);
  });

  it("GKE's service controller refuses a requested IP from another project", async () => {
    const e = await evaluate(meshConfig("multi-primary", 1), {
      program: () => {
        const cluster = gcp.container.getClusterOutput({
          name: "west",
          location: "europe-west1-b",
          project: "other-project",
        });
        const address = new gcp.compute.Address("a", { name: "a", region: "europe-west1" });
        const p = new k8s.Provider("west", {
          kubeconfig: pulumi.interpolate`apiVersion: v1\nclusters: [{name: c, cluster: {server: "https://${cluster.endpoint}"}}]\ncontexts: [{name: c, context: {cluster: c}}]\ncurrent-context: c\n`,
          clusterIdentifier: "other-project/europe-west1-b/west",
        });
        new k8s.helm.v3.Release(
          "gw",
          {
            name: "gw",
            chart: "gateway",
            namespace: "istio-system",
            createNamespace: true,
            values: { service: { loadBalancerIP: address.address } },
          },
          { provider: p },
        );
        return {};
      },
    });
    assert.match(
      String(e.error),
      /is in my-gcp-project\/europe-west1, the cluster in other-project\/europe-west1/,
    );
  });
});

describe("the engine's own rules", { timeout: 60_000 }, () => {
  it("a URN registered twice is an evaluation error, as the real engine refuses it", async () => {
    const e = await evaluate(meshConfig("multi-primary", 1), {
      program: () => {
        new gcp.compute.Network("same", { name: "a" });
        new gcp.compute.Network("same", { name: "b" });
        return {};
      },
    });
    assert.match(String(e.error), /Duplicate resource URN/);
  });

  it("a preview leaves what the provider computes unknown, and keeps what the program sent", async () => {
    const seen: string[] = [];
    const e = await evaluate(meshConfig("multi-primary", 1), {
      cloud: { preview: true },
      program: () => {
        const address = new gcp.compute.Address("a", { name: "a", region: "us-east1" });
        address.address.apply((ip) => seen.push(`address ${ip}`));
        address.region.apply((r) => seen.push(`region ${r}`));
        return {};
      },
    });
    assert.equal(e.error, undefined);
    assert.deepEqual(seen, ["region us-east1"]);
  });
});
