// The critical-path computation on hand-made graphs: durations, ties, components, providers, cycles,
// and the per-cluster grouping that the plan report and pictures rely on.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyze } from "../offline/analysis";
import { buildDiagram, renderDot, renderMermaid } from "../offline/diagram";
import { modelDuration, UNMODELLED_SECONDS } from "../offline/durations";
import { buildGraph, criticalPath, CycleError, type ResourceRecord } from "../offline/graph";
import { assignGroups, MESH_GROUP } from "../offline/groups";

const STACK = "urn:pulumi:t::p::pulumi:pulumi:Stack::p-t";
const urnOf = (name: string) => `urn:pulumi:t::p::test:index:R::${name}`;

interface Spec {
  deps?: string[];
  parent?: string;
  component?: boolean;
  type?: string;
  provider?: string;
}

/** Records named by short names; dependencies and parents refer to those names. */
function records(specs: Record<string, Spec>): ResourceRecord[] {
  const stack: ResourceRecord = {
    urn: STACK,
    type: "pulumi:pulumi:Stack",
    name: "p-t",
    custom: false,
    parent: "",
    provider: "",
    dependencies: [],
  };
  return [
    stack,
    ...Object.entries(specs).map(([name, spec]): ResourceRecord => ({
      urn: urnOf(name),
      type: spec.type ?? (spec.component ? "test:index:Component" : "test:index:R"),
      name,
      custom: !spec.component,
      parent: spec.parent ? urnOf(spec.parent) : STACK,
      provider: spec.provider ? `${urnOf(spec.provider)}::${spec.provider}-id` : "",
      dependencies: (spec.deps ?? []).map(urnOf),
    })),
  ];
}

/** Durations by name; unnamed resources take 1 s. */
const durations = (seconds: Record<string, number>) => (r: ResourceRecord) => seconds[r.name] ?? 1;
const pathNames = (specs: Record<string, Spec>, seconds: Record<string, number> = {}) =>
  criticalPath(buildGraph(records(specs), durations(seconds))).path.map((s) => s.node.record.name);

