// The checks scripts/render-charts.ts runs on what the real charts render (scripts/chartChecks.ts), on
// manifests written here in the shape Istio's charts give them: they pass what a correct mesh renders and
// name what a broken one lacks. The object names and ports are the charts' (istio-discovery's
// mutatingwebhook.yaml and remote EndpointSlice, base's default validator, the gateway chart's Service).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkCluster, unknownValueKeys, type Manifest, type RenderedCluster } from "../scripts/chartChecks";
import { istiodReleases } from "../istio/istiodReleases";
import { planOfConfig } from "../offline/configPlan";
import type { ClusterPlan } from "../plan/types";
import { withOverrides } from "./support/configs";

const plan = (() => {
  const checked = planOfConfig(
    withOverrides({
      topology: "primary-remote",
      clusters: [
        { name: "hub", location: "us-east1-b", network: "net-a", role: "primary" },
        { name: "spoke", location: "us-west1-b", network: "net-b", role: "remote" },
      ],
    }),
    "checks",
    [],
  );
  assert.ok(checked.ok);
  return checked.plan;
})();
const cluster = (name: string): ClusterPlan => plan.clusters.find((c) => c.name === name)!;
const PILOT = "203.0.113.10";

const validator: Manifest = {
  kind: "ValidatingWebhookConfiguration",
  metadata: { name: "istiod-default-validator" },
  webhooks: [{ name: "validation.istio.io", clientConfig: { service: { name: "istiod" } } }],
};

function injector(path?: string, caBundle?: string): Manifest {
  return {
    kind: "MutatingWebhookConfiguration",
    metadata: { name: "istio-sidecar-injector" },
    webhooks: [
      {
        name: "namespace.sidecar-injector.istio.io",
        clientConfig: {
          service: { name: "istiod", ...(path ? { path } : {}) },
          ...(caBundle ? { caBundle } : {}),
        },
      },
    ],
  };
}

function gateway(network: string, ports: number[]): Manifest[] {
  return [
    {
      kind: "Service",
      metadata: { name: "istio-eastwestgateway", labels: { "topology.istio.io/network": network } },
      spec: { type: "LoadBalancer", ports: ports.map((port) => ({ port })) },
    },
    {
      kind: "Deployment",
      spec: { template: { metadata: { labels: { "sidecar.istio.io/inject": "true" } } } },
    },
  ];
}

function istiodDeployment(env: { name: string; value: string }[]): Manifest {
  return { kind: "Deployment", spec: { template: { spec: { containers: [{ name: "discovery", env }] } } } };
}

const hubRendered = (istiod: Manifest[] = [injector(), istiodDeployment([])]): RenderedCluster => ({
  base: [validator],
  istiod: new Map([["", istiod]]),
  eastWestGateway: gateway("net-a", [15021, 15443, 15012, 15017]),
});

const spokeRendered = (webhook: Manifest, pilot = PILOT): RenderedCluster => ({
  base: [validator],
  istiod: new Map([
    [
      "",
      [webhook, { kind: "EndpointSlice", metadata: { name: "istiod" }, endpoints: [{ addresses: [pilot] }] }],
    ],
  ]),
  eastWestGateway: gateway("net-b", [15021, 15443]),
});

const problemsOf = (name: string, rendered: RenderedCluster, multiRoot = false) => {
  const c = cluster(name);
  return checkCluster(
    c,
    rendered,
    { releases: istiodReleases(c), remotePilotAddress: PILOT, multiRoot },
    () => {},
  );
};

describe("checks on the rendered charts", () => {
  it("pass a primary that exposes istiod and a remote injected through it", () => {
    assert.deepEqual(problemsOf("hub", hubRendered()), []);
    const path = "/inject/cluster/spoke/net/net-b";
    assert.deepEqual(problemsOf("spoke", spokeRendered(injector(path, "Y2E="))), []);
  });

  it("name a remote webhook without its path or caBundle, and an istiod Service that leads elsewhere", () => {
    const path = "/inject/cluster/spoke/net/net-b";
    assert.match(
      problemsOf("spoke", spokeRendered(injector(path))).join("\n"),
      /lacks the injection path or caBundle/,
    );
    assert.match(
      problemsOf("spoke", spokeRendered(injector("/inject", "Y2E="))).join("\n"),
      /lacks the injection path or caBundle/,
    );
    assert.match(
      problemsOf("spoke", spokeRendered(injector(path, "Y2E="), "198.51.100.1")).join("\n"),
      /remote Service istiod leads to the primary's exposure/,
    );
  });

  it("name a gateway that does not expose istiod's ports, or sits on another network", () => {
    const closed = { ...hubRendered(), eastWestGateway: gateway("net-a", [15021, 15443]) };
    assert.match(
      problemsOf("hub", closed).join("\n"),
      /opens 15021, 15443, 15012, 15017 \(has 15021, 15443\)/,
    );
    const elsewhere = { ...hubRendered(), eastWestGateway: gateway("net-b", [15021, 15443, 15012, 15017]) };
    assert.match(problemsOf("hub", elsewhere).join("\n"), /labelled with network net-a/);
  });

  it("during a root rotation, want ISTIO_MULTIROOT_MESH on the primary's istiod", () => {
    assert.match(problemsOf("hub", hubRendered(), true).join("\n"), /ISTIO_MULTIROOT_MESH=true/);
    const multiRoot = hubRendered([
      injector(),
      istiodDeployment([{ name: "ISTIO_MULTIROOT_MESH", value: "true" }]),
    ]);
    assert.deepEqual(problemsOf("hub", multiRoot, true), []);
  });

  it("name a missing injector and a validator that calls another istiod", () => {
    const bare = { ...hubRendered(), istiod: new Map([["", [istiodDeployment([])]]]) };
    assert.match(problemsOf("hub", bare).join("\n"), /renders istio-sidecar-injector/);
    const other: Manifest = {
      ...validator,
      webhooks: [{ name: "validation.istio.io", clientConfig: { service: { name: "istiod-1-31-1" } } }],
    };
    assert.match(problemsOf("hub", { ...hubRendered(), base: [other] }).join("\n"), /calls istiod$/m);
  });
});

describe("value keys a chart would ignore", () => {
  const chartValues = {
    _internal_defaults_do_not_set: {
      global: { hub: "", multiCluster: { clusterName: "" }, network: "" },
      meshConfig: {},
      revisionTags: [],
      labels: {},
    },
  };
  const templates = "{{ .Values.pilot.env }} {{- with (coalesce ($.Values).profile) }}";

  it("accept defaults, what is under a list or empty-map default, free-form maps and keys templates read", () => {
    const values = {
      global: { hub: "docker.io/istio", multiCluster: { clusterName: "a" } },
      meshConfig: { defaultConfig: { proxyMetadata: { X: "1" } } },
      revisionTags: ["prod-stable"],
      labels: { anything: "x" },
      pilot: { env: { A: "b" } },
      profile: "remote",
    };
    assert.deepEqual(unknownValueKeys(values, chartValues, templates), []);
  });

  it("name a misspelt or unknown key by its whole path", () => {
    const values = { global: { multicluster: { clusterName: "a" }, netwrok: "n" }, revisonTags: [] };
    assert.deepEqual(unknownValueKeys(values, chartValues, templates).sort(), [
      "global.multicluster",
      "global.netwrok",
      "revisonTags",
    ]);
  });

  it("read defaults at the top level when the chart does not nest them", () => {
    assert.deepEqual(unknownValueKeys({ name: "x", nmae: "y" }, { name: "" }, ""), ["nmae"]);
  });
});
