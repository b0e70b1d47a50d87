// Helm charts come only from allowed repositories, and Istio's charts are pinned to an exact version.
// The defaults are Istio's two live homes and the Online Boutique OCI chart; policy config adds a mirror
// (`additionalRepositories`) or replaces the list (`allowedRepositories`).
import { isRecord, type CheckedResource, type Violations } from "./resource";

export const HELM_TYPES = ["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"] as const;

export const DEFAULT_ALLOWED_REPOSITORIES = [
  "https://blob.istio.io/istio-release/charts",
  "oci://ghcr.io/istio/release/charts",
  "oci://us-docker.pkg.dev/online-boutique-ci/charts",
] as const;

export interface ChartRepositoryConfig {
  /** Replaces the default list. */
  allowedRepositories?: string[];
  /** Added to the list (e.g. your mirror of Istio's charts). */
  additionalRepositories?: string[];
}

/** Charts Istio publishes for its Helm installation. */
export const ISTIO_CHARTS = new Set(["base", "istiod", "istiod-remote", "gateway", "cni", "ztunnel"]);

const isHelm = (type: string) => (HELM_TYPES as readonly string[]).includes(type);
const trimSlashes = (url: string) => url.replace(/\/+$/, "");

/**
 * Where the chart is fetched from, as the provider resolves it: an `oci://` or `https://` chart reference
 * stands alone (a repository next to it is ignored); otherwise repository URL + "/" + chart name.
 * undefined: a local path or a repository alias, which has no verifiable origin.
 */
export function chartLocation(props: Readonly<Record<string, unknown>>): string | undefined {
  const chart = typeof props["chart"] === "string" ? props["chart"] : "";
  if (/^(oci|https?):\/\//.test(chart)) return chart;
  const repositoryOpts = props["repositoryOpts"];
  const repo = isRecord(repositoryOpts) ? repositoryOpts["repo"] : undefined;
  if (typeof repo === "string" && /^(oci|https?):\/\//.test(repo) && chart !== "") {
    return `${trimSlashes(repo)}/${chart}`;
  }
  return undefined;
}

const releaseName = (props: Readonly<Record<string, unknown>>) =>
  typeof props["name"] === "string"
    ? props["name"]
    : typeof props["chart"] === "string"
      ? props["chart"]
      : "(unnamed)";

export function checkChartRepository(
  resource: CheckedResource,
  config: ChartRepositoryConfig = {},
): Violations {
  if (!isHelm(resource.type)) return [];
  const allowed = [
    ...(config.allowedRepositories ?? DEFAULT_ALLOWED_REPOSITORIES),
    ...(config.additionalRepositories ?? []),
  ].map(trimSlashes);
  const location = chartLocation(resource.props);
  const name = releaseName(resource.props);
  if (location === undefined) {
    return [
      `Helm release ${name} must name its chart repository (local charts and repository aliases are not allowed).`,
    ];
  }
  if (allowed.some((repo) => location === repo || location.startsWith(`${repo}/`))) return [];
  return [
    `Helm release ${name} installs ${location}, which is not in an allowed chart repository ` +
      `(${allowed.join(", ")}); add a mirror with the policy's additionalRepositories.`,
  ];
}

/** An exact chart version: no range, wildcard or "latest" (Helm resolves those at install time). */
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

export function checkIstioVersionPinned(resource: CheckedResource): Violations {
  if (!isHelm(resource.type)) return [];
  const chart = typeof resource.props["chart"] === "string" ? resource.props["chart"] : "";
  const chartName = trimSlashes(chart).split("/").pop() ?? "";
  if (!ISTIO_CHARTS.has(chartName)) return [];
  const version = resource.props["version"];
  if (typeof version === "string" && EXACT_VERSION.test(version)) return [];
  const shown = typeof version === "string" && version !== "" ? `"${version}"` : "no version";
  return [
    `Istio release ${releaseName(resource.props)} (chart ${chartName}) has ${shown}: pin an exact Istio version.`,
  ];
}
