// Istio in one cluster: the labelled istio-system namespace, the plug-in CA secret, the `base` and
// `istiod` Helm releases (primary or remote profile) and mesh-wide strict mTLS where istiod runs.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { istioNamespaceMetadata, strictMtls } from "../istio/objects";
import { istioRelease } from "../istio/release";
import { baseValues, primaryIstiodValues, remoteIstiodValues, withMultiRoot } from "../istio/values";
import type { ClusterPlan } from "../plan/types";
import { formerly } from "./formerNames";

/** What istiod needs beyond the plan, by role. */
export type IstiodSetup =
  /** Plug-in CA files for `cacerts` (secret); multiRoot during a root rotation (istio/values.ts withMultiRoot). */
  | { role: "primary"; cacerts: pulumi.Input<Record<string, string>>; multiRoot?: boolean }
  /** IPv4 where this remote reaches its primary's istiod, and the mesh root its webhook trusts. */
  | { role: "remote"; remotePilotAddress: pulumi.Input<string>; meshRootPem: pulumi.Input<string> };

export interface IstioControlPlaneArgs {
  plan: ClusterPlan;
  meshId: string;
  provider: k8s.Provider;
  istiod: IstiodSetup;
  /**
   * The cluster's nodes (its node pool). Helm waits for istiod's pods, so the istiod release waits for
   * nodes; the namespace, cacerts and the CRD-only base release need only the API server.
   */
  nodesReady: pulumi.Input<pulumi.Resource>[];
}

export class IstioControlPlane extends pulumi.ComponentResource {
  readonly namespace: k8s.core.v1.Namespace;
  readonly base: k8s.helm.v3.Release;
  readonly istiod: k8s.helm.v3.Release;
  readonly cacerts?: k8s.core.v1.Secret;
  readonly peerAuthentication?: k8s.apiextensions.CustomResource;

  constructor(name: string, args: IstioControlPlaneArgs, opts?: pulumi.ComponentResourceOptions) {
    super("istio-multicluster:istio:IstioControlPlane", name, {}, opts);
    const { plan, provider, istiod } = args;
    if (istiod.role !== plan.role) {
      throw new Error(
        `IstioControlPlane ${name}: args.istiod is set up for a ${istiod.role}, the plan says ${plan.role}`,
      );
    }
    const childOpts = { parent: this, provider };

    this.namespace = new k8s.core.v1.Namespace(
      `${name}-istio-system`,
      { metadata: istioNamespaceMetadata(plan) },
      { ...childOpts, ...formerly(`${plan.name}-istio-system`) },
    );

    // istiod chooses between the plug-in CA and a self-signed one when it starts: cacerts comes first.
    if (istiod.role === "primary") {
      this.cacerts = new k8s.core.v1.Secret(
        `${name}-cacerts`,
        {
          metadata: { name: "cacerts", namespace: this.namespace.metadata.name },
          type: "Opaque",
          stringData: pulumi.secret(istiod.cacerts),
        },
        { ...childOpts, ...formerly(`${plan.name}-cacerts`) },
      );
    }

    this.base = new k8s.helm.v3.Release(
      `${name}-istio-base`,
      istioRelease("base", "istio-base", plan.istio, baseValues(plan)),
      { ...childOpts, dependsOn: [this.namespace], ...formerly(`${plan.name}-istio-base`) },
    );

    const istiodValues: pulumi.Input<object> =
      istiod.role === "primary"
        ? istiod.multiRoot
          ? withMultiRoot(primaryIstiodValues(args.meshId, plan))
          : primaryIstiodValues(args.meshId, plan)
        : pulumi
            .all([istiod.remotePilotAddress, istiod.meshRootPem])
            .apply(([address, root]) => remoteIstiodValues(plan, address, root));
    this.istiod = new k8s.helm.v3.Release(
      `${name}-istiod`,
      istioRelease("istiod", "istiod", plan.istio, istiodValues),
      {
        ...childOpts,
        dependsOn: [this.base, ...(this.cacerts ? [this.cacerts] : []), ...args.nodesReady],
        ...formerly(`${plan.name}-istiod`),
      },
    );

    if (istiod.role === "primary") {
      // Config objects need the CRDs and istiod's validation webhook.
      this.peerAuthentication = new k8s.apiextensions.CustomResource(`${name}-strict-mtls`, strictMtls(), {
        ...childOpts,
        dependsOn: [this.istiod],
        ...formerly(`${plan.name}-strict-mtls`),
      });
    }

    this.registerOutputs({ namespace: this.namespace.metadata.name, istiod: this.istiod.status });
  }
}
