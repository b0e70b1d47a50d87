// The GitHub Actions workflows, validated by GitHub's own workflow parser (@actions/workflow-parser) and
// checked for what the README promises: triggers, least-privilege permissions per job, OIDC instead of
// keys and tokens, pinned actions, and a test job that runs exactly the README's test command.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { ROOT } from "../offline/engine/stackFiles";

const DIR = join(ROOT, ".github", "workflows");
const FILES = readdirSync(DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
}
interface Job {
  permissions?: Record<string, string> | string;
  strategy?: { matrix?: Record<string, unknown> };
  environment?: unknown;
  if?: string;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  jobs: Record<string, Job>;
}

const text = (file: string) => readFileSync(join(DIR, file), "utf8");
const workflow = (file: string) => parse(text(file)) as Workflow;
const uses = (job: Job, action: string) => job.steps.filter((s) => s.uses?.split("@")[0] === action);
const allJobs = () =>
  FILES.flatMap((f) => Object.entries(workflow(f).jobs).map(([id, job]) => ({ file: f, id, job })));

/** Errors of GitHub's parser, schema and semantic conversion (ESM-only package: dynamic import). */
async function validate(name: string, content: string): Promise<string[]> {
  const parser = await import("@actions/workflow-parser");
  const result = parser.parseWorkflow({ name, content }, new parser.NoOperationTraceWriter());
  const errors = result.context.errors.getErrors().map((e) => e.message);
  if (errors.length > 0 || !result.value) return errors;
  const template = await parser.convertWorkflowTemplate(result.context, result.value);
  return (template.errors ?? []).map((e) => e.Message);
}

const OIDC_ACTIONS = ["google-github-actions/auth", "pulumi/auth-actions"];

