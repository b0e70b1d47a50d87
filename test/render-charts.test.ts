// Every shipped stack file rendered with the real Istio charts (scripts/render-charts.ts). The charts are not
// in this repository and CI reaches no network beyond npm, so this runs only where ISTIO_CHARTS_DIR holds
// `git archive`s of istio/istio's release-1.30 and release-1.31 (under 1.30/ and 1.31/) and HELM names a
// helm binary; elsewhere it is skipped, saying why (docs/upgrades.md has what it printed when it ran). The
// checks themselves are tested without charts in chart-checks.test.ts.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { describe, it } from "node:test";
import { ROOT } from "../offline/engine/stackFiles";

const charts = process.env["ISTIO_CHARTS_DIR"];
const helm = process.env["HELM"] ?? "helm";
const skip =
  charts && existsSync(join(charts, "1.30")) && existsSync(join(charts, "1.31"))
    ? false
    : "set ISTIO_CHARTS_DIR (and HELM) to render with the real charts";

const stackFiles = [
  ...readdirSync(ROOT)
    .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
    .map((f) => join(ROOT, f)),
  ...readdirSync(join(ROOT, "examples"), { recursive: true, encoding: "utf8" })
    // A project file (Pulumi.yaml) is not a stack file.
    .filter((f) => f.endsWith(".yaml") && basename(f) !== "Pulumi.yaml")
    .map((f) => join(ROOT, "examples", f)),
];

describe("the shipped stack files with the real charts", { timeout: 600_000 }, () => {
  it("are more than the four stacks", () => assert.ok(stackFiles.length > 10, stackFiles.join(", ")));
  for (const file of stackFiles) {
    it(
      `${relative(ROOT, file)}: webhooks, remotes, validator, gateways, rotation, no ignored value`,
      { skip },
      () => {
        const out = execFileSync(
          "npx",
          ["tsx", "scripts/render-charts.ts", "--charts", charts!, "--helm", helm, "--stack-file", file],
          // The existing-clusters example's kubeconfig is encrypted with this throwaway passphrase.
          { cwd: ROOT, encoding: "utf8", env: { ...process.env, PULUMI_CONFIG_PASSPHRASE: "not-a-secret" } },
        );
        assert.match(out, /all checks held/);
        assert.doesNotMatch(out, /^FAIL/m);
      },
    );
  }
});
