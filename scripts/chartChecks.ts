// What scripts/render-charts.ts checks in the manifests Istio's real charts render from the program's values,
// and which value keys a chart neither defaults nor reads. Pure: manifests, values and chart text in,
// problems out (what held is logged).
import { EAST_WEST_GATEWAY_TAG } from "../istio/values";
import type { IstiodRelease } from "../istio/istiodReleases";
import { istiodNameOf, revisionLabel, UNNAMED_REVISION } from "../plan/revisions";
import type { ClusterPlan } from "../plan/types";

type Selector = { matchExpressions?: { key: string; operator: string; values?: string[] }[] };

export type Manifest = {
  kind?: string;
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  webhooks?: {
    name: string;
    clientConfig: { service?: { name: string; path?: string }; caBundle?: string };
    namespaceSelector?: Selector;
  }[];
  spec?: {
    type?: string;
    externalName?: string;
    ports?: { port: number; targetPort?: number | string }[];
    template?: {
      metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
      spec?: { containers?: { name: string; env?: { name: string; value?: string }[] }[] };
    };
  };
  endpoints?: { addresses: string[] }[];
};

export interface RenderedCluster {
  base: Manifest[];
  /** By revision name ("" for the unnamed istiod). */
  istiod: Map<string, Manifest[]>;
  eastWestGateway?: Manifest[];
  ingressGateway?: Manifest[];
}

/** What the values said that the manifests must show. */
export interface Expected {
  releases: readonly IstiodRelease[];
  /** The address a remote's istiod Service leads to: an IPv4 (EndpointSlice) or a host (ExternalName). */
  remotePilotAddress: string;
  multiRoot: boolean;
}

const expr = (selector: Selector | undefined, key: string) =>
  selector?.matchExpressions?.find((e) => e.key === key);

/** A check that logs what held and collects what did not, each line naming the cluster. */
function checker(c: ClusterPlan, log: (line: string) => void) {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) =>
    ok ? log(`ok   ${c.name}: ${what}`) : problems.push(`${c.name}: ${what}`);
  return { problems, check };
}

const ports = (docs: readonly Manifest[]) =>
  new Set(docs.find((m) => m.kind === "Service")?.spec?.ports?.map((p) => p.port) ?? []);

/** The checks of one cluster's releases; returns problems, logs what held. */
export function checkCluster(
  c: ClusterPlan,
  rendered: RenderedCluster,
  expected: Expected,
  log: (line: string) => void,
): string[] {
  const { problems, check } = checker(c, log);
  const stable = c.revisions ? c.revisions.tagTargets["prod-stable"] : UNNAMED_REVISION;
  const validator = rendered.base.find((m) => m.metadata?.name === "istiod-default-validator");
  check(
    validator?.webhooks?.[0]?.clientConfig.service?.name === istiodNameOf(stable),
    `base's istiod-default-validator calls ${istiodNameOf(stable)}${c.revisions ? " (prod-stable)" : ""}`,
  );
  for (const { revision } of expected.releases) {
    const label = revisionLabel(revision.name);
    const docs = rendered.istiod.get(revision.name) ?? [];
    const webhooks = docs.filter((m) => m.kind === "MutatingWebhookConfiguration");
    const injector = `istio-sidecar-injector${revision.name ? `-${revision.name}` : ""}`;
    check(
      webhooks.some((m) => m.metadata?.name === injector),
      `revision ${label} renders ${injector}`,
    );
    const tagWebhooks = webhooks.filter((m) => m.metadata?.labels?.["istio.io/tag"]);
    const tags = tagWebhooks.map((m) => m.metadata!.labels!["istio.io/tag"]!).sort();
    check(
      tags.join() === [...revision.tags].sort().join(),
      `revision ${label} renders the tag webhooks [${revision.tags.join(", ")}] and no other`,
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
      const { service, caBundle } = webhook.clientConfig;
      if (service?.name !== istiodNameOf(revision.name))
        problems.push(`${c.name}: webhook ${webhook.name} of ${label} calls ${service?.name}`);
      if (c.remote && (service?.path !== `/inject/cluster/${c.name}/net/${c.network}` || !caBundle))
        problems.push(`${c.name}: remote webhook ${webhook.name} lacks the injection path or caBundle`);
    }
    if (c.remote) {
      const service = istiodNameOf(revision.name);
      const byHost = c.remote.address === "hostname";
      const reached = byHost
        ? docs.find((m) => m.kind === "Service" && m.metadata?.name === service)?.spec?.externalName
        : docs.find((m) => m.kind === "EndpointSlice" && m.metadata?.name === service)?.endpoints?.[0]
            ?.addresses?.[0];
      check(
        reached === expected.remotePilotAddress,
        `remote Service ${service} leads to the primary's exposure (${byHost ? "ExternalName" : "EndpointSlice"})`,
      );
    } else if (expected.multiRoot) {
      const env = docs
        .find((m) => m.kind === "Deployment")
        ?.spec?.template?.spec?.containers?.find((k) => k.name === "discovery")?.env;
      check(
        env?.some((e) => e.name === "ISTIO_MULTIROOT_MESH" && e.value === "true") === true,
        `revision ${label}'s istiod runs with ISTIO_MULTIROOT_MESH=true (root rotation)`,
      );
    }
  }
  if (rendered.eastWestGateway) problems.push(...checkEastWestGateway(c, rendered.eastWestGateway, log));
  if (rendered.ingressGateway) {
    const service = rendered.ingressGateway.find((m) => m.kind === "Service");
    check(service?.spec?.type === "LoadBalancer", "ingress gateway Service is a LoadBalancer");
  }
  return problems;
}

