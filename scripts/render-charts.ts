// `npx tsx scripts/render-charts.ts --charts <dir> [--helm <path>] [--stack-file <path>]`: renders every
// Istio release a stack's plan makes (base, istiod per revision, east-west gateway) with the REAL charts
// and `helm template`, and checks what canary revisions rely on: injection and tag webhooks per revision,
// a remote's injection path and caBundle on every webhook, the default validator following prod-stable,
// gateways choosing their tag. The charts are not part of this repository: <dir>/<minor>/ holds a
// `git archive` of istio/istio's release-<minor> branch (manifests/charts/...). Exit 1 on a failed check.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseAllDocuments } from "yaml";
import { settingsFromConfig } from "../config/load";
import { requireValidConfig } from "../config/validate";
import { istiodReleases, primaryReleaseValues, remoteReleaseValues } from "../istio/istiodReleases";
import {
  baseInstall,
  baseValues,
  eastWestGatewayValues,
  gatewayInstall,
  EAST_WEST_GATEWAY_TAG,
} from "../istio/values";
import { configFromFile, PROJECT, stackNameOf } from "../offline/engine/stackFiles";
import { planMesh } from "../plan/planner";
import { istiodNameOf, revisionLabel } from "../plan/revisions";
import type { ClusterPlan } from "../plan/types";

type Manifest = {
  kind?: string;
  metadata?: { name?: string; labels?: Record<string, string> };
  webhooks?: {
    name: string;
    clientConfig: { service?: { name: string; path?: string }; caBundle?: string };
    namespaceSelector?: { matchExpressions?: { key: string; operator: string; values?: string[] }[] };
    objectSelector?: { matchExpressions?: { key: string; operator: string; values?: string[] }[] };
  }[];
  spec?: {
    template?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> } };
  };
  endpoints?: { addresses: string[] }[];
};

const CHART_PATHS = {
  base: "manifests/charts/base",
  istiod: "manifests/charts/istio-control/istio-discovery",
  gateway: "manifests/charts/gateway",
} as const;

const REMOTE_PILOT_ADDRESS = "203.0.113.10";
const ROOT_PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

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

