// The package as a consumer installs it: packed (which runs `prepare`, the build of the traffic check),
// unpacked into a program's node_modules in a temporary directory outside the repository, embedded in that
// program with verifyOnUp, and the command its traffic check registers run from yet another directory,
// with a fake kubectl first on PATH. Dependencies are linked from this repository's node_modules (what
// `npm install` would put there) to keep the test fast.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { evaluate } from "../offline/engine/runtime";
import { ROOT } from "../offline/engine/stackFiles";

const COMMAND = "command:local:Command";

describe("the package installed in another program", { timeout: 120_000 }, () => {
  let consumer: string;
  let installed: string;
  before(() => {
    consumer = mkdtempSync(join(tmpdir(), "mesh-consumer-"));
    installed = join(consumer, "node_modules", "istio-multicluster");
    mkdirSync(installed, { recursive: true });
    const packed = execFileSync("npm", ["pack", "--silent", "--pack-destination", consumer], {
      cwd: ROOT,
      encoding: "utf8",
    })
      .trim()
      .split("\n")
      .pop()!;
    execFileSync("tar", ["xzf", join(consumer, packed), "-C", installed, "--strip-components", "1"]);
    for (const dep of readdirSync(join(ROOT, "node_modules"))) {
      if (dep.startsWith(".") || dep === "istio-multicluster") continue;
      symlinkSync(join(ROOT, "node_modules", dep), join(consumer, "node_modules", dep));
    }
  });
  after(() => rmSync(consumer, { recursive: true, force: true }));

  it("ships the traffic check as plain JavaScript, and no tests, scripts or offline engine", () => {
    const files = execFileSync("find", [".", "-type", "f"], { cwd: installed, encoding: "utf8" });
    assert.match(files, /^\.\/bin\/verify\/main\.js$/m);
    assert.doesNotMatch(files, /^\.\/(test|scripts|offline)\//m);
  });

  it("runs its traffic check without tsx, scripts/ or the program's working directory", async () => {
    // The consumer's program, loaded from the installed copy as Pulumi's language host would load it.
    const lib = (await import(join(installed, "lib.ts"))) as typeof import("../lib");
    const program = () =>
      new lib.MulticlusterMesh("mesh", {
        project: "consumer-project-1",
        topology: "multi-primary",
        clusters: [
          { name: "east", location: "us-east1-b", network: "n1", role: "primary" },
          { name: "west", location: "us-west1-a", network: "n2", role: "primary" },
        ],
        helloworld: true,
        verifyOnUp: true,
      }).outputs;
    const evaluation = await evaluate(
      { "gcp:project": "consumer-project-1" },
      { program, stack: "consumer" },
    );
    assert.equal(evaluation.error, undefined, String(evaluation.error));
    const check = evaluation.resources.find((r) => r.type === COMMAND);
    assert.ok(check, "verifyOnUp registers the check's command");
    const create = String(check.inputs["create"]);
    assert.doesNotMatch(create, /tsx|scripts\//);
    assert.ok(create.includes(join(installed, "bin", "verify", "main.js")), create);

    // A kubectl that answers nothing: the check must start, read its input and reach kubectl.
    const fakeBin = mkdtempSync(join(consumer, "fake-bin-"));
    const calls = join(fakeBin, "calls");
    writeFileSync(
      join(fakeBin, "kubectl"),
      `#!/bin/sh\necho "$*" >> "${calls}"\necho "fake kubectl" >&2\nexit 1\n`,
    );
    chmodSync(join(fakeBin, "kubectl"), 0o755);
    const env = check.inputs["environment"] as Record<string, string>;
    const run = spawnSync("sh", ["-c", create], {
      cwd: mkdtempSync(join(tmpdir(), "elsewhere-")),
      env: {
        PATH: `${fakeBin}:${dirname(process.execPath)}:/usr/bin:/bin`,
        MESH_VERIFY_INPUT: env["MESH_VERIFY_INPUT"]!,
      },
      encoding: "utf8",
      timeout: 60_000,
    });
    const output = `${run.stdout}\n${run.stderr}`;
    assert.doesNotMatch(output, /Cannot find module|ERR_MODULE_NOT_FOUND|ERR_UNKNOWN_FILE_EXTENSION/);
    assert.ok([1, 3].includes(run.status ?? -1), `exit ${run.status}: ${output}`);
    assert.match(execFileSync("cat", [calls], { encoding: "utf8" }), /--kubeconfig/);
  });
});
