// `npm run plan` as a user runs it, checked on exit code, what it prints and the files it writes. Two cases
// run it as a child process (the exit code a shell sees); the rest call the same entry point in-process,
// which spares a start-up of the whole program per case. Expectations come from the stack files and the
// duration model, not from output.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { parse } from "yaml";
import { modelDeletion } from "../offline/deletionDurations";
import { modelDuration } from "../offline/durations";
import { ROOT } from "../offline/engine/stackFiles";
import { planInProcess as plan, type PlanRun } from "./support/planRun";

const PLAN_SCRIPT = join(ROOT, "scripts", "plan.ts");
const workDir = mkdtempSync(join(tmpdir(), "plan-command-"));
after(() => rmSync(workDir, { recursive: true, force: true }));

/** `npm run plan -- <args>` as its own process. */
function planProcess(...args: string[]): PlanRun {
  const child = spawnSync(process.execPath, ["--import", "tsx", PLAN_SCRIPT, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 90_000,
  });
  assert.equal(child.error, undefined, `plan did not finish: ${child.error?.message}`);
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

function clusterNamesOf(stackFile: string): string[] {
  const stack = parse(readFileSync(stackFile, "utf8")) as { config: Record<string, unknown> };
  return (stack.config["istio-multicluster:clusters"] as { name: string }[]).map((c) => c.name);
}

describe("npm run plan", { timeout: 240_000 }, () => {
  it("reports the dev stack per cluster with a critical path, and writes Mermaid and DOT", () => {
    const out = join(workDir, "dev");
    const { status, stdout, stderr } = planProcess("--stack", "dev", "--out", out);
    assert.equal(status, 0, stderr);

    const clusters = clusterNamesOf(join(ROOT, "Pulumi.dev.yaml"));
    const headers = [...stdout.matchAll(/^(\S+) \((\d+) resources?\)$/gm)];
    assert.deepEqual(
      headers.map((h) => h[1]),
      ["mesh", ...clusters],
      "one section for the mesh, then one per cluster of the stack file",
    );
    const total = Number(/^Totals: (\d+) resources/m.exec(stdout)?.[1]);
    assert.equal(
      headers.reduce((sum, h) => sum + Number(h[2]), 0),
      total,
      "every resource is in exactly one group",
    );

    // Nothing in a mesh exists before its clusters: the critical path contains at least one cluster create.
    const critical = /^Critical path: ([\d.]+) min in (\d+) steps/m.exec(stdout);
    assert.ok(critical, stdout);
    const clusterMinutes = modelDuration("gcp:container/cluster:Cluster").seconds / 60;
    assert.ok(Number(critical[1]) >= clusterMinutes, `critical path ${critical[1]} min`);
    const steps = stdout.split("Critical path:")[1]!.split("\n\n")[0]!.split("\n").slice(1);
    assert.equal(steps.filter((l) => l.includes("->")).length, Number(critical[2]));
    assert.ok(steps.some((l) => l.includes("gcp:Cluster")));

    const markdown = readFileSync(join(out, "dev.md"), "utf8");
    const mermaid = /```mermaid\n([\s\S]*?)```/.exec(markdown)?.[1];
    assert.ok(mermaid, "the Markdown page embeds a Mermaid diagram");
    assert.match(mermaid, /^flowchart /);
    for (const cluster of clusters) assert.ok(mermaid.includes(`["${cluster}"]`), `no box for ${cluster}`);
    const mermaidNodes = new Set([...mermaid.matchAll(/^\s+(n\d+)\[/gm)].map((m) => m[1]));
    assert.equal(mermaidNodes.size, total, "a small stack shows every resource");
    for (const [, from, to] of mermaid.matchAll(/^\s+(n\d+) [-=]=?> (n\d+)$/gm)) {
      assert.ok(
        mermaidNodes.has(from!) && mermaidNodes.has(to!),
        `edge to an undeclared node: ${from} ${to}`,
      );
    }

    // The picture people open (its content is checked in plan-svg.test.ts).
    assert.match(readFileSync(join(out, "dev.svg"), "utf8"), /<svg [^>]*>[\s\S]*<\/svg>\s*$/);
    const dot = readFileSync(join(out, "dev.dot"), "utf8");
    assert.match(dot, /^digraph "[^"]*" \{/);
    assert.equal((dot.match(/\{/g) ?? []).length, (dot.match(/\}/g) ?? []).length, "balanced braces");
    assert.equal((dot.match(/subgraph cluster_\d+ \{/g) ?? []).length, clusters.length + 1);
    const dotNodes = new Set([...dot.matchAll(/^\s+(n\d+) \[label=/gm)].map((m) => m[1]));
    for (const [, from, to] of dot.matchAll(/^\s+(n\d+) -> (n\d+)/gm)) {
      assert.ok(dotNodes.has(from!) && dotNodes.has(to!));
    }
  });

  it("prints the destroy order with --destroy, checked, for a stack file", async () => {
    const { status, stdout, stderr } = await plan("--stack", "primary-remote", "--destroy");
    assert.equal(status, 0, stderr);
    const clusters = clusterNamesOf(join(ROOT, "Pulumi.primary-remote.yaml"));
    const waves = stdout.split("\n\n")[1]!.split("\n");
    const order = waves.filter((l) => /^wave +\d+ /.test(l)).map((l) => Number(/^wave +(\d+)/.exec(l)![1]));
    assert.deepEqual(
      order,
      [...order].sort((a, b) => a - b),
      "waves in the order they run",
    );
    const deleted = (kind: string) =>
      waves
        .filter((l) => l.trim().startsWith(`${kind} `))
        .reduce((n, l) => n + Number(l.trim().split(/\s+/)[1]), 0);
    assert.equal(deleted("gcp:Cluster"), clusters.length);
    assert.equal(deleted("provider:kubernetes"), clusters.length);
    const at = (kind: string) => waves.findIndex((l) => l.trim().startsWith(`${kind} `));
    assert.ok(at("kubernetes:Release") < at("provider:kubernetes"), "releases before providers");
    assert.ok(at("provider:kubernetes") < at("gcp:Cluster"), "providers before clusters");
    assert.ok(at("gcp:Cluster") < at("gcp:Network"), "clusters before their VPC");
    const total = Number(/^Destroy critical path: ([\d.]+) min/m.exec(stdout)?.[1]);
    const clusterMinutes = modelDeletion("gcp:container/cluster:Cluster").seconds / 60;
    assert.ok(total >= clusterMinutes, stdout);
    const checks = stdout.split("Checks on the destroy order:\n")[1]!.trimEnd().split("\n");
    assert.equal(checks.length, 4);
    assert.ok(
      checks.every((l) => l.startsWith("  ok ")),
      checks.join("\n"),
    );
  });

  it("rejects an unknown stack with exit code 1, naming the stacks there are", () => {
    const out = join(workDir, "unknown");
    const { status, stdout, stderr } = planProcess("--stack", "no-such-stack", "--out", out);
    assert.equal(status, 1);
    assert.match(stderr, /unknown stack "no-such-stack"/);
    assert.match(stderr, /known stacks: .*\bdev\b/);
    assert.equal(stdout, "");
    assert.equal(existsSync(out), false, "nothing is written");
  });

  it("rejects an invalid config with exit code 1 and one line per problem naming the field", async () => {
    const stackFile = join(workDir, "Pulumi.broken.yaml");
    writeFileSync(
      stackFile,
      [
        "config:",
        "  gcp:project: my-gcp-project",
        "  istio-multicluster:topology: ring",
        "  istio-multicluster:clusters:",
        "    - { name: Cluster_1, location: us-east1-b, network: network1, role: primary }",
        "    - { name: cluster2, location: us-central1-b, network: network2, role: primary }",
        "",
      ].join("\n"),
    );
    const out = join(workDir, "broken");
    const { status, stdout, stderr } = await plan("--stack-file", stackFile, "--out", out);
    assert.equal(status, 1);
    assert.match(stderr, /invalid stack config/);
    const problems = stderr.split("\n").filter((l) => l.startsWith("  - "));
    assert.ok(
      problems.some((p) => p.startsWith("  - topology:")),
      stderr,
    );
    assert.ok(
      problems.some((p) => p.startsWith("  - clusters[0].name:") && p.includes("Cluster_1")),
      stderr,
    );
    assert.doesNotMatch(stdout, /Critical path/);
    assert.equal(existsSync(out), false);
  });

  it("shows every cluster's slot and ranges, and the lines that pin them", async () => {
    const { status, stdout, stderr } = await plan("--stack", "multi-primary", "--out", join(workDir, "mp"));
    assert.equal(status, 0, stderr);
    for (const name of clusterNamesOf(join(ROOT, "Pulumi.multi-primary.yaml"))) {
      const slot = createHash("sha256").update(name).digest()[0]!;
      assert.match(
        stdout,
        new RegExp(`^  ${name} +${slot} +\\S+ +10\\.${slot}\\.0\\.0/16 `, "m"),
        `${name}'s row`,
      );
      assert.ok(stdout.includes(`  - { name: ${name}, ..., slot: ${slot} }`), `${name}'s pin`);
    }
  });

  it("--against prints what pulumi up would change: removing one of five clusters", async () => {
    const names = ["east", "central", "west", "europe", "asia"];
    const regions = ["us-east1", "us-central1", "us-west1", "europe-west4", "asia-east1"];
    const clusters = names.map((name, i) => ({
      name,
      location: `${regions[i]}-b`,
      network: `net-${name}`,
      role: "primary",
    }));
    const stackFile = join(workDir, "Pulumi.five.yaml");
    writeFileSync(
      stackFile,
      `config:\n  gcp:project: my-gcp-project\n  istio-multicluster:clusters: ${JSON.stringify(clusters)}\n`,
    );
    const target = JSON.stringify({ clusters: clusters.filter((c) => c.name !== "west") });
    const { status, stdout, stderr } = await plan(
      "--stack-file",
      stackFile,
      "--against",
      target,
      "--out",
      join(workDir, "five"),
    );
    assert.equal(status, 0, stderr);
    const diff = stdout.split("Changes from stack")[1]!;
    assert.match(
      diff,
      /^ "five" to its config with clusters overridden:\n0 creates, 4 updates, 0 replacements, (\d+) deletes/,
    );
    const deletes = [...diff.matchAll(/^ {2}- +delete +(\S+) (\S+)$/gm)].map((m) => m[2]!);
    assert.ok(
      deletes.includes("mesh-west") && deletes.includes("mesh-west-istiod"),
      "west and what runs in it go",
    );
    const updates = [...diff.matchAll(/^ {2}~ +update +(\S+) (\S+) +\((.*)\)$/gm)].map(
      (m) => `${m[2]} ${m[3]}`,
    );
    assert.deepEqual(
      updates.sort(),
      names
        .filter((n) => n !== "west")
        .map((watcher) => `mesh-${watcher}-remote-secrets data.west`)
        .sort(),
      "every other cluster's one remote Secret forgets west, nothing else changes",
    );
    assert.ok(
      deletes.every((d) => d.includes("west")),
      "nothing unrelated to west goes",
    );
  });

  it("--against a stack file: a replaced cluster is marked with the field that forces it", async () => {
    const base = join(ROOT, "Pulumi.primary-remote.yaml");
    const moved = join(workDir, "Pulumi.moved.yaml");
    writeFileSync(moved, readFileSync(base, "utf8").replace("us-central1-b", "us-central1-c"));
    const { status, stdout, stderr } = await plan(
      "--stack",
      "primary-remote",
      "--against",
      moved,
      "--out",
      join(workDir, "moved"),
    );
    assert.equal(status, 0, stderr);
    assert.match(
      stdout,
      /^ {2}\+- +replace +gcp:Cluster mesh-cluster2 +\(location \(forces replacement\)\)$/m,
    );
    assert.match(
      stdout,
      /^ {2}\+- +replace +provider:kubernetes mesh-cluster2 +\((clusterIdentifier|replaceWith)/m,
    );
    assert.match(
      stdout,
      /^ {2}\+- +replace +kubernetes:Release mesh-cluster2-istiod +\(its provider mesh-cluster2 is replaced\)/m,
    );
    assert.doesNotMatch(stdout, /replace +\S+ mesh-cluster1/, "nothing of cluster1 is replaced");
  });

  it("--against: the diff and its WARNING lines come first, the stack as it is after them", async () => {
    const { status, stdout, stderr } = await plan(
      "--stack",
      "dev",
      "--against",
      '{"privateNodes": true}',
      "--out",
      join(workDir, "warned"),
    );
    assert.equal(status, 0, stderr);
    const diffAt = stdout.indexOf("Changes from stack");
    const warningAt = stdout.search(/^WARNING: privateNodes on/m);
    const replacedAt = stdout.search(/^WARNING: 2 GKE clusters replaced \(dev1, dev2\)/m);
    const baseAt = stdout.indexOf('Plan for stack "dev"');
    assert.ok(diffAt === 0, "the output opens with the diff");
    assert.ok(warningAt > diffAt && replacedAt > diffAt, "both warnings are in the diff");
    assert.ok(baseAt > Math.max(warningAt, replacedAt), "the base plan follows the diff");
  });

  it("--against: a missing file, bad JSON or an invalid target is reported before anything is evaluated", async () => {
    const missing = await plan("--stack", "dev", "--against", join(workDir, "Pulumi.nowhere.yaml"));
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no such stack file/);
    const json = await plan("--stack", "dev", "--against", "{clusters: [");
    assert.equal(json.status, 1);
    assert.match(json.stderr, /--against is not valid JSON/);
    const invalid = await plan(
      "--stack",
      "dev",
      "--against",
      '{"meshId": "Mesh_1", "releaseChannel": "NIGHTLY"}',
    );
    assert.equal(invalid.status, 1);
    assert.match(invalid.stderr, /meshId/);
    assert.match(invalid.stderr, /releaseChannel/);
    for (const run of [missing, json, invalid])
      assert.equal(run.stdout, "", "nothing was evaluated or printed");
  });

  it("--refresh prints the plain second up and the second up --refresh, both empty for a shipped stack", async () => {
    const { status, stdout, stderr } = await plan("--stack", "shared-control-plane", "--refresh");
    assert.equal(status, 0, stderr);
    const sections = [
      ...stdout.matchAll(
        /^(pulumi up(?: --refresh)?) of stack "shared-control-plane" after its first up.*\n(.*)$/gm,
      ),
    ];
    assert.deepEqual(
      sections.map((m) => m[1]),
      ["pulumi up", "pulumi up --refresh"],
    );
    const unchanged = sections.map(
      (m) => /^0 creates, 0 updates, 0 replacements, 0 deletes; (\d+) unchanged\.$/.exec(m[2]!)?.[1],
    );
    assert.ok(Number(unchanged[0]) > 0 && unchanged[1] === unchanged[0], stdout);
  });

  it("--refresh on an invalid config reports the config and exits 1 without a second up", async () => {
    const stackFile = join(workDir, "Pulumi.refresh-broken.yaml");
    writeFileSync(stackFile, "config:\n  gcp:project: my-gcp-project\n  istio-multicluster:topology: ring\n");
    const { status, stdout, stderr } = await plan("--stack-file", stackFile, "--refresh");
    assert.equal(status, 1);
    assert.match(stderr, /invalid stack config/);
    assert.match(stderr, /topology/);
    assert.doesNotMatch(stdout, /pulumi up/);
  });

  it("rejects a bad argument with usage and exit code 1", async () => {
    const { status, stderr } = await plan("--detail", "everything");
    assert.equal(status, 1);
    assert.match(stderr, /--detail must be auto, full or collapsed/);
    assert.match(stderr, /usage: npm run plan/);
  });
});
