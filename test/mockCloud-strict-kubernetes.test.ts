// The mock cloud refuses what a Kubernetes API server, Helm and GKE's load balancer controller refuse.
// Rules that depend on the graph (namespaces, CRDs, clusters) run small programs through evaluate(), so
// the mock sees the same cluster, provider and dependency information as with the real program.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { gcloudKubeconfig } from "../kube/kubeconfig";
import { CloudRefusal } from "../offline/engine/cloud/refusal";
import { MockCloud } from "../offline/engine/mockCloud";
import { RegistrationError } from "../offline/engine/recorder";
import { evaluate } from "../offline/engine/runtime";
import { meshConfig } from "../offline/engine/syntheticMesh";

const x = (n: number) => "a".repeat(n);

/** Direct calls on a fresh mock, through the default provider (cluster unknown, `default` exists). */
function object(type: string, metadata: Record<string, unknown>, inputs: Record<string, unknown> = {}) {
  return new MockCloud().newResource({ type, name: "r", inputs: { metadata, ...inputs }, custom: true });
}
const refused = (promise: Promise<unknown>, message: RegExp) =>
  assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof CloudRefusal, `expected a refusal, got ${String(e)}`);
    assert.match(e.message, message);
    return true;
  });

/** A GKE cluster and the provider whose kubeconfig points at it, as components/cluster.ts builds them. */
function gke(name: string, location = "us-east1-b", providerName = name) {
  const cluster = new gcp.container.Cluster(name, { name, location });
  const kubeconfig = cluster.endpoint.apply((endpoint) => gcloudKubeconfig({ name, endpoint, caData: "" }));
  return new k8s.Provider(providerName, { kubeconfig });
}

async function run(program: () => void) {
  return evaluate(meshConfig("multi-primary", 1), { program: () => (program(), {}) });
}
async function refusedRun(message: RegExp, program: () => void) {
  const e = await run(program);
  assert.ok(e.error instanceof RegistrationError, `expected a refusal, got ${String(e.error)}`);
  assert.match(e.error.message, message);
}
async function acceptedRun(program: () => void) {
  const e = await run(program);
  assert.equal(e.error, undefined, String(e.error));
}

/** `value` once `resource` is registered, without a dependency on it (a plain promise carries none). */
const after = (resource: pulumi.Resource, value: string) =>
  pulumi.output(new Promise<string>((resolve) => resource.urn.apply(() => resolve(value))));

const configMap = (name: string, namespace: pulumi.Input<string>, opts: pulumi.CustomResourceOptions) =>
  new k8s.core.v1.ConfigMap(name, { metadata: { name: "cm", namespace } }, opts);
const namespace = (name: string, provider: k8s.Provider) =>
  new k8s.core.v1.Namespace(`${name}-ns`, { metadata: { name } }, { provider });
let releases = 0;
const release = (
  name: string,
  chart: string,
  namespace: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
  extra = {},
) => new k8s.helm.v3.Release(`${name}-${releases++}`, { name, chart, namespace, ...extra }, opts);
const gateway = (name: string, opts: pulumi.CustomResourceOptions) =>
  new k8s.apiextensions.CustomResource(
    name,
    {
      apiVersion: "networking.istio.io/v1",
      kind: "Gateway",
      metadata: { name, namespace: "istio-system" },
      spec: {},
    },
    opts,
  );

describe("Kubernetes names and labels", () => {
  it("most objects: DNS-1123 subdomain, at most 253", async () => {
    await refused(
      object("kubernetes:core/v1:ConfigMap", { name: "Bad_Name" }),
      /ConfigMap "Bad_Name" is invalid: metadata.name: .*RFC 1123 subdomain/,
    );
    await refused(
      object("kubernetes:core/v1:Secret", { name: x(254) }),
      /must be no more than 253 characters/,
    );
    await refused(object("kubernetes:networking.istio.io/v1:Gateway", { name: "gw." }), /RFC 1123 subdomain/);
    await object("kubernetes:core/v1:ConfigMap", { name: [x(63), x(63), x(63), x(61)].join(".") });
    await object("kubernetes:apps/v1:Deployment", { name: "1-starts.with.digit" });
  });

  it("Namespace: DNS-1123 label; Service: DNS-1035 label; both at most 63", async () => {
    await refused(object("kubernetes:core/v1:Namespace", { name: "a.b" }), /RFC 1123 label/);
    await refused(object("kubernetes:core/v1:Namespace", { name: x(64) }), /no more than 63/);
    await object("kubernetes:core/v1:Namespace", { name: "1ns" });
    await refused(
      object("kubernetes:core/v1:Service", { name: "1svc" }),
      /Service "1svc" is invalid: .*DNS-1035 label/,
    );
    await refused(object("kubernetes:core/v1:Service", { name: x(64) }), /no more than 63/);
    await object("kubernetes:core/v1:Service", { name: x(63) });
  });

  it("labels: qualified keys, values of at most 63 with alphanumeric ends", async () => {
    const labelled = (labels: Record<string, string>) =>
      object("kubernetes:core/v1:ConfigMap", { name: "cm", labels });
    await refused(labelled({ app: "-x" }), /metadata.labels: Invalid value: "-x": a valid label must be/);
    await refused(labelled({ app: x(64) }), /no more than 63/);
    await refused(labelled({ "bad key": "v" }), /Invalid value: "bad key": name part/);
    await refused(labelled({ "Bad_Prefix/key": "v" }), /prefix part/);
    await labelled({ app: "", "topology.istio.io/network": "Network_1.b", "istio-injection": "enabled" });
  });

  it("Helm release names: Helm's regex, at most 53", async () => {
    const named = (name: string) =>
      new MockCloud().newResource({
        type: "kubernetes:helm.sh/v3:Release",
        name: "r",
        inputs: { name, chart: "c", namespace: "default" },
        custom: true,
      });
    await refused(
      named(x(54)),
      /invalid release name, must match regex .* and the length must not be longer than 53/,
    );
    await refused(named("Istiod"), /invalid release name/);
    await named(x(53));
    await named("istio.base");
  });
});

