// The mock cloud's ordering question, "does this resource wait for that one, directly or through others?"
// (offline/engine/cloud/dependencies.ts), on hand-built graphs: the answers, and that it stays quick on a
// graph whose paths are exponentially many (what every Istio object of a large mesh asks about its CRDs).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DependencyGraph } from "../offline/engine/cloud/dependencies";

/** A graph from `[urn, waitsOn]` pairs, registered in the order given (dependencies first). */
function graphOf(edges: [string, string[]][]): DependencyGraph {
  const graph = new DependencyGraph();
  for (const [urn, waitsOn] of edges) graph.add(urn, waitsOn);
  return graph;
}

describe("the mock cloud's dependency graph", () => {
  const graph = graphOf([
    ["crd", []],
    ["namespace", []],
    ["istiod", ["crd", "namespace"]],
    ["gateway", ["istiod"]],
    ["config", ["gateway"]],
    ["unordered", ["namespace"]],
  ]);

  it("answers directly, transitively and not at all", () => {
    assert.equal(graph.reaches("istiod", "crd"), true, "a direct dependency");
    assert.equal(graph.reaches("config", "crd"), true, "through gateway and istiod");
    assert.equal(graph.reaches("unordered", "crd"), false, "only the namespace");
    assert.equal(graph.reaches("crd", "config"), false, "edges point one way");
    assert.equal(graph.reaches("config", "config"), true, "a resource is ordered after itself");
    assert.equal(graph.reaches("config", "missing"), false, "an unknown target");
  });

  it("gives the same answers asked again, in any order (its memo is per target)", () => {
    const pairs = ["crd", "namespace", "istiod", "gateway", "config", "unordered"].flatMap((a) =>
      ["crd", "namespace", "istiod", "gateway", "config", "unordered"].map((b) => [a, b] as const),
    );
    const first = pairs.map(([a, b]) => graph.reaches(a, b));
    const again = [...pairs].reverse().map(([a, b]) => graph.reaches(a, b));
    assert.deepEqual(again.reverse(), first);
    const ordered = pairs.filter((_, i) => first[i]).filter(([a, b]) => a !== b);
    assert.deepEqual(ordered.map(([a, b]) => `${a}>${b}`).sort(), [
      "config>crd",
      "config>gateway",
      "config>istiod",
      "config>namespace",
      "gateway>crd",
      "gateway>istiod",
      "gateway>namespace",
      "istiod>crd",
      "istiod>namespace",
      "unordered>namespace",
    ]);
  });

  it("answers at once on a lattice with 2^24 paths that all miss the target", () => {
    // Twenty-four layers of two resources, each waiting for both of the layer below: a search that
    // revisits resources walks all 2^24 paths (seconds); one that remembers visits 50 resources.
    const edges: [string, string[]][] = [
      ["target", []],
      ["l0a", []],
      ["l0b", []],
    ];
    for (let i = 1; i <= 24; i++) {
      const below = [`l${i - 1}a`, `l${i - 1}b`];
      edges.push([`l${i}a`, below], [`l${i}b`, below]);
    }
    const lattice = graphOf(edges);
    const start = performance.now();
    assert.equal(lattice.reaches("l24a", "target"), false);
    const elapsed = performance.now() - start;
    assert.equal(lattice.reaches("l24b", "l0a"), true);
    assert.ok(elapsed < 250, `${elapsed.toFixed(0)} ms for one question`);
  });
});
