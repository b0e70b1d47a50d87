// The plan picture: DOT from offline/diagram.ts laid out in-process by WASM Graphviz (offline/svg.ts). The
// SVG must parse, draw one box per group (the mesh plus each cluster of the stack file) and mark the
// critical path, and collapsed pictures must not fold a whole cluster into the MulticlusterMesh wrapper.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DOMParser, type Element } from "@xmldom/xmldom";
import { parse } from "yaml";
import { analyze } from "../offline/analysis";
import { buildDiagram, renderDot, type Detail } from "../offline/diagram";
import { evaluate } from "../offline/engine/runtime";
import { ROOT, stackConfig } from "../offline/engine/stackFiles";
import { renderSvg } from "../offline/svg";

const CRITICAL = "#d62728";

function clusterNamesOf(stack: string): string[] {
  const file = parse(readFileSync(join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as {
    config: Record<string, unknown>;
  };
  return (file.config["istio-multicluster:clusters"] as { name: string }[]).map((c) => c.name);
}

async function picture(stack: string, detail: Detail) {
  const evaluation = await evaluate(stackConfig(stack), { stack });
  assert.equal(evaluation.error, undefined, String(evaluation.error));
  const analysis = analyze(evaluation.resources);
  const diagram = buildDiagram(analysis, detail);
  const svgText = await renderSvg(renderDot(diagram, `istio-multicluster ${stack}`));
  const errors: string[] = [];
  const doc = new DOMParser({
    onError: (level, message) => void errors.push(`${level}: ${message}`),
  }).parseFromString(svgText, "image/svg+xml");
  assert.deepEqual(errors, [], "the SVG is well-formed XML");
  assert.equal(doc.documentElement?.tagName, "svg");
  const groups = [...doc.getElementsByTagName("g")];
  const ofClass = (cls: string) => groups.filter((g) => g.getAttribute("class") === cls);
  return { analysis, diagram, ofClass };
}

const titleOf = (g: Element) => g.getElementsByTagName("title")[0]?.textContent ?? "";
const textOf = (g: Element) => [...g.getElementsByTagName("text")].map((t) => t.textContent).join(" ");
const strokes = (g: Element) =>
  [...g.getElementsByTagName("path"), ...g.getElementsByTagName("polygon")].map((p) =>
    p.getAttribute("stroke"),
  );

describe("plan picture (SVG)", { timeout: 120_000 }, () => {
  it("dev: one cluster box per group, every resource drawn, the critical path in red", async () => {
    const { analysis, diagram, ofClass } = await picture("dev", "full");
    const boxes = ofClass("cluster");
    const clusters = clusterNamesOf("dev");
    assert.equal(
      boxes.length,
      clusters.length + 1,
      "the mesh-wide box and one per cluster of the stack file",
    );
    for (const cluster of clusters) {
      assert.ok(
        boxes.some((b) => textOf(b) === `cluster ${cluster}`),
        `a box labelled for ${cluster}`,
      );
    }

    const nodes = ofClass("node").filter((g) => /^n\d+$/.test(titleOf(g)));
    assert.equal(nodes.length, analysis.resourceCount, "a small stack shows every resource");
    const red = nodes
      .filter((g) => strokes(g).includes(CRITICAL))
      .map(titleOf)
      .sort();
    const critical = diagram.nodes
      .filter((n) => n.critical)
      .map((n) => n.id)
      .sort();
    assert.deepEqual(red, critical);
    assert.equal(critical.length, analysis.critical.path.length, "full detail: one box per step");
    // Nothing in a mesh exists before its clusters: a GKE cluster is on the critical path.
    assert.ok(nodes.some((g) => strokes(g).includes(CRITICAL) && textOf(g).includes("gcp:Cluster")));
    const redEdges = ofClass("edge").filter((g) => strokes(g).includes(CRITICAL));
    assert.equal(redEdges.length, diagram.criticalEdges.size);
    assert.ok(diagram.criticalEdges.size > 0);
    assert.ok(ofClass("node").some((g) => titleOf(g) === "legend" && textOf(g).includes("critical path")));
  });

  it("multi-primary collapsed: components per cluster, not one MulticlusterMesh box per cluster", async () => {
    const { diagram, ofClass } = await picture("multi-primary", "collapsed");
    assert.equal(ofClass("cluster").length, clusterNamesOf("multi-primary").length + 1);
    assert.ok(!diagram.nodes.some((n) => n.label.includes("MulticlusterMesh")), "the wrapper is not a box");
    for (const cluster of clusterNamesOf("multi-primary")) {
      const labels = diagram.nodes.filter((n) => n.group === cluster).map((n) => n.label.split(/\n| \(/)[1]);
      for (const kind of ["GkeCluster", "IstioControlPlane", "EastWestGateway"]) {
        assert.ok(labels.includes(kind), `${cluster} shows its ${kind}: ${labels.join(", ")}`);
      }
    }
    assert.ok(ofClass("node").some((g) => strokes(g).includes(CRITICAL)));
  });
});
