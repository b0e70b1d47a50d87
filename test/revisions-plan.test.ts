// Canary revisions as pure data: names from versions, which revision renders which tag at each stage,
// what base follows, remotes following their primary, and the config rules with the fields they name.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateMeshConfig } from "../config/validate";
import { istiodReleases } from "../istio/istiodReleases";
import { planMesh } from "../plan/planner";
import { releaseOrder, revisionName } from "../plan/revisions";
import type { ClusterPlan } from "../plan/types";

type Role = "primary" | "remote";
const cluster = (name: string, role: Role, network: string, extra: object = {}) => ({
  name,
  location: name === "cluster1" ? "us-east1-b" : "us-central1-b",
  network,
  role,
  ...extra,
});
const twoPrimaries = [cluster("cluster1", "primary", "network1"), cluster("cluster2", "primary", "network2")];
const primaryRemote = [cluster("cluster1", "primary", "network1"), cluster("cluster2", "remote", "network2")];

function settings(topology: string, clusters: object[], extra: object = {}) {
  return { project: "my-gcp-project", topology, istioVersion: "1.30.3", clusters, ...extra };
}
function planOf(topology: string, clusters: object[], extra: object = {}) {
  const result = validateMeshConfig(settings(topology, clusters, extra), { stack: "dev" });
  if (!result.ok) throw new Error(result.problems.join("\n"));
  return planMesh(result.config);
}
function problemsOf(topology: string, clusters: object[], extra: object) {
  const result = validateMeshConfig(settings(topology, clusters, extra), { stack: "dev" });
  return result.ok ? [] : result.problems;
}
/** Per revision: "<name or default>@<version>[tags]". */
const shape = (c: ClusterPlan) =>
  c.revisions!.revisions.map((r) => `${r.name || "default"}@${r.version}[${r.tags.join(",")}]`);

// The four stages of docs/upgrades.md, from a mesh built on 1.30.3 before revisions.
const STAGES = {
  s1: { istioRevisions: { canary: "1.31.1" } },
  s2: { istioRevisions: { canary: "1.31.1", samplesTag: "prod-canary" } },
  s3: { istioRevisions: { canary: "1.31.1", samplesTag: "prod-canary", promoted: true } },
  s4: { istioVersion: "1.31.1", istioRevisions: { stable: "versioned" } },
};

describe("revision names", () => {
  it("derive from the version as DNS labels, and refuse anything else", () => {
    assert.equal(revisionName("1.31.1"), "1-31-1");
    assert.equal(revisionName("1.30.12"), "1-30-12");
    assert.throws(() => revisionName("1.31"), /not a version/);
  });
});

describe("revision plan per stage", () => {
  it("a mesh without istioRevisions has no revisions: one unnamed istiod, as before", () => {
    for (const c of planOf("multi-primary", twoPrimaries).clusters) {
      assert.equal(c.revisions, undefined);
      assert.deepEqual(
        istiodReleases(c).map((r) => [r.helmName, r.install.version, r.revisioned]),
        [["istiod", "1.30.3", false]],
      );
    }
  });

  it("multi-primary: the stable tag stays until promotion, base follows the newest revision and prod-stable", () => {
    const at = (stage: keyof typeof STAGES) => planOf("multi-primary", twoPrimaries, STAGES[stage]).clusters;
    for (const c of at("s1")) {
      assert.deepEqual(shape(c), ["default@1.30.3[prod-stable]", "1-31-1@1.31.1[prod-canary]"]);
      assert.equal(c.revisions!.baseVersion, "1.31.1");
      assert.equal(c.revisions!.defaultRevision, "default");
      assert.equal(c.revisions!.samplesTag, "prod-stable");
    }
    for (const c of at("s2")) assert.equal(c.revisions!.samplesTag, "prod-canary");
    for (const c of at("s3")) {
      assert.deepEqual(shape(c), ["default@1.30.3[]", "1-31-1@1.31.1[prod-stable,prod-canary]"]);
      assert.equal(c.revisions!.defaultRevision, "1-31-1");
    }
    for (const c of at("s4")) {
      assert.deepEqual(shape(c), ["1-31-1@1.31.1[prod-stable]"]);
      assert.deepEqual(
        istiodReleases(c).map((r) => r.helmName),
        ["istiod-1-31-1"],
      );
    }
  });

  it("releases are ordered so that prod-stable leaves one release before the other renders it", () => {
    const order = (stage: keyof typeof STAGES) =>
      releaseOrder(planOf("multi-primary", twoPrimaries, STAGES[stage]).clusters[0]!.revisions!);
    // Not promoted: the canary first (rolling promotion back, it drops prod-stable before the stable takes it).
    assert.deepEqual(order("s1"), ["1-31-1", ""]);
    // Promoted: the stable release first (it drops prod-stable before the canary takes it).
    assert.deepEqual(order("s3"), ["", "1-31-1"]);
    assert.deepEqual(order("s4"), ["1-31-1"]);
  });

  it("canaryClusters: a primary left out keeps prod-canary on its stable revision", () => {
    const [one, two] = planOf("multi-primary", twoPrimaries, {
      istioRevisions: { canary: "1.31.1", canaryClusters: ["cluster1"], samplesTag: "prod-canary" },
    }).clusters;
    assert.deepEqual(shape(one!), ["default@1.30.3[prod-stable]", "1-31-1@1.31.1[prod-canary]"]);
    assert.deepEqual(shape(two!), ["default@1.30.3[prod-stable]"]);
    // prod-canary does not exist there: its samples stay on prod-stable whatever samplesTag says.
    assert.equal(two!.revisions!.tagTargets["prod-canary"], undefined);
    assert.equal(two!.revisions!.baseVersion, "1.30.3");
    assert.equal(one!.revisions!.samplesTag, "prod-canary");
    assert.equal(two!.revisions!.samplesTag, "prod-stable");
  });

  for (const topology of ["primary-remote", "shared-control-plane"]) {
    it(`${topology}: a remote runs every revision of its primary, at every stage`, () => {
      const clusters =
        topology === "primary-remote"
          ? primaryRemote
          : primaryRemote.map((c) => ({ ...c, network: "network1" }));
      for (const stage of Object.keys(STAGES) as (keyof typeof STAGES)[]) {
        const [primary, remote] = planOf(topology, clusters, STAGES[stage]).clusters;
        assert.deepEqual(shape(remote!), shape(primary!), stage);
        assert.deepEqual(remote!.revisions!.tagTargets, primary!.revisions!.tagTargets, stage);
      }
    });
  }

  it("a remote pinned to its own version keeps it for the stable release, named after its primary", () => {
    const [, remote] = planOf(
      "primary-remote",
      [primaryRemote[0]!, { ...primaryRemote[1]!, istioVersion: "1.31.0" }],
      { istioVersion: "1.31.1", istioRevisions: { stable: "versioned" } },
    ).clusters;
    assert.deepEqual(shape(remote!), ["1-31-1@1.31.0[prod-stable]"]);
  });
});

