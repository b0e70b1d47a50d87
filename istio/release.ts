// Helm release settings shared by Istio's charts (base, istiod, gateway), as a pure function.
import type * as pulumi from "@pulumi/pulumi";
import { RELEASE_SETTINGS } from "../kube/helm";
import { ISTIO_CHART_REPO, ISTIO_NAMESPACE } from "./values";

/** Real Helm releases from Istio's repository, pinned, in istio-system, rolled back if an install fails. */
export function istioRelease(chart: string, name: string, version: string, values: pulumi.Input<object>) {
  return {
    name,
    chart,
    version,
    namespace: ISTIO_NAMESPACE,
    repositoryOpts: { repo: ISTIO_CHART_REPO },
    values,
    ...RELEASE_SETTINGS,
  };
}
