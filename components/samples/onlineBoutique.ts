// Online Boutique in one cluster: the injected namespace, the upstream chart with only this cluster's
// components switched on, and a Service for each component this cluster calls but runs elsewhere.
//
// Why explicit Services and not DNS capture alone: the chart cannot render a Service without its
// Deployment, and a caller resolves `cartservice` through its own cluster's kube-dns. Istio's DNS proxy
// can answer for services of other clusters, but only once the caller's sidecar has them in its
// registry and only for pods whose proxy has capture on; a plain Service works for every pod, survives
// a DNS-proxy config change, and is what Istio's multicluster docs prescribe.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { RevisionTag } from "../../config/schema";
import { formerly } from "../formerNames";
import { RELEASE_SETTINGS } from "../../kube/helm";
import {
  BOUTIQUE_CHART,
  BOUTIQUE_CHART_VERSION,
  boutiqueValues,
  injectedNamespace,
  remoteComponentService,
} from "../../samples/manifests";
import {
  BOUTIQUE_COMPONENTS,
  BOUTIQUE_NAMESPACE,
  BOUTIQUE_SERVICE_PORTS,
  type BoutiqueComponent,
} from "../../samples/placement";

export interface OnlineBoutiqueArgs {
  cluster: string;
  /** Components that run in this cluster. */
  components: readonly BoutiqueComponent[];
  /** Components that run elsewhere but are called from here: each gets a Service in this cluster. */
  remoteServices: readonly BoutiqueComponent[];
  provider: k8s.Provider;
  /** The revision tag the namespace chooses (`istio.io/rev`), once the mesh uses revisions. */
  revisionTag?: RevisionTag | undefined;
  meshReady: pulumi.Input<pulumi.Resource>[];
}

export class OnlineBoutique extends pulumi.ComponentResource {
  readonly namespace: k8s.core.v1.Namespace;
  readonly release: k8s.helm.v3.Release;
  readonly remoteServices: k8s.core.v1.Service[];

  constructor(name: string, args: OnlineBoutiqueArgs, opts?: pulumi.ComponentResourceOptions) {
    super("istio-multicluster:samples:OnlineBoutique", name, {}, opts);
    const known = (c: BoutiqueComponent) => BOUTIQUE_COMPONENTS.includes(c);
    if (!args.cluster) throw new Error(`OnlineBoutique ${name}: args.cluster is required`);
    if (args.components.length === 0 || !args.components.every(known)) {
      throw new Error(
        `OnlineBoutique ${name}: args.components must list known components, got [${args.components.join(", ")}]`,
      );
    }
    const clash = args.remoteServices.filter((c) => args.components.includes(c));
    if (clash.length > 0) {
      throw new Error(
        `OnlineBoutique ${name}: args.remoteServices lists components that run here: ${clash.join(", ")}`,
      );
    }
    const serviceless = args.remoteServices.filter((c) => !known(c) || !BOUTIQUE_SERVICE_PORTS[c]);
    if (serviceless.length > 0) {
      throw new Error(
        `OnlineBoutique ${name}: args.remoteServices has components without a Service: ${serviceless.join(", ")}`,
      );
    }
    const { cluster, provider } = args;
    const childOpts = { parent: this, provider, dependsOn: args.meshReady };

    this.namespace = new k8s.core.v1.Namespace(
      `${name}-${BOUTIQUE_NAMESPACE}`,
      injectedNamespace(BOUTIQUE_NAMESPACE, args.revisionTag),
      { ...childOpts, ...formerly(`${cluster}-${BOUTIQUE_NAMESPACE}`) },
    );
    const ns = this.namespace.metadata.name;

    this.release = new k8s.helm.v3.Release(
      `${name}-onlineboutique`,
      {
        name: "onlineboutique",
        chart: BOUTIQUE_CHART,
        version: BOUTIQUE_CHART_VERSION,
        namespace: ns,
        createNamespace: false,
        values: boutiqueValues(args.components),
        ...RELEASE_SETTINGS,
      },
      { ...childOpts, ...formerly(`${cluster}-onlineboutique`) },
    );

    this.remoteServices = args.remoteServices.map(
      (component) =>
        new k8s.core.v1.Service(`${name}-${component}-remote`, remoteComponentService(component, ns), {
          ...childOpts,
          ...formerly(`${cluster}-${component}-remote`),
        }),
    );

    this.registerOutputs({ namespace: ns, components: [...args.components], release: this.release.status });
  }
}