describe("revision rules", () => {
  it("promoted or canaryClusters without a canary name the field", () => {
    assert.deepEqual(problemsOf("multi-primary", twoPrimaries, { istioRevisions: { promoted: true } }), [
      "istioRevisions.promoted: needs istioRevisions.canary (stage 3 moves prod-stable to the canary revision; " +
        "after stage 4 the promoted version is istioVersion and promoted goes)",
    ]);
    assert.match(
      problemsOf("multi-primary", twoPrimaries, { istioRevisions: { canaryClusters: ["cluster1"] } }).join(),
      /^istioRevisions\.canaryClusters: needs istioRevisions\.canary/,
    );
  });

  it("prod-canary for the samples needs a canary: the tag exists only while one runs", () => {
    assert.match(
      problemsOf("multi-primary", twoPrimaries, { istioRevisions: { samplesTag: "prod-canary" } })[0]!,
      /^istioRevisions\.samplesTag: prod-canary exists only while a canary runs/,
    );
  });

  it("canaryClusters names primaries only, and not none", () => {
    assert.deepEqual(
      problemsOf("primary-remote", primaryRemote, {
        istioRevisions: { canary: "1.31.1", canaryClusters: ["cluster2", "cluster9"] },
      }),
      [
        'istioRevisions.canaryClusters[0]: "cluster2" is not a primary of this mesh (a remote runs the revisions of its primary)',
        'istioRevisions.canaryClusters[1]: "cluster9" is not a primary of this mesh (a remote runs the revisions of its primary)',
      ],
    );
    assert.match(
      problemsOf("multi-primary", twoPrimaries, {
        istioRevisions: { canary: "1.31.1", canaryClusters: [] },
      })[0]!,
      /^istioRevisions\.canaryClusters: is empty/,
    );
  });

  it("a canary older than a cluster's stable version, or equal to a versioned stable, is refused", () => {
    assert.match(
      problemsOf("multi-primary", twoPrimaries, {
        istioVersion: "1.31.1",
        istioRevisions: { canary: "1.30.3" },
      })[0]!,
      /^istioRevisions\.canary: 1\.30\.3 is older than clusters\[0\] \(istioVersion\) 1\.31\.1/,
    );
    assert.match(
      problemsOf("multi-primary", twoPrimaries, {
        istioVersion: "1.31.1",
        istioRevisions: { stable: "versioned", canary: "1.31.1" },
      })[0]!,
      /^istioRevisions\.canary: 1\.31\.1 is already the stable revision of clusters\[0\]/,
    );
    // The same version as an unnamed stable is the way to name a stable revision without upgrading.
    assert.deepEqual(problemsOf("multi-primary", twoPrimaries, { istioRevisions: { canary: "1.30.3" } }), []);
  });

  it("a remote's own version is held to the canary like its primary's", () => {
    const problems = problemsOf(
      "primary-remote",
      [primaryRemote[0]!, { ...primaryRemote[1]!, istioVersion: "1.31.1" }],
      { istioRevisions: { canary: "1.31.0" } },
    );
    assert.match(
      problems.join("\n"),
      /istioRevisions\.canary: 1\.31\.0 is older than clusters\[1\]\.istioVersion 1\.31\.1/,
    );
  });

  it("an unknown key or a bad tag is a schema problem naming the field", () => {
    const problems = problemsOf("multi-primary", twoPrimaries, {
      istioRevisions: { canary: "1.31.1", samplesTag: "prod" },
    });
    assert.match(
      problems.join("\n"),
      /istioRevisions\.samplesTag: "prod" is not one of: prod-stable, prod-canary/,
    );
  });
});
