// `npx tsx scripts/render-charts.ts --charts <dir> [--helm <path>] [--stack-file <path>]`: renders every
// Istio release a stack's plan makes (base, istiod per revision, east-west and ingress gateways) with the
// REAL charts and `helm template`, with the values the components pass, and checks what the mesh relies on
// (scripts/chartChecks.ts): injection and tag webhooks per revision, a remote's injection path, caBundle
// and its istiod Service to the primary, the default validator, the gateways' network, ports and tag, the
// multi-root setting of a root rotation, and no value key that the chart would ignore. Any stack file: it is
// read as `npm run plan` reads it (secrets decrypted, or placeholders). The charts are not part of this
// repository: <dir>/<minor>/ holds a `git archive` of istio/istio's release-<minor> branch
// (manifests/charts/...). Exit 1 on a failed check.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { istiodReleases, primaryReleaseValues, remoteReleaseValues } from "../istio/istiodReleases";
import {
  baseInstall,
  baseValues,
  eastWestGatewayValues,
  gatewayInstall,
  samplesGatewayInstall,
  EAST_WEST_GATEWAY_TAG,
} from "../istio/values";
import { planOfConfig } from "../offline/configPlan";
import { loadStackFile, stackNameOf } from "../offline/engine/stackFiles";
import { stageEffects } from "../pki/rotation";
import type { ClusterPlan, MeshPlan } from "../plan/types";
import { ingressGatewayValues } from "../samples/manifests";
import { checkCluster, unknownValueKeys, type Manifest, type RenderedCluster } from "./chartChecks";

const CHART_PATHS = {
  base: "manifests/charts/base",
  istiod: "manifests/charts/istio-control/istio-discovery",
  gateway: "manifests/charts/gateway",
} as const;
type Chart = keyof typeof CHART_PATHS;

/** Stand-ins for what the cloud assigns: the primary's istiod exposure, a gateway's address, the root. */
const REMOTE_PILOT_IP = "203.0.113.10";
const REMOTE_PILOT_HOST = "istiod.primary.example.com";
const GATEWAY_IP = "203.0.113.20";
const ROOT_PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

/**
 * Keys the program sets that a chart does not read, on purpose: istio/values.ts names the image in every
 * release so that each says which Istio it is, though only istiod's chart builds images from it.
 */
const UNREAD_ON_PURPOSE: Record<Chart, readonly string[]> = {
  base: ["global.hub", "global.tag"],
  istiod: [],
  gateway: ["global.hub", "global.tag"],
};

function args(argv: readonly string[]) {
  const get = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const charts = get("--charts");
  if (!charts) throw new Error("usage: render-charts --charts <dir> [--helm <path>] [--stack-file <path>]");
  return {
    charts: resolve(charts),
    helm: get("--helm") ?? "helm",
    stackFile: resolve(get("--stack-file") ?? "examples/canary-upgrade/Pulumi.canary.yaml"),
  };
}

/** One chart of one Istio minor: where it is, its defaults, and the text of its templates. */
function chartAt(chartsDir: string, chart: Chart, version: string) {
  const minor = version.split(".").slice(0, 2).join(".");
  const dir = join(chartsDir, minor, CHART_PATHS[chart]);
  if (!existsSync(dir)) throw new Error(`no ${chart} chart for ${minor} at ${dir}`);
  const templateText = ["templates", "files"]
    .map((sub) => join(dir, sub))
    .filter((sub) => existsSync(sub))
    .flatMap((sub) => readdirSync(sub, { recursive: true, encoding: "utf8" }).map((f) => join(sub, f)))
    .filter((file) => /\.(yaml|tpl|txt)$/.test(file))
    .map((file) => readFileSync(file, "utf8"))
    .join("\n");
  return {
    dir,
    minor,
    defaults: parse(readFileSync(join(dir, "values.yaml"), "utf8")) as unknown,
    templateText,
  };
}

