// Resources below a MulticlusterMesh carry the mesh's name: two meshes with the same cluster and network
// names live in one program, and every resource a shipped stack had before keeps its identity through an
// alias (the old URNs are frozen in test/fixtures/urns-before-mesh-names.json, made from main's code).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { readStackConfig } from "../config/load";
import { MulticlusterMesh, type MulticlusterMeshArgs } from "../lib";
import { created, evaluate, type Evaluation } from "../offline/engine/runtime";
import { ROOT, configFromFile, listStacks, stackConfig, withOverrides } from "../offline/engine/stackFiles";
import embeddedMesh from "../examples/embedded-mesh/index";
import { identitiesOf } from "./support/aliases";
import { execKubeconfig } from "./support/configs";

const MESH_TYPE = "istio-multicluster:index:MulticlusterMesh";
const FROZEN = JSON.parse(
  readFileSync(join(ROOT, "test", "fixtures", "urns-before-mesh-names.json"), "utf8"),
) as { scenarios: Record<string, string[]> };

/** Every shipped stack, both examples, and one config that builds every component (as frozen). */
const SCENARIOS: Record<string, () => Promise<Evaluation>> = {
  ...Object.fromEntries(
    listStacks().map((stack) => [stack, () => evaluate(stackConfig(stack), { stack })] as const),
  ),
  "examples/existing-clusters:mixed": () =>
    evaluate(
      withOverrides(
        { kubeconfigs: { "eks-west": execKubeconfig("https://eks-west.example.com") } },
        configFromFile(join(ROOT, "examples", "existing-clusters", "Pulumi.mixed.yaml")),
      ),
      { stack: "mixed" },
    ),
  "examples/embedded-mesh:example": () =>
    evaluate({ "gcp:project": "example-project-1" }, { program: embeddedMesh, stack: "example" }),
  "multi-primary+privateNodes,fleet,bookinfo,httpbin,verifyOnUp": () =>
    evaluate(
      withOverrides(
        { privateNodes: true, fleet: true, bookinfo: true, httpbin: true, verifyOnUp: true },
        stackConfig("multi-primary"),
      ),
      { stack: "multi-primary" },
    ),
};

/** Old URNs no new resource answers to, and old URNs more than one new resource claims. */
function unclaimed(oldUrns: readonly string[], evaluation: Evaluation) {
  const claims = new Map<string, string[]>();
  for (const r of evaluation.resources) {
    for (const identity of new Set(identitiesOf(r))) {
      claims.set(identity, [...(claims.get(identity) ?? []), r.urn]);
    }
  }
  return {
    lost: oldUrns.filter((urn) => !claims.has(urn)),
    contested: oldUrns.filter((urn) => (claims.get(urn)?.length ?? 0) > 1),
  };
}

describe("resources named after their mesh", { timeout: 300_000 }, () => {
  it("two meshes with the same cluster and network names evaluate in one program", async () => {
    const clusters = [
      { name: "c1", location: "us-east1-b", network: "n1", role: "primary" as const },
      { name: "c2", location: "us-west1-a", network: "n2", role: "primary" as const },
    ];
    const program = () => {
      for (const name of ["east", "west"]) {
        const args: MulticlusterMeshArgs = {
          project: "two-meshes-1",
          topology: "multi-primary",
          meshId: name,
          // GCP names are project-wide: each mesh gets its own prefix.
          namePrefix: name,
          clusters,
          helloworld: true,
          onlineBoutique: true,
        };
        new MulticlusterMesh(name, args);
      }
      return {};
    };
    const evaluation = await evaluate({ "gcp:project": "two-meshes-1" }, { program, stack: "two" });
    assert.equal(evaluation.error, undefined, String(evaluation.error));
    assert.deepEqual(evaluation.duplicateUrns, []);
    const meshes = created(evaluation).filter((r) => r.type === MESH_TYPE);
    assert.deepEqual(meshes.map((m) => m.name).sort(), ["east", "west"]);
    // Each mesh built everything: the same number of resources below each.
    const below = (mesh: string) => created(evaluation).filter((r) => r.name.startsWith(`${mesh}-`)).length;
    assert.ok(below("east") > 40, `east has ${below("east")} resources`);
    assert.equal(below("east"), below("west"));
  });

  for (const [scenario, run] of Object.entries(SCENARIOS)) {
    it(`${scenario}: every resource of main's stack answers to its old URN`, async () => {
      const oldUrns = FROZEN.scenarios[scenario];
      assert.ok(oldUrns, `${scenario} is frozen in the fixture`);
      const evaluation = await run();
      assert.equal(evaluation.error, undefined, String(evaluation.error));
      assert.deepEqual(unclaimed(oldUrns, evaluation), { lost: [], contested: [] });
    });
  }

  it("a mesh named otherwise finds main's resources too (their old names never held the mesh's)", async () => {
    const program = () => {
      const { settings } = readStackConfig();
      return new MulticlusterMesh("prod", settings as MulticlusterMeshArgs).outputs;
    };
    const evaluation = await evaluate(stackConfig("multi-primary"), { program, stack: "multi-primary" });
    assert.equal(evaluation.error, undefined, String(evaluation.error));
    // Main's children did not carry the mesh's name; only the component itself is named otherwise here.
    const oldUrns = FROZEN.scenarios["multi-primary"]!.map((urn) =>
      urn.endsWith(`${MESH_TYPE}::mesh`) ? urn.replace(/::mesh$/, "::prod") : urn,
    );
    assert.deepEqual(unclaimed(oldUrns, evaluation), { lost: [], contested: [] });
    assert.ok(
      created(evaluation)
        .filter((r) => r.type !== MESH_TYPE)
        .every((r) => r.name.startsWith("prod-")),
      "every resource below the mesh starts with its name",
    );
  });
});
