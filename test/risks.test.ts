// The WARNING lines of the offline diff: each risky change of docs/day2.md is named, with why and what to do,
// and a harmless change warns of nothing. Both sides are evaluated on the mock engine and diffed as
// `npm run plan -- --against` does; the plans come from the same configs through validation and the planner.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planOfConfig } from "../offline/configPlan";
import { renderDiff } from "../offline/diffReport";
import { diffEvaluations } from "../offline/engine/diff";
import { evaluate } from "../offline/engine/runtime";
import type { CliConfig } from "../offline/engine/stackFiles";
import { changeRisks, compareVersions, type Warning } from "../offline/risks";
import { rotationWarnings } from "../offline/rotationWarnings";
import type { MeshPlan } from "../plan/types";
import { withOverrides } from "./support/configs";

const node = { machineType: "e2-standard-4", nodeCount: 1, spot: true };
const twoPrimaries = [
  { name: "east", location: "us-east1-b", network: "net-a", role: "primary", nodePool: node },
  { name: "west", location: "us-west1-b", network: "net-b", role: "primary", nodePool: node },
];
const primaryAndRemote = [
  { name: "hub", location: "us-east1-b", network: "net-a", role: "primary", nodePool: node },
  { name: "spoke", location: "us-west1-b", network: "net-b", role: "remote", nodePool: node },
];

function planOf(config: CliConfig, stack = "risks"): MeshPlan {
  // Built by withOverrides: no secret keys, so none is held in plain text either.
  const checked = planOfConfig(config, stack, []);
  assert.ok(checked.ok, checked.ok ? "" : checked.problems.join("; "));
  return checked.plan;
}

async function risksOf(before: CliConfig, after: CliConfig, stack = "risks"): Promise<Warning[]> {
  const [a, b] = [await evaluate(before, { stack }), await evaluate(after, { stack })];
  if (a.error) throw a.error;
  if (b.error) throw b.error;
  return changeRisks(planOf(before, stack), planOf(after, stack), diffEvaluations(a.resources, b.resources));
}

const risks = (warnings: readonly Warning[]) => warnings.map((w) => w.risk).sort();
const find = (warnings: readonly Warning[], risk: string) => {
  const found = warnings.find((w) => w.risk === risk);
  assert.ok(found, `a ${risk} warning among ${risks(warnings).join(", ")}`);
  return found;
};