export function renderRelease(
  helm: string,
  chartsDir: string,
  chart: keyof typeof CHART_PATHS,
  version: string,
  releaseName: string,
  values: object,
): Manifest[] {
  const minor = version.split(".").slice(0, 2).join(".");
  const dir = join(chartsDir, minor, CHART_PATHS[chart]);
  if (!existsSync(dir)) throw new Error(`no ${chart} chart for ${minor} at ${dir}`);
  const file = join(mkdtempSync(join(tmpdir(), "render-")), "values.json");
  writeFileSync(file, JSON.stringify(values));
  const out = execFileSync(helm, ["template", releaseName, dir, "-n", "istio-system", "-f", file], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return parseAllDocuments(out)
    .map((d) => d.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

const expr = (
  selector: { matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined,
  key: string,
) => selector?.matchExpressions?.find((e) => e.key === key);

/** The checks of one cluster's releases; returns problems, logs what held. */
export function checkCluster(
  c: ClusterPlan,
  rendered: { base: Manifest[]; istiod: Map<string, Manifest[]>; gateway?: Manifest[] },
  log: (line: string) => void,
): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) =>
    ok ? log(`ok   ${c.name}: ${what}`) : problems.push(`${c.name}: ${what}`);
  const revisions = c.revisions!;
  const defaultValidator = rendered.base.find((m) => m.metadata?.name === "istiod-default-validator");
  const stable = revisions.tagTargets["prod-stable"];
  check(
    defaultValidator?.webhooks?.[0]?.clientConfig.service?.name === istiodNameOf(stable),
    `base's istiod-default-validator calls ${istiodNameOf(stable)} (prod-stable)`,
  );
  for (const revision of revisions.revisions) {
    const docs = rendered.istiod.get(revision.name)!;
    const webhooks = docs.filter((m) => m.kind === "MutatingWebhookConfiguration");
    const injector = `istio-sidecar-injector${revision.name ? `-${revision.name}` : ""}`;
    const tagWebhooks = webhooks.filter((m) => m.metadata?.labels?.["istio.io/tag"]);
    check(
      webhooks.some((m) => m.metadata?.name === injector),
      `revision ${revisionLabel(revision.name)} renders ${injector}`,
    );
    check(
      JSON.stringify(tagWebhooks.map((m) => m.metadata!.labels!["istio.io/tag"]).sort()) ===
        JSON.stringify([...revision.tags].sort()),
      `revision ${revisionLabel(revision.name)} renders the tag webhooks [${revision.tags.join(", ")}] and no other`,
    );
    for (const tag of tagWebhooks) {
      const name = tag.metadata!.labels!["istio.io/tag"]!;
      const ns = tag.webhooks?.find((w) => w.name.startsWith("rev.namespace."));
      check(
        expr(ns?.namespaceSelector, "istio.io/rev")?.values?.[0] === name &&
          expr(ns?.namespaceSelector, "istio-injection")?.operator === "DoesNotExist",
        `tag ${name} selects namespaces istio.io/rev=${name} without istio-injection`,
      );
    }
    for (const webhook of webhooks.flatMap((m) => m.webhooks ?? [])) {
      const service = webhook.clientConfig.service;
      if (service?.name !== istiodNameOf(revision.name)) {
        problems.push(
          `${c.name}: webhook ${webhook.name} of ${revisionLabel(revision.name)} calls ${service?.name}`,
        );
      }
      if (
        c.remote &&
        (service?.path !== `/inject/cluster/${c.name}/net/${c.network}` || !webhook.clientConfig.caBundle)
      ) {
        problems.push(`${c.name}: remote webhook ${webhook.name} lacks the injection path or caBundle`);
      }
    }
    if (c.remote) {
      const slice = docs.find(
        (m) => m.kind === "EndpointSlice" && m.metadata?.name === istiodNameOf(revision.name),
      );
      check(
        slice?.endpoints?.[0]?.addresses?.[0] === REMOTE_PILOT_ADDRESS,
        `remote Service ${istiodNameOf(revision.name)} points at the primary's exposure`,
      );
    }
  }
  if (rendered.gateway) {
    const pod = rendered.gateway.find((m) => m.kind === "Deployment")?.spec?.template?.metadata;
    check(
      pod?.labels?.["istio.io/rev"] === EAST_WEST_GATEWAY_TAG &&
        pod?.labels?.["sidecar.istio.io/inject"] === "true" &&
        pod?.annotations?.["istio-multicluster/tag-revision"] === revisionLabel(stable),
      `east-west gateway pods choose ${EAST_WEST_GATEWAY_TAG} (now ${revisionLabel(stable)})`,
    );
  }
  return problems;
}

function main(): number {
  const options = args(process.argv.slice(2));
  const { settings } = settingsFromConfig(configFromFile(options.stackFile), PROJECT);
  const plan = planMesh(requireValidConfig(settings, { stack: stackNameOf(options.stackFile) }));
  const problems: string[] = [];
  const log = (line: string) => console.log(line);
  for (const c of plan.clusters) {
    if (!c.revisions) throw new Error(`${options.stackFile} does not configure istioRevisions`);
    const render = (chart: keyof typeof CHART_PATHS, version: string, name: string, values: object) =>
      renderRelease(options.helm, options.charts, chart, version, name, values);
    const base = render("base", baseInstall(c).version, "istio-base", baseValues(c));
    const istiod = new Map(
      istiodReleases(c).map((release) => [
        release.revision.name,
        render(
          "istiod",
          release.install.version,
          release.helmName,
          c.remote
            ? remoteReleaseValues(c, release, REMOTE_PILOT_ADDRESS, ROOT_PEM)
            : primaryReleaseValues(plan.meshId, c, release),
        ),
      ]),
    );
    const gateway = c.eastWestGateway
      ? render(
          "gateway",
          gatewayInstall(c, EAST_WEST_GATEWAY_TAG).version,
          "istio-eastwestgateway",
          eastWestGatewayValues(c, REMOTE_PILOT_ADDRESS),
        )
      : undefined;
    log(
      `${c.name} (${c.role}): base ${baseInstall(c).version}, ` +
        istiodReleases(c)
          .map((r) => `${r.helmName} ${r.install.version} [${r.revision.tags.join(", ")}]`)
          .join(", "),
    );
    problems.push(...checkCluster(c, { base, istiod, ...(gateway ? { gateway } : {}) }, log));
  }
  for (const p of problems) console.log(`FAIL ${p}`);
  console.log(problems.length === 0 ? "all checks held" : `${problems.length} checks failed`);
  return problems.length === 0 ? 0 : 1;
}

if (require.main === module) process.exit(main());