describe("critical path", () => {
  it("follows the slowest chain, not the longest one", () => {
    // a(1) -> b(1) -> c(1) is three steps but 3 s; d(10) -> e(1) is two steps but 11 s.
    const specs = { a: {}, b: { deps: ["a"] }, c: { deps: ["b"] }, d: {}, e: { deps: ["d"] } };
    const result = criticalPath(buildGraph(records(specs), durations({ d: 10 })));
    assert.equal(result.seconds, 11);
    assert.deepEqual(
      result.path.map((s) => s.node.record.name),
      ["d", "e"],
    );
    assert.deepEqual(
      result.path.map((s) => [s.start, s.finish]),
      [
        [0, 10],
        [10, 11],
      ],
    );
    assert.equal(result.depth, 3, "the longest chain counted in resources is a-b-c");
    assert.equal(result.sequentialSeconds, 1 + 1 + 1 + 10 + 1);
  });

  it("waits for the latest of several dependencies", () => {
    const specs = { fast: {}, slow: {}, join: { deps: ["fast", "slow"] } };
    const result = criticalPath(buildGraph(records(specs), durations({ fast: 2, slow: 7, join: 3 })));
    assert.equal(result.seconds, 10);
    assert.deepEqual(
      result.path.map((s) => s.node.record.name),
      ["slow", "join"],
    );
  });

  it("breaks ties the same way whatever the registration order", () => {
    const forward = { x: {}, y: {}, z: { deps: ["x", "y"] } };
    const backward = { y: {}, x: {}, z: { deps: ["y", "x"] } };
    const seconds = { x: 5, y: 5, z: 1 };
    assert.deepEqual(pathNames(forward, seconds), pathNames(backward, seconds));
    // Equal finish: the chain with more steps wins, so the path shows every wait.
    // ("alone" sorts before "q", so only the step count can pick q.)
    const longer = { p: {}, q: { deps: ["p"] }, alone: {}, s: { deps: ["q", "alone"] } };
    assert.deepEqual(pathNames(longer, { p: 2, q: 3, alone: 5, s: 1 }), ["p", "q", "s"]);
  });

  it("expands a dependency on a component to the resources inside it, at any depth", () => {
    const specs: Record<string, Spec> = {
      outer: { component: true },
      inner: { component: true, parent: "outer" },
      slowChild: { parent: "inner" },
      quickChild: { parent: "outer" },
      user: { deps: ["outer"] },
    };
    const graph = buildGraph(records(specs), durations({ slowChild: 20 }));
    assert.deepEqual(
      [...graph.nodes.keys()].map((urn) => graph.records.get(urn)!.name),
      ["slowChild", "quickChild", "user"],
      "components are not nodes",
    );
    assert.deepEqual(
      graph.nodes
        .get(urnOf("user"))!
        .waitsOn.map((u) => graph.records.get(u)!.name)
        .sort(),
      ["quickChild", "slowChild"],
    );
    assert.equal(criticalPath(graph).seconds, 21);
  });

  it("lets components and zero-duration resources take no time", () => {
    const specs: Record<string, Spec> = {
      a: {},
      empty: { component: true, deps: ["a"] },
      provider: { deps: ["a"], type: "pulumi:providers:kubernetes" },
      obj: { provider: "provider", deps: ["empty"] },
    };
    const graph = buildGraph(records(specs), durations({ a: 4, provider: 0, obj: 2 }));
    const result = criticalPath(graph);
    assert.equal(result.seconds, 6, "a (4) + provider (0) + obj (2); the empty component adds nothing");
    assert.deepEqual(
      result.path.map((s) => s.node.record.name),
      ["a", "provider", "obj"],
      "an object waits for the provider it is created through",
    );
  });

  it("ignores the stack and reports dependencies on unknown URNs", () => {
    const recs = records({ a: {} });
    const withOddDeps = recs.map((r) =>
      r.name === "a" ? { ...r, dependencies: [STACK, "urn:pulumi:t::p::x:y:Z::ghost"] } : r,
    );
    const graph = buildGraph(withOddDeps, () => 1);
    assert.deepEqual(graph.nodes.get(urnOf("a"))!.waitsOn, []);
    assert.deepEqual(graph.unresolved, ["urn:pulumi:t::p::x:y:Z::ghost"]);
  });

  it("rejects a cycle and names the resources in it", () => {
    const specs = { start: {}, a: { deps: ["start", "c"] }, b: { deps: ["a"] }, c: { deps: ["b"] } };
    const graph = buildGraph(records(specs), () => 1);
    assert.throws(
      () => criticalPath(graph),
      (error: unknown) => {
        assert.ok(error instanceof CycleError);
        assert.deepEqual([...error.cycle].slice(0, -1).sort(), ["a", "b", "c"]);
        assert.equal(error.cycle[0], error.cycle[error.cycle.length - 1]);
        return true;
      },
    );
  });

  it("handles an empty graph", () => {
    const result = criticalPath(buildGraph(records({}), () => 1));
    assert.deepEqual([result.seconds, result.path.length, result.depth], [0, 0, 0]);
  });
});

describe("duration model", () => {
  it("tells Helm releases apart by chart and falls back by prefix", () => {
    const release = "kubernetes:helm.sh/v3:Release";
    const istiod = modelDuration(release, { chart: "istiod" }).seconds;
    const base = modelDuration(release, { chart: "base" }).seconds;
    assert.ok(istiod >= 60 && istiod <= 120, `istiod ${istiod}s`);
    assert.ok(base < istiod);
    assert.equal(modelDuration("kubernetes:core/v1:Namespace").rule?.type, "kubernetes:*");
    const lb = modelDuration("kubernetes:core/v1:Service", { spec: { type: "LoadBalancer" } }).seconds;
    assert.ok(lb > modelDuration("kubernetes:core/v1:Service", { spec: { type: "ClusterIP" } }).seconds);
    const cluster = modelDuration("gcp:container/cluster:Cluster").seconds;
    assert.ok(cluster >= 300 && cluster <= 480);
  });

  it("marks unknown types as unmodelled", () => {
    const unknown = modelDuration("aws:ec2/instance:Instance");
    assert.deepEqual(unknown, { seconds: UNMODELLED_SECONDS, rule: undefined });
    const analysis = analyze(records({ a: { type: "aws:ec2/instance:Instance" } }));
    assert.deepEqual(analysis.unmodelledTypes, ["aws:ec2/instance:Instance"]);
  });
});

