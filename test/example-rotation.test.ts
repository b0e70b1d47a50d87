// examples/root-rotation: a two-cluster multi-primary mesh in stage 2 of a root rotation
// (Pulumi.rotation.yaml), with the stack files of the stages around it, as docs/certificates.md uses them.
// Planned as a user runs it (`npm run plan -- --against`), and each file one stage after the one before.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { settingsFromConfig } from "../config/load";
import { requireValidConfig } from "../config/validate";
import { evaluate } from "../offline/engine/runtime";
import { configFromFile, PROJECT, ROOT } from "../offline/engine/stackFiles";
import { planMesh } from "../plan/planner";
import { planInProcess } from "./support/planRun";

const DIR = join(ROOT, "examples", "root-rotation");
const FILES = ["0-before", "1-trust-both", "Pulumi.rotation", "3-drop-old", "4-finished"].map((f) =>
  join(DIR, `${f}.yaml`),
);
const caOf = (path: string) => {
  const { settings } = settingsFromConfig(configFromFile(path), PROJECT);
  return planMesh(requireValidConfig(settings, { stack: "rotation" })).ca;
};

describe("the root-rotation example", { timeout: 240_000 }, () => {
  it("Pulumi.rotation.yaml is stage 2 (reissue) of a generated ECDSA root v2, and its output says no restart is due", async () => {
    const ca = caOf(FILES[2]!);
    assert.equal(ca.rotation?.stage, "reissue");
    assert.deepEqual(ca.rotation?.newRoot, { kind: "generated", name: "v2", validityHours: 87600 });
    const evaluation = await evaluate(configFromFile(FILES[2]!), { stack: "rotation" });
    assert.equal(evaluation.error, undefined, String(evaluation.error));
    assert.deepEqual(evaluation.duplicateUrns, []);
    const output = evaluation.outputs["caRotation"] as { stage: string; restartDue: boolean };
    assert.deepEqual([output.stage, output.restartDue], ["reissue", false]);
  });

  it("its neighbours are the stages before and after it, one stage apart, ending with the new root as the mesh's", () => {
    const stages = FILES.map((f) => caOf(f).rotation?.stage);
    assert.deepEqual(stages, [undefined, "trust-both", "reissue", "drop-old", undefined]);
    const finished = caOf(FILES[4]!);
    assert.deepEqual([finished.rootName, finished.keyAlgorithm], ["v2", "ECDSA"]);
  });

  it("npm run plan -- --against plans stage 1 -> 2: intermediates re-issued, cacerts updated, no restart due", async () => {
    const child = await planInProcess(
      ...["--stack", "rotation", "--stack-file", FILES[1]!, "--against", FILES[2]!],
      ...["--out", mkdtempSync(join(tmpdir(), "rotation-plan-"))],
    );
    assert.equal(child.status, 0, child.stderr);
    assert.match(child.stdout, /0 creates, 2 updates, 6 replacements, 0 deletes/);
    assert.match(child.stdout, /\+- replace tls:LocallySignedCert mesh-ca-cluster1-intermediate-ca/);
    assert.match(
      child.stdout,
      /~ {2}update {2}kubernetes:Secret mesh-cluster2-cacerts {2}\(stringData\.ca-cert\.pem; stringData\.ca-key\.pem; stringData\.cert-chain\.pem\)/,
    );
    assert.match(child.stdout, /^NOTE: root rotation stage reissue: no restart is due/m);
    assert.doesNotMatch(child.stdout, /WARNING/);
  });
});