describe("Kubernetes: names unique per cluster, namespace and kind; Helm releases per namespace", () => {
  it("a second object of the same kind and name in the same namespace and cluster is refused", async () => {
    await refusedRun(/configmaps "cm" already exists/, () => {
      const provider = gke("c1");
      configMap("a", "default", { provider });
      configMap("b", "default", { provider });
    });
    await refusedRun(/gateways.networking.istio.io "gw" already exists/, () => {
      const provider = gke("c1");
      const ns = namespace("istio-system", provider);
      const base = release("istio-base", "base", ns.metadata.name, { provider });
      const first = gateway("gw", { provider, dependsOn: [base] });
      new k8s.apiextensions.CustomResource(
        "again",
        {
          apiVersion: "networking.istio.io/v1",
          kind: "Gateway",
          metadata: { name: "gw", namespace: "istio-system" },
        },
        { provider, dependsOn: [first] },
      );
    });
  });

  it("the cluster comes from the provider's kubeconfig: two providers to one cluster share its names", async () => {
    await refusedRun(/configmaps "cm" already exists/, () => {
      const cluster = new gcp.container.Cluster("c1", { name: "c1", location: "us-east1-b" });
      const kubeconfig = cluster.endpoint.apply((endpoint) =>
        gcloudKubeconfig({ name: "c1", endpoint, caData: "" }),
      );
      configMap("a", "default", { provider: new k8s.Provider("first", { kubeconfig }) });
      configMap("b", "default", { provider: new k8s.Provider("second", { kubeconfig }) });
    });
  });

  it("the same name in another namespace, kind or cluster is fine", async () => {
    await acceptedRun(() => {
      const one = gke("c1");
      const two = gke("c2", "europe-west4-b");
      configMap("a", "default", { provider: one });
      configMap("b", "kube-system", { provider: one });
      new k8s.core.v1.Secret("c", { metadata: { name: "cm", namespace: "default" } }, { provider: one });
      configMap("d", "default", { provider: two });
    });
  });

  it("namespaces Kubernetes creates itself cannot be created again", async () => {
    await refusedRun(/namespaces "kube-system" already exists/, () => namespace("kube-system", gke("c1")));
  });

  it("Helm: a release name is taken per namespace", async () => {
    await refusedRun(/cannot re-use a name that is still in use/, () => {
      const provider = gke("c1");
      release("r", "chart", "default", { provider });
      release("r", "other", "default", { provider });
    });
    await acceptedRun(() => {
      const provider = gke("c1");
      release("r", "chart", "default", { provider });
      release("r", "chart", "kube-system", { provider });
      release("r", "chart", "default", { provider: gke("c2", "europe-west4-b") });
    });
  });
});

