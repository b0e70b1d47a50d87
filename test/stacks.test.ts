// Every shipped stack file evaluates on the mock cloud exactly as `pulumi up --stack <name>` would see it
// (Pulumi.yaml defaults overlaid with the stack file), with the samples its comments promise.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { created, evaluate } from "../offline/engine/runtime";
import { Graph } from "./support/graphQuery";
import { listStacks, stackConfig } from "../offline/engine/stackFiles";

const EXPECTED = {
  dev: { topology: "multi-primary", helloworld: false, onlineBoutique: false, gateways: 0 },
  "multi-primary": { topology: "multi-primary", helloworld: true, onlineBoutique: true, gateways: 2 },
  "primary-remote": { topology: "primary-remote", helloworld: true, onlineBoutique: false, gateways: 2 },
  "shared-control-plane": {
    topology: "shared-control-plane",
    helloworld: true,
    onlineBoutique: false,
    gateways: 0,
  },
} as const;

describe("shipped stack files", { timeout: 240_000 }, () => {
  it("ships one file per topology plus dev", () => {
    assert.deepEqual(listStacks().sort(), Object.keys(EXPECTED).sort());
  });

  for (const [stack, expected] of Object.entries(EXPECTED)) {
    it(`${stack}: evaluates cleanly with two clusters in different regions`, async () => {
      const evaluation = await evaluate(stackConfig(stack), { stack });
      assert.equal(evaluation.error, undefined, String(evaluation.error));
      assert.deepEqual(evaluation.duplicateUrns, []);
      assert.deepEqual([...evaluation.cloud.unhandledTypes], []);
      assert.equal(evaluation.outputs["topology"], expected.topology);
      const graph = new Graph(created(evaluation));
      const clusters = graph.ofType("gcp:container/cluster:Cluster");
      assert.equal(clusters.length, 2);
      const regions = new Set(clusters.map((c) => String(c.inputs["location"]).replace(/-[a-z]$/, "")));
      assert.equal(regions.size, stack === "dev" ? 1 : 2, "the topology stacks span two regions");
      const eastWest = graph
        .ofType("kubernetes:helm.sh/v3:Release")
        .filter((r) => r.inputs["name"] === "istio-eastwestgateway");
      assert.equal(eastWest.length, expected.gateways);
      const deployments = graph
        .ofType("kubernetes:apps/v1:Deployment")
        .map((d) => (d.inputs["metadata"] as { name: string }).name);
      assert.equal(
        deployments.includes("helloworld-v1") && deployments.includes("helloworld-v2"),
        expected.helloworld,
      );
      const boutique = graph
        .ofType("kubernetes:helm.sh/v3:Release")
        .filter((r) => r.inputs["name"] === "onlineboutique");
      assert.equal(boutique.length, expected.onlineBoutique ? 2 : 0);
    });
  }
});