describe("warnings of a diff", { timeout: 240_000 }, () => {
  const base = withOverrides({ clusters: twoPrimaries });

  it("a harmless change (release channel) warns of nothing", async () => {
    assert.deepEqual(
      await risksOf(base, withOverrides({ clusters: twoPrimaries, releaseChannel: "STABLE" })),
      [],
    );
  });

  it("privateNodes on: the switch, and both clusters replaced by the control-plane range", async () => {
    const warnings = await risksOf(base, withOverrides({ clusters: twoPrimaries, privateNodes: true }));
    assert.deepEqual(risks(warnings), ["clusters-replaced", "private-nodes-switched"]);
    const replaced = find(warnings, "clusters-replaced");
    assert.match(
      replaced.summary,
      /^2 GKE clusters replaced \(east, west\), forced by privateClusterConfig\./,
    );
    assert.match(find(warnings, "private-nodes-switched").summary, /privateNodes on.*\(east, west\)/);
  });

  it("one moved cluster: one replacement, forced by its location", async () => {
    const moved = [twoPrimaries[0], { ...twoPrimaries[1]!, location: "us-west1-c" }];
    const warnings = await risksOf(base, withOverrides({ clusters: moved }));
    assert.deepEqual(risks(warnings), ["clusters-replaced"]);
    assert.equal(
      find(warnings, "clusters-replaced").summary,
      "1 GKE cluster replaced (west), forced by location",
    );
  });

  it("a new meshId: named with both ids, and the restart it needs; the meshId-only change replaces nothing", async () => {
    const renamed = withOverrides({ clusters: twoPrimaries, meshId: "mesh-b" });
    const warnings = await risksOf(base, renamed);
    assert.deepEqual(risks(warnings), ["mesh-id-changed"]);
    const changed = find(warnings, "mesh-id-changed");
    assert.match(changed.summary, /^meshId "mesh1" -> "mesh-b"/);
    assert.match(changed.why, /ISTIO_META_MESH_ID/);
    assert.match(changed.action, /rollout restart/);
    assert.deepEqual(await risksOf(renamed, renamed), [], "the same meshId twice warns of nothing");
  });

  it("a new namePrefix: named, with the command that keeps the deployed one", async () => {
    const warnings = await risksOf(base, withOverrides({ clusters: twoPrimaries, namePrefix: "other" }));
    const prefix = find(warnings, "name-prefix-changed");
    assert.match(prefix.summary, /^namePrefix "risks" -> "other"/);
    assert.match(prefix.action, /pulumi config set namePrefix risks/);
    assert.match(find(warnings, "clusters-replaced").summary, /\(east, west\)/);
  });

  it("a new organization of the generated root: no risk of its own, the rotation check names the new root", async () => {
    const after = withOverrides({ clusters: twoPrimaries, caOrganization: "Example" });
    assert.deepEqual(await risksOf(base, after), []);
    const root = rotationWarnings(planOf(base).ca, planOf(after).ca);
    assert.ok(
      root.some((l) => /^WARNING: the mesh root is replaced in one step/.test(l)),
      root.join("\n"),
    );
  });

  it("a remote upgraded ahead of its primary is named with the primary; the primary first is fine", async () => {
    const mesh = { topology: "primary-remote", istioVersion: "1.30.3" };
    const before = withOverrides({ ...mesh, clusters: primaryAndRemote });
    const pinned = (role: string) =>
      withOverrides({
        ...mesh,
        clusters: primaryAndRemote.map((c) => (c.role === role ? { ...c, istioVersion: "1.31.1" } : c)),
      });
    const remoteFirst = await risksOf(before, pinned("remote"));
    assert.deepEqual(risks(remoteFirst), ["remote-ahead-of-primary"]);
    assert.equal(
      remoteFirst[0]!.summary,
      "remote spoke would run Istio 1.31.1, ahead of its primary hub (1.30.3)",
    );
    assert.match(remoteFirst[0]!.action, /upgrade hub first/);
    assert.deepEqual(await risksOf(before, pinned("primary")), []);
  });

  it("deleting a cluster that has deletion protection says the up stops there and how to go on", async () => {
    const third = {
      name: "north",
      location: "us-central1-b",
      network: "net-c",
      role: "primary",
      nodePool: node,
    };
    const before = withOverrides({ clusters: [...twoPrimaries, third], deletionProtection: true });
    const warnings = await risksOf(
      before,
      withOverrides({ clusters: twoPrimaries, deletionProtection: true }),
    );
    assert.deepEqual(risks(warnings), ["protected-cluster-deleted"]);
    assert.match(warnings[0]!.summary, /^1 cluster with deletion protection would be deleted \(north\)/);
    assert.match(warnings[0]!.action, /pulumi config set deletionProtection false && pulumi up/);
  });

  it("renders each warning as a WARNING line right under the counts, the rotation's lines with them, before the steps", async () => {
    const after = withOverrides({ clusters: twoPrimaries, privateNodes: true, caOrganization: "Example" });
    const [a, b] = [await evaluate(base, { stack: "risks" }), await evaluate(after, { stack: "risks" })];
    const diff = diffEvaluations(a.resources, b.resources);
    const warnings = changeRisks(planOf(base), planOf(after), diff);
    const rotation = rotationWarnings(planOf(base).ca, planOf(after).ca);
    const text = renderDiff(diff, new Map(), "Changes:", warnings, rotation).split("\n");
    const warningLines = text.filter((l) => l.startsWith("WARNING: "));
    assert.equal(
      warningLines.length,
      warnings.length + rotation.filter((l) => l.startsWith("WARNING: ")).length,
    );
    const firstStep = text.findIndex((l) => /^ {2}\+- /.test(l));
    assert.ok(text.indexOf(warningLines.at(-1)!) < firstStep, "warnings come before the steps");
    assert.ok(text.some((l) => l.startsWith("  do:  ")));
  });
});

describe("compareVersions", () => {
  it("orders by major, minor, then patch, numerically", () => {
    assert.equal(compareVersions("1.31.1", "1.30.9"), 1);
    assert.equal(compareVersions("1.30.10", "1.30.9"), 1);
    assert.equal(compareVersions("1.30.3", "1.30.3"), 0);
    assert.equal(compareVersions("1.30.3", "1.31.0"), -1);
  });
});