/** `helm template` of one release; anything Helm prints on stderr, and any ignored value key, is a problem. */
export function renderRelease(
  helm: string,
  chartsDir: string,
  chart: Chart,
  version: string,
  releaseName: string,
  values: object,
  problems: string[],
): Manifest[] {
  const { dir, minor, defaults, templateText } = chartAt(chartsDir, chart, version);
  const what = `${releaseName} (${chart} ${minor})`;
  for (const key of unknownValueKeys(values, defaults, templateText))
    if (!UNREAD_ON_PURPOSE[chart].includes(key))
      problems.push(`${what}: value ${key} is neither a default nor read`);
  const work = mkdtempSync(join(tmpdir(), "render-"));
  try {
    const file = join(work, "values.json");
    writeFileSync(file, JSON.stringify(values));
    const run = spawnSync(helm, ["template", releaseName, dir, "-n", "istio-system", "-f", file], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.error) throw run.error;
    if (run.status !== 0) {
      problems.push(`${what}: helm template failed: ${run.stderr.trim()}`);
      return [];
    }
    if (run.stderr.trim() !== "") problems.push(`${what}: helm printed: ${run.stderr.trim()}`);
    return parseAllDocuments(run.stdout)
      .map((d) => d.toJS() as Manifest | null)
      .filter((m): m is Manifest => m !== null);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Every release of one cluster, rendered with the values its components pass. */
function renderCluster(
  plan: MeshPlan,
  c: ClusterPlan,
  render: (chart: Chart, version: string, name: string, values: object) => Manifest[],
  remotePilotAddress: string,
  multiRoot: boolean,
): RenderedCluster {
  const istiod = new Map(
    istiodReleases(c).map((release) => {
      const values = c.remote
        ? remoteReleaseValues(c, release, remotePilotAddress, ROOT_PEM)
        : primaryReleaseValues(plan.meshId, c, release, multiRoot);
      return [release.revision.name, render("istiod", release.install.version, release.helmName, values)];
    }),
  );
  const ewInstall = gatewayInstall(c, EAST_WEST_GATEWAY_TAG);
  const frontend = plan.samples.onlineBoutique?.frontendCluster === c.name;
  const ingressInstall = samplesGatewayInstall(c);
  return {
    base: render("base", baseInstall(c).version, "istio-base", baseValues(c)),
    istiod,
    ...(c.eastWestGateway
      ? {
          eastWestGateway: render(
            "gateway",
            ewInstall.version,
            "istio-eastwestgateway",
            eastWestGatewayValues(c, GATEWAY_IP),
          ),
        }
      : {}),
    ...(frontend
      ? {
          ingressGateway: render(
            "gateway",
            ingressInstall.version,
            "istio-ingressgateway",
            ingressGatewayValues(ingressInstall, GATEWAY_IP, c.revisions),
          ),
        }
      : {}),
  };
}

function main(): number {
  const options = args(process.argv.slice(2));
  const stackFile = loadStackFile(options.stackFile);
  const planned = planOfConfig(stackFile.config, stackNameOf(options.stackFile), stackFile.secretKeys);
  if (!planned.ok) {
    console.log(`${options.stackFile} is not a valid stack config:\n  - ${planned.problems.join("\n  - ")}`);
    return 1;
  }
  const { plan } = planned;
  const problems: string[] = [];
  const log = (line: string) => console.log(line);
  const render = (chart: Chart, version: string, name: string, values: object) =>
    renderRelease(options.helm, options.charts, chart, version, name, values, problems);
  const multiRoot = stageEffects(plan.ca.rotation?.stage).multiRoot;
  for (const c of plan.clusters) {
    const remotePilotAddress = c.remote?.address === "hostname" ? REMOTE_PILOT_HOST : REMOTE_PILOT_IP;
    const rendered = renderCluster(plan, c, render, remotePilotAddress, multiRoot);
    const releases = istiodReleases(c);
    log(
      `${c.name} (${c.role}): base ${baseInstall(c).version}, ` +
        releases.map((r) => `${r.helmName} ${r.install.version} [${r.revision.tags.join(", ")}]`).join(", ") +
        (rendered.eastWestGateway ? ", east-west gateway" : "") +
        (rendered.ingressGateway ? ", ingress gateway" : ""),
    );
    problems.push(...checkCluster(c, rendered, { releases, remotePilotAddress, multiRoot }, log));
  }
  for (const p of problems) console.log(`FAIL ${p}`);
  console.log(problems.length === 0 ? "all checks held" : `${problems.length} checks failed`);
  return problems.length === 0 ? 0 : 1;
}

if (require.main === module) process.exit(main());
