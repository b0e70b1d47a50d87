// Helm values and objects per revision, as pure functions: unchanged without revisions, and with them
// what the charts read (istio/istio release-1.30/1.31, docs/upgrades.md): `revision`, `revisionTags`,
// base's `defaultRevision`, the gateway chart's `revision` plus the annotation that rolls its pods.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { istiodInternalService, istiodVirtualService } from "../istio/objects";
import { baseInstall, baseValues, eastWestGatewayValues, gatewayInstall } from "../istio/values";
import { planClusterRevisions } from "../plan/revisions";
import type { ClusterPlan } from "../plan/types";
import { injectedNamespace, ingressGatewayValues } from "../samples/manifests";

const istio = { version: "1.30.3", chartRepository: "https://charts.example", hub: "docker.io/istio" };
const settings = (extra: object = {}) => ({
  stable: "unnamed" as const,
  samplesTag: "prod-stable" as const,
  promoted: false,
  ...extra,
});
const exposure = { kind: "eastWestGateway", address: "ip" } as const;
const cluster = (revisions?: ClusterPlan["revisions"]) =>
  ({
    role: "primary",
    network: "network1",
    istio,
    istiodExposure: exposure,
    ...(revisions ? { revisions } : {}),
  }) as Pick<ClusterPlan, "role" | "network" | "istio" | "istiodExposure" | "revisions">;
const stage1 = planClusterRevisions(settings({ canary: "1.31.1" }), "1.30.3", "1.30.3", true);
const stage3 = planClusterRevisions(settings({ canary: "1.31.1", promoted: true }), "1.30.3", "1.30.3", true);

describe("values without revisions are those of before", () => {
  it("base, east-west gateway, ingress gateway and namespaces", () => {
    assert.deepEqual(baseValues(cluster()), { global: { hub: "docker.io/istio", tag: "1.30.3" } });
    assert.deepEqual(eastWestGatewayValues(cluster(), "203.0.113.1"), {
      global: { hub: "docker.io/istio", tag: "1.30.3" },
      name: "istio-eastwestgateway",
      networkGateway: "network1",
      service: { loadBalancerIP: "203.0.113.1" },
    });
    assert.deepEqual(ingressGatewayValues(istio), {
      global: { hub: "docker.io/istio", tag: "1.30.3" },
      service: { type: "LoadBalancer" },
    });
    assert.deepEqual(injectedNamespace("sample"), {
      metadata: { name: "sample", labels: { "istio-injection": "enabled" } },
    });
    assert.deepEqual(istiodInternalService("10.0.0.9", ["10.0.0.0/8"]).spec.selector, {
      app: "istiod",
      istio: "pilot",
    });
  });
});

describe("values with revisions", () => {
  it("base takes the newest chart and follows prod-stable with defaultRevision", () => {
    assert.equal(baseInstall(cluster(stage1)).version, "1.31.1");
    assert.deepEqual(baseValues(cluster(stage1)), {
      global: { hub: "docker.io/istio", tag: "1.31.1" },
      defaultRevision: "default",
    });
    assert.equal(baseValues(cluster(stage3)).defaultRevision, "1-31-1");
  });

  it("the east-west gateway follows prod-stable in place: chart, pod label and the annotation that rolls it", () => {
    const before = eastWestGatewayValues(cluster(stage1), "203.0.113.1");
    const after = eastWestGatewayValues(cluster(stage3), "203.0.113.1");
    assert.equal(before.revision, "prod-stable");
    assert.deepEqual(before.podAnnotations, { "istio-multicluster/tag-revision": "default" });
    assert.deepEqual(after.podAnnotations, { "istio-multicluster/tag-revision": "1-31-1" });
    assert.equal(gatewayInstall(cluster(stage1), "prod-stable").version, "1.30.3");
    assert.equal(gatewayInstall(cluster(stage3), "prod-stable").version, "1.31.1");
    assert.equal(after.global.tag, "1.31.1");
  });

  it("the ingress gateway follows the samples' tag, so stage 2 moves it with the storefront", () => {
    const stage2 = planClusterRevisions(
      settings({ canary: "1.31.1", samplesTag: "prod-canary" }),
      "1.30.3",
      "1.30.3",
      true,
    );
    const values = ingressGatewayValues(
      gatewayInstall(cluster(stage2), stage2.samplesTag),
      undefined,
      stage2,
    );
    assert.equal(values.revision, "prod-canary");
    assert.deepEqual(values.podAnnotations, { "istio-multicluster/tag-revision": "1-31-1" });
    assert.equal(values.global.tag, "1.31.1");
    assert.deepEqual(injectedNamespace("sample", "prod-canary").metadata.labels, {
      "istio.io/rev": "prod-canary",
    });
  });

  it("istiod-vs routes each named revision by SNI before the catch-all, which follows the unnamed istiod while it runs", () => {
    const routes = (r: typeof stage1) =>
      istiodVirtualService(r).spec.tls.map(
        (t) =>
          `${t.match[0]!.port} ${t.match[0]!.sniHosts[0]} -> ${t.route[0]!.destination.host}:${t.route[0]!.destination.port.number}`,
      );
    assert.deepEqual(routes(stage1), [
      "15012 istiod-1-31-1.istio-system.svc -> istiod-1-31-1.istio-system.svc.cluster.local:15012",
      "15017 istiod-1-31-1.istio-system.svc -> istiod-1-31-1.istio-system.svc.cluster.local:443",
      "15012 * -> istiod.istio-system.svc.cluster.local:15012",
      "15017 * -> istiod.istio-system.svc.cluster.local:443",
    ]);
    const stage4 = planClusterRevisions(settings({ stable: "versioned" }), "1.31.1", "1.31.1", true);
    assert.deepEqual(routes(stage4).slice(2), [
      "15012 * -> istiod-1-31-1.istio-system.svc.cluster.local:15012",
      "15017 * -> istiod-1-31-1.istio-system.svc.cluster.local:443",
    ]);
  });

  it("a named revision's internal load balancer selects its pods by istio.io/rev", () => {
    const service = istiodInternalService(undefined, ["10.0.0.0/8"], "1-31-1");
    assert.equal(service.metadata.name, "istiod-internal-1-31-1");
    assert.deepEqual(service.spec.selector, { app: "istiod", "istio.io/rev": "1-31-1" });
    assert.equal("loadBalancerIP" in service.spec, false);
  });
});