describe("GitHub Actions workflows", () => {
  it("ships test, preview, up and destroy workflows, each valid for GitHub's parser", async () => {
    assert.deepEqual(FILES, ["destroy.yml", "preview.yml", "test.yml", "up.yml"]);
    for (const file of FILES) assert.deepEqual(await validate(file, text(file)), [], file);
    // The validator is a real one: a misspelt trigger and permission level are rejected.
    const broken = text("test.yml")
      .replace("pull_request:", "pull_requestt:")
      .replace("contents: read", "contents: writ");
    const errors = await validate("broken.yml", broken);
    assert.ok(
      errors.some((e) => e.includes("pull_requestt")),
      errors.join("\n"),
    );
    assert.ok(
      errors.some((e) => e.includes("writ")),
      errors.join("\n"),
    );
  });

  it("the test job runs exactly the README's test command on Node 20 and 22, on every pull request", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const command = /^(npm ci && npm test)\s+#/m.exec(readme)?.[1];
    assert.equal(command, "npm ci && npm test");
    const test = workflow("test.yml");
    assert.ok("pull_request" in test.on);
    const job = test.jobs["test"]!;
    assert.deepEqual(
      job.steps.filter((s) => s.run !== undefined).map((s) => s.run!.trim()),
      [command],
    );
    assert.equal(uses(job, "actions/setup-node")[0]?.with?.["node-version"], "${{ matrix.node }}");
    assert.deepEqual(job.strategy?.matrix?.["node"], [20, 22]);
  });

  it("Node: the engines floor is the oldest Node tested; every job that runs the Pulumi CLI uses Node 22", () => {
    // @pulumi/pulumi and kubernetes-models declare node >= 22; the offline tools and tests also run on 20.
    const declared = (file: string) =>
      (JSON.parse(readFileSync(join(ROOT, file), "utf8")) as { engines?: { node?: string } }).engines?.node;
    assert.equal(declared("node_modules/@pulumi/pulumi/package.json"), ">=22");
    const floor = Number(/^>=(\d+)$/.exec(declared("package.json") ?? "")?.[1]);
    const tested = (job: Job) => {
      const version = uses(job, "actions/setup-node")[0]?.with?.["node-version"];
      return version === "${{ matrix.node }}"
        ? (job.strategy!.matrix!["node"] as number[])
        : [Number(version)];
    };
    const versions = allJobs().flatMap(({ job }) =>
      uses(job, "actions/setup-node").length > 0 ? tested(job) : [],
    );
    assert.equal(Math.min(...versions), floor, "package.json engines names the oldest Node CI runs");
    const pulumiJobs = allJobs().filter(({ job }) => uses(job, "pulumi/actions").length > 0);
    assert.ok(pulumiJobs.length >= 3, "preview, up and destroy");
    for (const { file, id, job } of pulumiJobs) assert.deepEqual(tested(job), [22], `${file} ${id}`);
  });

  it("grants permissions per job only: id-token where a job authenticates, pull-requests where it comments", () => {
    for (const file of FILES) {
      const { permissions } = workflow(file);
      assert.ok(typeof permissions === "object", `${file}: workflow-level permissions are set`);
      assert.ok(
        Object.entries(permissions).every(([scope, level]) => scope === "contents" && level === "read"),
        `${file}: at most contents: read at workflow level`,
      );
    }
    for (const { file, id, job } of allJobs()) {
      const where = `${file} ${id}`;
      assert.ok(typeof job.permissions === "object", `${where}: explicit permissions`);
      const authenticates = OIDC_ACTIONS.some((a) => uses(job, a).length > 0);
      assert.equal(job.permissions["id-token"] === "write", authenticates, `${where}: id-token`);
      const comments = uses(job, "pulumi/actions").some((s) => String(s.with?.["comment-on-pr"]) === "true");
      assert.equal(job.permissions["pull-requests"] === "write", comments, `${where}: pull-requests`);
      const writes = Object.entries(job.permissions)
        .filter(([, level]) => level === "write")
        .map(([s]) => s);
      assert.ok(
        writes.every((s) => s === "id-token" || s === "pull-requests"),
        `${where}: writes ${writes}`,
      );
      assert.ok(["read", undefined].includes(job.permissions["contents"]), `${where}: contents`);
    }
  });

  it("pins every action to a version and logs in through OIDC only (no key files, no stored secrets)", () => {
    for (const { file, id, job } of allJobs()) {
      for (const step of job.steps.filter((s) => s.uses !== undefined)) {
        assert.match(
          step.uses!,
          /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/,
          `${file} ${id}`,
        );
      }
      for (const step of uses(job, "google-github-actions/auth")) {
        assert.deepEqual(Object.keys(step.with ?? {}).sort(), [
          "service_account",
          "workload_identity_provider",
        ]);
      }
    }
    for (const file of FILES) {
      assert.ok(
        !/credentials_json|service_account_key|secrets\./.test(text(file)),
        `${file} uses no stored credential`,
      );
    }
  });

  it("preview: on pull requests, the offline plan without credentials and pulumi preview commenting", () => {
    const preview = workflow("preview.yml");
    assert.deepEqual(Object.keys(preview.on), ["pull_request"]);
    const offline = preview.jobs["offline-plan"]!;
    assert.deepEqual(offline.permissions, { contents: "read" });
    const script = offline.steps.map((s) => s.run ?? "").join("\n");
    assert.match(script, /npm run plan -- "\$\{args\[@\]\}"/);
    assert.match(script, /args=\(--stack "\$stack"\)/);
    const step = uses(preview.jobs["preview"]!, "pulumi/actions")[0]!;
    assert.equal(step.with?.["command"], "preview");
    assert.equal(step.with?.["comment-on-pr"], true);
    assert.equal(step.with?.["policyPacks"], "policy");
  });

  it("up: on main, behind a GitHub environment; destroy: by hand or on schedule, never a prod stack", () => {
    const up = workflow("up.yml");
    assert.deepEqual(up.on["push"], { branches: ["main"] });
    const job = up.jobs["up"]!;
    assert.ok(job.environment, "an environment (required reviewers are set on it)");
    assert.equal(uses(job, "pulumi/actions")[0]?.with?.["command"], "up");

    const destroy = workflow("destroy.yml");
    assert.ok("workflow_dispatch" in destroy.on && "schedule" in destroy.on);
    const destroyJob = destroy.jobs["destroy"]!;
    assert.equal(uses(destroyJob, "pulumi/actions")[0]?.with?.["command"], "destroy");
    assert.match(destroyJob.if!, /!startsWith\(inputs\.stack, 'prod'\)/);
    assert.match(destroyJob.if!, /inputs\.confirm == inputs\.stack/);
    assert.ok(
      destroyJob.steps.some((s) => s.if === "startsWith(matrix.stack, 'prod')" && /exit 1/.test(s.run ?? "")),
    );
  });

  it("every run script is valid bash", () => {
    for (const { file, id, job } of allJobs()) {
      for (const step of job.steps.filter((s) => s.run !== undefined)) {
        const check = spawnSync("bash", ["-n"], { input: step.run, encoding: "utf8" });
        assert.equal(check.status, 0, `${file} ${id}: ${check.stderr}`);
      }
    }
  });

  it("the offline plan step plans exactly the added or changed stack files, diffed from their base version", () => {
    const script = workflow("preview.yml").jobs["offline-plan"]!.steps.find((s) =>
      s.run?.includes("git diff"),
    )!.run!;
    {
      const repo = mkdtempSync(join(tmpdir(), "offline-plan-"));
      try {
        const git = (...args: string[]) => {
          const r = spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
            cwd: repo,
          });
          assert.equal(r.status, 0, r.stderr?.toString());
          return r.stdout.toString().trim();
        };
        git("init", "-q");
        writeFileSync(join(repo, "Pulumi.yaml"), "name: p\n");
        writeFileSync(join(repo, "Pulumi.dev.yaml"), "config: {}\n");
        writeFileSync(join(repo, "Pulumi.old.yaml"), "config: {}\n");
        git("add", ".");
        git("commit", "-qm", "base");
        const base = git("rev-parse", "HEAD");
        writeFileSync(join(repo, "Pulumi.dev.yaml"), "config: { changed: true }\n");
        writeFileSync(join(repo, "Pulumi.new.yaml"), "config: {}\n");
        writeFileSync(join(repo, "Pulumi.$(touch pwned).yaml"), "config: {}\n");
        writeFileSync(join(repo, "Pulumi.yaml"), "name: p2\n");
        rmSync(join(repo, "Pulumi.old.yaml"));
        git("add", "-A");
        git("commit", "-qm", "head");
        // A fake npm: records its arguments and writes the page a plan writes.
        const bin = join(repo, ".bin");
        mkdirSync(bin);
        writeFileSync(
          join(bin, "npm"),
          "#!/usr/bin/env bash\n" +
            'echo "$*" >> "$CALLS"\nfor ((i=1;i<=$#;i++)); do if [ "${!i}" = --stack ]; then j=$((i+1)); s="${!j}"; fi; done\n' +
            'mkdir -p out/plan && echo "# plan $s" > "out/plan/$s.md"\n' +
            // Like the real plan: a diff section only when --against is given.
            'if [[ "$*" == *--against* ]]; then echo "Changes from $s:"; echo "1 update"; echo "WARNING: risky"; echo; echo "The stack as it is (before the change):"; fi\n' +
            'echo "Plan for stack $s"; echo "Address plan"\n',
        );
        chmodSync(join(bin, "npm"), 0o755);
        const env = {
          ...process.env,
          PATH: `${bin}:${process.env["PATH"]}`,
          BASE_SHA: base,
          CALLS: join(repo, "calls"),
          GITHUB_STEP_SUMMARY: join(repo, "summary"),
          RUNNER_TEMP: mkdtempSync(join(repo, "tmp-")),
        };
        const run = spawnSync("bash", ["-e", "-c", script], { cwd: repo, env, encoding: "utf8" });
        assert.equal(run.status, 0, run.stderr);
        const calls = readFileSync(join(repo, "calls"), "utf8").trim().split("\n");
        assert.deepEqual(calls, [
          `run plan -- --stack dev --stack-file ${join(env.RUNNER_TEMP, "base-dev.yaml")} --against Pulumi.dev.yaml`,
          "run plan -- --stack new", // no base file: a new stack is planned without a diff
        ]);
        assert.equal(readFileSync(join(env.RUNNER_TEMP, "base-dev.yaml"), "utf8"), "config: {}\n");
        assert.equal(
          readFileSync(join(repo, "summary"), "utf8"),
          "```\nChanges from dev:\n1 update\nWARNING: risky\n\n```\n# plan dev\n# plan new\n",
          "the diff of a changed stack and its warnings head its summary, without the base plan",
        );
        assert.ok(!readdirSync(repo).includes("pwned"), "file names are never evaluated as shell");
      } finally {
        rmSync(repo, { recursive: true, force: true });
      }
    }
  });
});
