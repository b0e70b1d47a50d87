// `npm run contexts`: the stack outputs of a real evaluation (the dev stack on the offline engine) read back
// through a fake `pulumi` and written as kubeconfigs with one context per cluster, named after the cluster.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import { evaluate } from "../offline/engine/runtime";
import { stackConfig } from "../offline/engine/stackFiles";
import { main, parseCommandLine } from "../scripts/contexts";
import type { RunResult, Runner } from "../verify/types";

interface Kubeconfig {
  clusters: { name: string; cluster: { server: string; "certificate-authority-data": string } }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
  users: { name: string; user: { exec?: { command: string }; token?: string } }[];
  "current-context": string;
}

const workDir = mkdtempSync(join(tmpdir(), "contexts-"));
after(() => rmSync(workDir, { recursive: true, force: true }));

let outputsJson = "";
/** Endpoint and CA the GKE API returned per cluster, as recorded on the mock cloud. */
const gke = new Map<string, { endpoint: string; ca: string }>();

function fakePulumi(result: Partial<RunResult> = {}) {
  const calls: (readonly string[])[] = [];
  const run: Runner = async (command, args) => {
    assert.equal(command, "pulumi");
    calls.push(args);
    return { code: 0, stdout: outputsJson, stderr: "", ...result };
  };
  return { run, calls };
}

async function contexts(argv: string[], result?: Partial<RunResult>) {
  const log: string[] = [];
  const pulumi = fakePulumi(result);
  const code = await main(argv, pulumi.run, (line) => log.push(line), workDir);
  return { code, log, calls: pulumi.calls };
}

const mode = (path: string) => statSync(path).mode & 0o777;

describe("npm run contexts", { timeout: 120_000 }, () => {
  before(async () => {
    const evaluation = await evaluate(stackConfig("dev"), { stack: "dev" });
    assert.equal(evaluation.error, undefined, String(evaluation.error));
    outputsJson = JSON.stringify(evaluation.outputs);
    for (const r of evaluation.resources.filter((x) => x.type === "gcp:container/cluster:Cluster")) {
      const masterAuth = r.outputs["masterAuth"] as { clusterCaCertificate: string };
      // The stack program's mesh is named "mesh": its GKE clusters are `mesh-<cluster>`.
      gke.set(r.name.replace(/^mesh-/, ""), {
        endpoint: String(r.outputs["endpoint"]),
        ca: masterAuth.clusterCaCertificate,
      });
    }
    assert.deepEqual([...gke.keys()].sort(), ["dev1", "dev2"]);
  });

  it("merges one context per cluster, named after it, authenticated by gke-gcloud-auth-plugin, mode 0600", async () => {
    const { code, log, calls } = await contexts(["--stack", "dev"]);
    assert.equal(code, 0, log.join("\n"));
    assert.deepEqual(calls, [["stack", "output", "--json", "--show-secrets", "--stack", "dev"]]);
    const file = join(workDir, "out", "contexts", "dev.kubeconfig");
    assert.equal(mode(file), 0o600);
    const config = parse(readFileSync(file, "utf8")) as Kubeconfig;
    assert.deepEqual(
      config.contexts.map((c) => c.name),
      ["dev1", "dev2"],
    );
    assert.equal(config["current-context"], "dev1");
    for (const context of config.contexts) {
      const cluster = config.clusters.find((c) => c.name === context.context.cluster)!;
      const user = config.users.find((u) => u.name === context.context.user)!;
      assert.equal(cluster.cluster.server, `https://${gke.get(context.name)!.endpoint}`);
      assert.equal(cluster.cluster["certificate-authority-data"], gke.get(context.name)!.ca);
      assert.equal(user.user.exec?.command, "gke-gcloud-auth-plugin");
      assert.equal(user.user.token, undefined, "no static credentials on disk");
    }
  });

  it("--separate writes <cluster>.kubeconfig per cluster; an existing file is tightened to 0600", async () => {
    const dir = join(workDir, "separate");
    const first = await contexts(["--stack", "dev", "--separate", "separate"]);
    assert.equal(first.code, 0, first.log.join("\n"));
    assert.deepEqual(readdirSync(dir).sort(), ["dev1.kubeconfig", "dev2.kubeconfig"]);
    writeFileSync(join(dir, "dev1.kubeconfig"), "stale", { mode: 0o644 });
    assert.equal((await contexts(["--stack", "dev", "--separate", dir])).code, 0);
    for (const name of ["dev1", "dev2"]) {
      const path = join(dir, `${name}.kubeconfig`);
      assert.equal(mode(path), 0o600);
      const config = parse(readFileSync(path, "utf8")) as Kubeconfig;
      assert.deepEqual(
        config.contexts.map((c) => c.name),
        [name],
      );
      assert.equal(config["current-context"], name);
    }
  });

  it("refuses bad arguments, masked outputs and undeployed stacks with exit code 2", async () => {
    assert.equal((await contexts([])).code, 2);
    assert.equal((await contexts(["--stack", "dev", "--out", "a", "--separate", "b"])).code, 2);
    assert.equal(parseCommandLine(["--help"], workDir), "help");

    const masked = JSON.parse(outputsJson) as { clusters: Record<string, { kubeconfig: string }> };
    masked.clusters["dev2"]!.kubeconfig = "[secret]";
    outputsJson = JSON.stringify(masked);
    try {
      const { code, log } = await contexts(["--stack", "dev", "--out", "masked.kubeconfig"]);
      assert.equal(code, 2);
      assert.match(log.join("\n"), /clusters\.dev2\.kubeconfig is missing or masked/);
    } finally {
      outputsJson = JSON.stringify({ ...masked, clusters: {} });
    }
    assert.match((await contexts(["--stack", "dev"])).log.join("\n"), /no `clusters`/);
    const missing = await contexts(["--stack", "nope"], {
      code: 255,
      stderr: "error: no stack named 'nope' found",
    });
    assert.equal(missing.code, 2);
    assert.match(missing.log.join("\n"), /stack "nope" does not exist/);
    assert.deepEqual(readdirSync(workDir).includes("masked.kubeconfig"), false, "nothing written on failure");
  });
});
