// The Mermaid page stays within Mermaid's default limits (500 edges, 50,000 characters of diagram text):
// a full picture that would pass them falls back to the collapsed one, as `auto` does for the SVG.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyze } from "../offline/analysis";
import {
  buildDiagram,
  fitsMermaid,
  MERMAID_MAX_EDGES,
  MERMAID_MAX_TEXT_SIZE,
  renderMarkdown,
  renderMermaid,
} from "../offline/diagram";
import { evaluate } from "../offline/engine/runtime";
import { syntheticClusters } from "../offline/engine/syntheticMesh";
import { withOverrides } from "./support/configs";

const mermaidBlock = (markdown: string) => /```mermaid\n([\s\S]*?)\n```/.exec(markdown)?.[1];

describe("the Mermaid picture", { timeout: 180_000 }, () => {
  it("falls back to the collapsed form where the full one passes Mermaid's limits", async () => {
    const clusters = syntheticClusters("multi-primary", 16);
    const evaluation = await evaluate(
      withOverrides({ topology: "multi-primary", clusters, helloworld: true }),
    );
    if (evaluation.error) throw evaluation.error;
    const analysis = analyze(evaluation.resources);
    const full = buildDiagram(analysis, "full");
    const fullText = renderMermaid(full);
    assert.ok(
      full.edges.length > MERMAID_MAX_EDGES || fullText.length > MERMAID_MAX_TEXT_SIZE,
      `the full picture of 16 clusters is past the limits (${full.edges.length} edges, ${fullText.length} characters)`,
    );
    const markdown = renderMarkdown(analysis, full, { stack: "sixteen" });
    const drawn = mermaidBlock(markdown);
    assert.ok(drawn, "a picture is drawn");
    assert.equal(`${drawn}\n`, renderMermaid(buildDiagram(analysis, "collapsed")));
    assert.ok(drawn.length <= MERMAID_MAX_TEXT_SIZE);
    assert.match(markdown, /would pass Mermaid's default limits/);
  });

  it("keeps the full picture of a small mesh", async () => {
    const evaluation = await evaluate(withOverrides({ clusters: syntheticClusters("multi-primary", 2) }));
    if (evaluation.error) throw evaluation.error;
    const analysis = analyze(evaluation.resources);
    const full = buildDiagram(analysis, "full");
    assert.ok(fitsMermaid(full));
    assert.equal(`${mermaidBlock(renderMarkdown(analysis, full, { stack: "two" }))}\n`, renderMermaid(full));
  });
});
