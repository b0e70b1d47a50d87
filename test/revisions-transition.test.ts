// Stages of a canary upgrade checked between two configs (plan/revisionTransition.ts): the order of
// docs/upgrades.md passes, a skipped or badly reversed stage is refused with the cluster it concerns.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { requireValidConfig } from "../config/validate";
import { planMesh } from "../plan/planner";
import { revisionTransitionProblems } from "../plan/revisionTransition";

const clusters = [
  { name: "cluster1", location: "us-east1-b", network: "network1", role: "primary" },
  { name: "cluster2", location: "us-central1-b", network: "network2", role: "primary" },
];
const planOf = (extra: object) =>
  planMesh(
    requireValidConfig(
      { project: "my-gcp-project", topology: "multi-primary", istioVersion: "1.30.3", clusters, ...extra },
      { stack: "dev" },
    ),
  );
const S = {
  s0: {},
  s1: { istioRevisions: { canary: "1.31.1" } },
  s2: { istioRevisions: { canary: "1.31.1", samplesTag: "prod-canary" } },
  s3: { istioRevisions: { canary: "1.31.1", samplesTag: "prod-canary", promoted: true } },
  s4: { istioVersion: "1.31.1", istioRevisions: { stable: "versioned" } },
  inPlace: { istioVersion: "1.31.2", istioRevisions: { stable: "versioned" } },
  legacyInPlace: { istioVersion: "1.31.1" },
};
type Stage = keyof typeof S;
const step = (from: Stage, to: Stage) => revisionTransitionProblems(planOf(S[from]), planOf(S[to]));

describe("canary stages between two configs", () => {
  it("each stage forward, and each rollback of docs/upgrades.md, passes", () => {
    const allowed: [Stage, Stage][] = [
      ["s0", "s1"],
      ["s1", "s2"],
      ["s2", "s3"],
      ["s3", "s4"],
      ["s1", "s0"],
      ["s2", "s1"],
      ["s3", "s2"],
      ["s1", "s3"],
      ["s0", "legacyInPlace"],
    ];
    for (const [from, to] of allowed) assert.deepEqual(step(from, to), [], `${from} -> ${to}`);
  });

  it("removing the revision prod-stable points to is refused, per cluster", () => {
    for (const [from, to] of [
      ["s1", "s4"],
      ["s2", "s4"],
      ["s3", "s0"],
      ["s4", "s0"],
    ] as [Stage, Stage][]) {
      const problems = step(from, to);
      assert.equal(problems.length >= 2, true, `${from} -> ${to}: ${problems.join("\n")}`);
      assert.match(
        problems[0]!,
        /^clusters\[0\] \(cluster1\): this change removes revision \S+, which prod-stable points to/,
      );
    }
  });

  it("promoting a revision that did not run before is refused", () => {
    assert.match(
      step("s0", "s3").join("\n"),
      /clusters\[1\] \(cluster2\): this change points prod-stable at revision 1-31-1, which does not run yet: add it as istioRevisions.canary first/,
    );
  });

  it("an in-place version change of a versioned revision is both", () => {
    const problems = step("s4", "inPlace");
    assert.match(problems.join("\n"), /removes revision 1-31-1/);
    assert.match(problems.join("\n"), /points prod-stable at revision 1-31-2/);
  });
});