function checkEastWestGateway(
  c: ClusterPlan,
  docs: readonly Manifest[],
  log: (line: string) => void,
): string[] {
  const { problems, check } = checker(c, log);
  const service = docs.find((m) => m.kind === "Service");
  check(
    service?.metadata?.labels?.["topology.istio.io/network"] === c.network,
    `east-west gateway Service is labelled with network ${c.network}`,
  );
  const exposesIstiod = c.istiodExposure.kind === "eastWestGateway";
  const webhookPort = exposesIstiod && c.istiodExposure.address === "hostname" ? 443 : 15017;
  const wanted = [15021, 15443, ...(exposesIstiod ? [15012, webhookPort] : [])];
  const open = ports(docs);
  check(
    wanted.every((p) => open.has(p)),
    `east-west gateway Service opens ${wanted.join(", ")} (has ${[...open].sort((a, b) => a - b).join(", ")})`,
  );
  const pod = docs.find((m) => m.kind === "Deployment")?.spec?.template?.metadata;
  if (c.revisions) {
    const stable = c.revisions.tagTargets["prod-stable"];
    check(
      pod?.labels?.["istio.io/rev"] === EAST_WEST_GATEWAY_TAG &&
        pod?.annotations?.["istio-multicluster/tag-revision"] === revisionLabel(stable),
      `east-west gateway pods choose ${EAST_WEST_GATEWAY_TAG} (now ${revisionLabel(stable)})`,
    );
  }
  check(pod?.labels?.["sidecar.istio.io/inject"] === "true", "east-west gateway pods are injected");
  return problems;
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Maps the charts take as they are (mesh config, annotations, env): any key inside them is the user's. */
const FREE_FORM = new Set(["meshConfig", "podAnnotations", "env", "labels", "annotations"]);

/**
 * Paths of `values` that the chart neither defaults (`values.yaml`, under `_internal_defaults_do_not_set`
 * where the chart nests its defaults) nor reads in a template (`templateText`): a key
 * Helm would silently ignore. A default that is a scalar, a list or an empty map accepts what is below it.
 */
export function unknownValueKeys(values: unknown, chartValues: unknown, templateText: string): string[] {
  const defaults = isMap(chartValues) ? (chartValues["_internal_defaults_do_not_set"] ?? chartValues) : {};
  const unknown: string[] = [];
  const visit = (value: unknown, known: unknown, path: readonly string[]) => {
    if (!isMap(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const at = [...path, key];
      if (FREE_FORM.has(at.join("."))) continue;
      if (isMap(known) && key in known) {
        const inner = known[key];
        if (isMap(inner) && Object.keys(inner).length > 0) visit(child, inner, at);
        continue;
      }
      // `.Values.a.b`, or `($.Values).a.b` as the profile template writes it.
      const read = [`.Values.${at.join(".")}`, `.Values).${at.join(".")}`];
      if (!read.some((form) => templateText.includes(form))) unknown.push(at.join("."));
    }
  };
  visit(values, defaults, []);
  return unknown;
}
