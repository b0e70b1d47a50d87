// Helm release settings shared by Istio's charts (base, istiod, gateway), as a pure function.
import type * as pulumi from "@pulumi/pulumi";
import { RELEASE_SETTINGS } from "../kube/helm";
import { chartSource, type IstioInstall } from "./artifacts";
import { ISTIO_NAMESPACE } from "./values";

/** Real Helm releases from the configured repository, pinned, in istio-system, rolled back on failure. */
export function istioRelease(
  chart: "base" | "istiod" | "gateway",
  name: string,
  install: IstioInstall,
  values: pulumi.Input<object>,
) {
  return {
    name,
    ...chartSource(install.chartRepository, chart),
    version: install.version,
    namespace: ISTIO_NAMESPACE,
    values,
    ...RELEASE_SETTINGS,
  };
}
