// Istio in one cluster: the labelled istio-system namespace, the plug-in CA secret, the `base` and
// `istiod` Helm releases (primary or remote profile) and mesh-wide strict mTLS where istiod runs.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { istioNamespaceMetadata, strictMtls } from "../istio/objects";
import { istiodReleases, primaryReleaseValues, remoteReleaseValues } from "../istio/istiodReleases";
import { istioRelease } from "../istio/release";
import { baseInstall, baseValues } from "../istio/values";
import { releaseOrder, UNNAMED_REVISION } from "../plan/revisions";
import type { ClusterPlan } from "../plan/types";
import { formerly } from "./formerNames";

/** What istiod needs beyond the plan, by role. */
export type IstiodSetup =
  /** Plug-in CA files for `cacerts` (secret); multiRoot during a root rotation (istio/values.ts withMultiRoot). */
  | { role: "primary"; cacerts: pulumi.Input<Record<string, string>>; multiRoot?: boolean }
  /**
   * IPv4 where this remote reaches its primary's istiod, and the mesh root its webhook trusts. A named
   * revision exposed on its own address (an internal load balancer per revision) is in `revisionAddresses`.
   */
  | {
      role: "remote";
      remotePilotAddress: pulumi.Input<string>;
      meshRootPem: pulumi.Input<string>;
      revisionAddresses?: Readonly<Record<string, pulumi.Input<string>>>;
    };

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
  /** The istiod release prod-stable points to (the only one without revisions). */
  readonly istiod: k8s.helm.v3.Release;
  /** Every revision's istiod release (primary) or injection config (remote), by revision name. */
  readonly istiodReleases: ReadonlyMap<string, k8s.helm.v3.Release>;
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
      istioRelease("base", "istio-base", baseInstall(plan), baseValues(plan)),
      { ...childOpts, dependsOn: [this.namespace], ...formerly(`${plan.name}-istio-base`) },
    );

    // One release per revision, in the order that lets prod-stable move between them (releaseOrder).
    const releases = istiodReleases(plan);
    const order = plan.revisions ? releaseOrder(plan.revisions) : [UNNAMED_REVISION];
    const created = new Map<string, k8s.helm.v3.Release>();
    for (const revisionName of order) {
      const release = releases.find((r) => r.revision.name === revisionName)!;
      const values: pulumi.Input<object> =
        istiod.role === "primary"
          ? primaryReleaseValues(args.meshId, plan, release, istiod.multiRoot)
          : pulumi
              .all([
                istiod.revisionAddresses?.[revisionName] ?? istiod.remotePilotAddress,
                istiod.meshRootPem,
              ])
              .apply(([address, root]) => remoteReleaseValues(plan, release, address, root));
      // The unnamed istiod keeps its identity (an alias to its former name): a mesh without revisions is
      // unchanged.
      const unnamed = revisionName === UNNAMED_REVISION;
      const resourceName = unnamed ? `${name}-istiod` : `${name}-istiod-${revisionName}`;
      created.set(
        revisionName,
        new k8s.helm.v3.Release(
          resourceName,
          istioRelease("istiod", release.helmName, release.install, values),
          {
            ...childOpts,
            dependsOn: [
              this.base,
              ...(this.cacerts ? [this.cacerts] : []),
              ...args.nodesReady,
              ...created.values(),
            ],
            ...(unnamed ? formerly(`${plan.name}-istiod`) : {}),
          },
        ),
      );
    }
    this.istiodReleases = created;
    this.istiod = created.get(plan.revisions?.tagTargets["prod-stable"] ?? UNNAMED_REVISION)!;

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
