// Where Istio's charts and images come from, and which Istio releases the program supports.
//
// Istio 1.31 stopped publishing to Google Cloud (its upgrade notes: "GCP infrastructure and hosting
// deprecated"); the live homes are a classic Helm repository on blob.istio.io, an OCI registry on ghcr.io
// and images on Docker Hub. Both locations are configurable for mirrors (istioChartRepository, istioHub).

/** Classic Helm repository (serves index.yaml): the default. */
export const DEFAULT_CHART_REPOSITORY = "https://blob.istio.io/istio-release/charts";
/** The same charts as OCI artifacts: `oci://ghcr.io/istio/release/charts/<chart>`. */
export const OCI_CHART_REPOSITORY = "oci://ghcr.io/istio/release/charts";
/** Istio's images (pilot, proxyv2, the samples). */
export const DEFAULT_HUB = "docker.io/istio";

/** Minors with community support in December 2026 (1.29 reached end of life in October 2026). */
export const SUPPORTED_MINORS = ["1.30", "1.31"] as const;
/** The newest 1.31 patch known to this release of the program. */
export const DEFAULT_ISTIO_VERSION = "1.31.1";

/** What one cluster installs: chart version (= image tag), chart source and image registry. */
export interface IstioInstall {
  readonly version: string;
  readonly chartRepository: string;
  readonly hub: string;
}

export const isOciRepository = (repository: string) => repository.startsWith("oci://");

/**
 * How helm.v3.Release names a chart. A classic repository is `repositoryOpts.repo` plus the chart name
 * (Helm reads its index.yaml); an OCI registry has no index, so the chart is the full `oci://` reference
 * and `repositoryOpts` must stay unset (the provider would otherwise look for an index.yaml there).
 */
export function chartSource(
  repository: string,
  chart: string,
): { chart: string; repositoryOpts?: { repo: string } } {
  const base = repository.replace(/\/+$/, "");
  return isOciRepository(base) ? { chart: `${base}/${chart}` } : { chart, repositoryOpts: { repo: base } };
}
