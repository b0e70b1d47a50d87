// A refactoring guard: the graph every covered mesh registers (resources, their parent and provider, their
// dependency edges, their inputs) equals the one recorded in test/data/graph-identity.json. Recorded from
// main at 4437f31, before the Istio layer's wiring moved into the plan; a change that means to alter the
// graph re-records it with `GRAPH_IDENTITY=record node --import tsx --test test/graph-identity.test.ts`
// and says why in its commit.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { graphDigest, snapshotMeshes, type ResourceDigest } from "./support/graphSnapshot";

const FILE = join(__dirname, "data", "graph-identity.json");
type Recorded = Record<string, Record<string, ResourceDigest>>;

describe("the resource graph of every covered mesh is the recorded one", { timeout: 300_000 }, () => {
  const meshes = snapshotMeshes();
  if (process.env["GRAPH_IDENTITY"] === "record") {
    it("records", async () => {
      const recorded: Recorded = {};
      for (const [name, config] of Object.entries(meshes)) recorded[name] = await graphDigest(config);
      writeFileSync(FILE, JSON.stringify(recorded, null, 1) + "\n");
    });
    return;
  }
  const recorded = JSON.parse(readFileSync(FILE, "utf8")) as Recorded;
  it("covers the same meshes", () => assert.deepEqual(Object.keys(meshes), Object.keys(recorded)));
  for (const [name, config] of Object.entries(meshes)) {
    it(name, async () => {
      const now = await graphDigest(config);
      const before = recorded[name] ?? {};
      assert.deepEqual(Object.keys(now), Object.keys(before), "the same resources");
      const changed = Object.keys(now).flatMap((urn) => {
        const [was, is] = [before[urn]!.split(" "), now[urn]!.split(" ")];
        return is.filter((part, i) => part !== was[i]).map((part) => `${urn}: ${part.split(":")[0]}`);
      });
      assert.deepEqual(changed, [], "the same parent, provider, dependencies and inputs");
    });
  }
});