describe("Kubernetes: the namespace exists before the object", () => {
  it("one Kubernetes starts with is always there", async () => {
    await acceptedRun(() => {
      const provider = gke("c1");
      for (const ns of ["default", "kube-system", "kube-public", "kube-node-lease"])
        configMap(ns, ns, { provider });
    });
  });

  it("refused when nothing creates it, or only another cluster does", async () => {
    await refusedRun(/namespaces "sample" not found/, () =>
      configMap("cm", "sample", { provider: gke("c1") }),
    );
    await refusedRun(/namespaces "sample" not found/, () => {
      const other = namespace("sample", gke("c2", "europe-west4-b"));
      configMap("cm", "sample", { provider: gke("c1"), dependsOn: [other] });
    });
  });

  it("refused when the graph creates it but does not order the object after it", async () => {
    await refusedRun(/namespaces "sample" not found \(the graph creates it, but does not order/, () => {
      const provider = gke("c1");
      namespace("sample", provider);
      configMap("cm", "sample", { provider });
    });
  });

  it("accepted when the object reads its name, waits for it, or waits for something that does", async () => {
    await acceptedRun(() => {
      const provider = gke("c1");
      const ns = namespace("sample", provider);
      configMap("by-name", ns.metadata.name, { provider });
      const account = new k8s.core.v1.ServiceAccount(
        "sa",
        { metadata: { name: "sa", namespace: "sample" } },
        { provider, dependsOn: [ns] },
      );
      new k8s.core.v1.Secret(
        "transitive",
        { metadata: { name: "s", namespace: "sample" } },
        { provider, dependsOn: [account] },
      );
    });
  });

  it("a Helm release needs its namespace unless it creates it; then objects wait for the release", async () => {
    await refusedRun(/namespaces "apps" not found/, () =>
      release("app", "chart", "apps", { provider: gke("c1") }),
    );
    await acceptedRun(() => {
      const provider = gke("c1");
      const app = release("app", "chart", "apps", { provider }, { createNamespace: true });
      configMap("cm", "apps", { provider, dependsOn: [app] });
    });
    await refusedRun(/namespaces "apps" not found \(the graph creates it/, () => {
      const provider = gke("c1");
      const app = release("app", "chart", "apps", { provider }, { createNamespace: true });
      configMap("cm", after(app, "apps"), { provider });
    });
  });
});

describe("Kubernetes: Istio resources need the CRDs of Istio's base chart first", () => {
  const crdMissing = /no matches for kind "Gateway" in version "networking.istio.io\/v1"/;

  it("refused without a base release in the object's cluster", async () => {
    await refusedRun(crdMissing, () => {
      const provider = gke("c1");
      gateway("gw", { provider, dependsOn: [namespace("istio-system", provider)] });
    });
    await refusedRun(crdMissing, () => {
      const provider = gke("c1");
      const otherBase = release("istio-base", "base", "default", { provider: gke("c2", "europe-west4-b") });
      gateway("gw", { provider, dependsOn: [namespace("istio-system", provider), otherBase] });
    });
  });

  it("refused when the base release exists but the object does not wait for it", async () => {
    await refusedRun(
      /does not exist.*\(the base release exists, but this object does not wait for it\)/,
      () => {
        const provider = gke("c1");
        const ns = namespace("istio-system", provider);
        const base = release("istio-base", "base", ns.metadata.name, { provider });
        gateway("gw", { provider, dependsOn: [ns, after(base, "x").apply(() => ns)] });
      },
    );
  });

  it("accepted through a chain of dependencies, with a classic or an OCI chart reference", async () => {
    for (const chart of ["base", "oci://ghcr.io/istio/release/charts/base"]) {
      await acceptedRun(() => {
        const provider = gke("c1");
        const ns = namespace("istio-system", provider);
        const base = release("istio-base", chart, ns.metadata.name, { provider });
        const istiod = release("istiod", "istiod", "istio-system", { provider, dependsOn: [base] });
        gateway("gw", { provider, dependsOn: [istiod] });
      });
    }
  });
});

describe("load balancers take a static address of their cluster's region", () => {
  const lbService = (ip: pulumi.Input<string>, provider: k8s.Provider) =>
    new k8s.core.v1.Service(
      "lb",
      {
        metadata: { name: "lb", namespace: "default" },
        spec: { type: "LoadBalancer", loadBalancerIP: ip, ports: [{ port: 80 }] },
      },
      { provider },
    );
  const addressIn = (region: string) =>
    new gcp.compute.Address(`ip-${region}`, { name: `ip-${region}`, region }).address;

  it("a LoadBalancer Service", async () => {
    const neither =
      /Service default\/lb: Error syncing load balancer: .*requested ip "[\d.]+" is neither static nor assigned to the LB/;
    await refusedRun(
      new RegExp(
        `${neither.source} \\(address ip-europe-west4 is in my-gcp-project/europe-west4, the cluster in my-gcp-project/us-east1\\)`,
      ),
      () => lbService(addressIn("europe-west4"), gke("c1", "us-east1-b")),
    );
    await refusedRun(/no address reserved in my-gcp-project\/us-east1 has it/, () =>
      lbService("34.1.2.3", gke("c1", "us-east1-b")),
    );
    await acceptedRun(() => lbService(addressIn("us-east1"), gke("c1", "us-east1-b")));
  });

  it("a Helm release whose values carry service.loadBalancerIP or loadBalancerIP", async () => {
    const gatewayRelease = (values: pulumi.Input<object>, provider: k8s.Provider) =>
      release("gw", "gateway", "default", { provider }, { values });
    await refusedRun(/Helm release default\/gw: .*neither static nor assigned/, () =>
      gatewayRelease({ service: { loadBalancerIP: addressIn("europe-west4") } }, gke("c1", "us-east1-b")),
    );
    await refusedRun(/neither static nor assigned/, () =>
      gatewayRelease({ loadBalancerIP: addressIn("europe-west4") }, gke("c1", "us-east1-b")),
    );
    await acceptedRun(() =>
      gatewayRelease({ service: { loadBalancerIP: addressIn("europe-west4") } }, gke("c1", "europe-west4-a")),
    );
  });
});
