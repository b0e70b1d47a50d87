// The canary example rendered with the real Istio charts (scripts/render-charts.ts). The charts are not
// in this repository and CI reaches no network beyond npm, so this runs only where ISTIO_CHARTS_DIR holds
// `git archive`s of istio/istio's release-1.30 and release-1.31 (under 1.30/ and 1.31/) and HELM names a
// helm binary; elsewhere it is skipped, saying why (docs/upgrades.md has what it printed when it ran).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ROOT } from "../offline/engine/stackFiles";

const charts = process.env["ISTIO_CHARTS_DIR"];
const helm = process.env["HELM"] ?? "helm";
const skip =
  charts && existsSync(join(charts, "1.30")) && existsSync(join(charts, "1.31"))
    ? false
    : "set ISTIO_CHARTS_DIR (and HELM) to render with the real charts";

describe("the canary example with the real charts", { timeout: 120_000 }, () => {
  for (const file of [
    "Pulumi.canary.yaml",
    "multi-primary/Pulumi.stage3.yaml",
    "multi-primary/Pulumi.stage4.yaml",
  ]) {
    it(
      `${file}: webhooks per revision and tag, remote injection paths, default validator, gateway tags`,
      { skip },
      () => {
        const out = execFileSync(
          "npx",
          [
            "tsx",
            "scripts/render-charts.ts",
            "--charts",
            charts!,
            "--helm",
            helm,
            "--stack-file",
            join(ROOT, "examples", "canary-upgrade", file),
          ],
          { cwd: ROOT, encoding: "utf8" },
        );
        assert.match(out, /all checks held/);
        assert.doesNotMatch(out, /^FAIL/m);
      },
    );
  }
});