describe("grouping per cluster", () => {
  const mesh: Record<string, Spec> = {
    vpc: { type: "gcp:compute/network:Network" },
    "c1-subnet": { deps: ["vpc"], type: "gcp:compute/subnetwork:Subnetwork" },
    c1: { component: true, type: "pkg:gcp:GkeCluster" },
    c1cluster: { parent: "c1", deps: ["c1-subnet"] },
    c2: { component: true, type: "pkg:gcp:GkeCluster" },
    c2cluster: { parent: "c2", deps: ["vpc"] },
    "c1-k8s": { parent: "c1", type: "pulumi:providers:kubernetes", deps: ["c1cluster"] },
    "c2-k8s": { parent: "c2", type: "pulumi:providers:kubernetes", deps: ["c2cluster"] },
    // Named after c1, but created in c2 through c2's provider: the provider decides.
    "c1-remote-secret": { provider: "c2-k8s" },
    root: {},
    "ca-c2-key": {},
  };
  // Providers are named after their cluster in the program; rename the test ones accordingly.
  const recs = records(mesh).map((r) =>
    r.type === "pulumi:providers:kubernetes" ? { ...r, name: r.name.slice(0, 2) } : r,
  );

  it("places objects by provider, GCP resources by ancestry or name, the rest in the mesh", () => {
    const groups = assignGroups(recs);
    const groupOfName = (name: string) => groups.get(urnOf(name));
    assert.equal(groupOfName("c1-remote-secret"), "c2");
    assert.equal(groupOfName("c1cluster"), "c1");
    assert.equal(groupOfName("c2cluster"), "c2");
    assert.equal(groupOfName("c1-subnet"), "c1");
    assert.equal(groupOfName("ca-c2-key"), "c2", "a per-cluster resource named in the middle");
    assert.equal(groupOfName("vpc"), MESH_GROUP);
    assert.equal(groupOfName("root"), MESH_GROUP);
  });

  it("draws one box per group with the critical path marked", () => {
    const analysis = analyze(recs);
    assert.deepEqual(
      analysis.groups.map((g) => g.group),
      [MESH_GROUP, "c1", "c2"],
    );
    const full = buildDiagram(analysis, "full");
    assert.equal(full.nodes.length, analysis.resourceCount);
    const mermaid = renderMermaid(full);
    assert.match(mermaid, /^flowchart LR/);
    assert.equal((mermaid.match(/subgraph /g) ?? []).length, 3);
    const dot = renderDot(full, "t");
    assert.equal((dot.match(/subgraph cluster_/g) ?? []).length, 3);
    assert.ok(full.nodes.some((n) => n.critical));

    const collapsed = buildDiagram(analysis, "collapsed");
    // c1's cluster and provider collapse into one GkeCluster node; so do c2's.
    assert.equal(collapsed.nodes.length, analysis.resourceCount - 2);
  });

  it("drops arrows implied by a longer route", () => {
    const specs = { a: {}, b: { deps: ["a"] }, c: { deps: ["a", "b"] } };
    const diagram = buildDiagram(analyze(records(specs)), "full");
    const label = (id: string) => diagram.nodes.find((n) => n.id === id)!.label.split("\n")[0];
    assert.deepEqual(diagram.edges.map(([from, to]) => `${label(from)}>${label(to)}`).sort(), ["a>b", "b>c"]);
  });
});
