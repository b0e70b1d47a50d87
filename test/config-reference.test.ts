// The README's configuration reference is generated from the schema: it must list every key with its
// default, and the README must carry the current version of it.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { SECRET_KEYS } from "../config/load";
import { REFERENCE_END, REFERENCE_START, configReference, withReference } from "../config/reference";
import { clusterSchema, meshConfigSchema, nodePoolSchema } from "../config/schema";
import { README, currentReadme } from "../scripts/config-docs";

const rowOf = (reference: string, key: string) =>
  reference.split("\n").find((line) => line.startsWith(`| \`${key}\``));

describe("configuration reference", () => {
  const reference = configReference();

  it("has a row for every setting, cluster field, node pool field and secret key", () => {
    const keys = [
      ...Object.keys(meshConfigSchema.shape).map((k) => (k === "project" ? "gcp:project" : k)),
      ...Object.keys(clusterSchema.shape),
      ...Object.keys(nodePoolSchema.shape),
      ...SECRET_KEYS,
    ];
    for (const key of keys) assert.ok(rowOf(reference, key), `${key} is documented`);
  });

  it("shows the schema's defaults, requirements and choices", () => {
    assert.match(rowOf(reference, "istioVersion")!, /\| `"1\.31\.1"` \|/);
    assert.match(rowOf(reference, "clusters")!, /\| \(required\) \|/);
    assert.match(
      rowOf(reference, "topology")!,
      /one of `multi-primary`, `primary-remote`, `shared-control-plane`/,
    );
    assert.match(rowOf(reference, "nodeCount")!, /integer 1-1000 \| `2`/);
    assert.match(rowOf(reference, "caEarlyRenewalHours")!, /integer >= 0 \| `720`/, "no safe-integer bound");
    assert.match(rowOf(reference, "kubeconfigs")!, /\(secret\)/);
  });

  it("keeps table cells intact when a description holds a pipe", () => {
    for (const line of reference.split("\n").filter((l) => l.startsWith("| `"))) {
      assert.equal(line.replaceAll("\\|", "").split("|").length, 6, line);
    }
  });

  it("replaces only the text between the markers, and refuses a document without them", () => {
    const doc = `head\n${REFERENCE_START}\nold\n${REFERENCE_END}\ntail\n`;
    assert.equal(withReference(doc, "new"), `head\n${REFERENCE_START}\n\nnew\n\n${REFERENCE_END}\ntail\n`);
    assert.throws(() => withReference("no markers", "new"), /markers/);
  });

  it("is current in the README (run npm run docs after changing config/schema.ts)", async () => {
    const readme = readFileSync(README, "utf8");
    assert.equal(await currentReadme(readme), readme);
  });
});
