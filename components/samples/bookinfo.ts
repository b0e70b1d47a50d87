// Bookinfo in one cluster: the injected `bookinfo` namespace, the workloads placed here with their
// ServiceAccounts and Services, and a Service for each app this cluster calls but runs elsewhere (a caller
// resolves `ratings` through its own cluster's DNS; Istio merges the Services by hostname).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { RevisionTag } from "../../config/schema";
import { formerly } from "../formerNames";
import { bookinfoDeployment, bookinfoService, bookinfoServiceAccount } from "../../samples/bookinfo";
import { injectedNamespace } from "../../samples/manifests";
import {
  BOOKINFO_NAMESPACE,
  BOOKINFO_SERVICES,
  BOOKINFO_WORKLOADS,
  bookinfoServiceOf,
  type BookinfoService,
  type BookinfoWorkload,
} from "../../samples/placement";

export interface BookinfoPartArgs {
  /** Cluster name: prefixes every resource name and is reported by reviews as CLUSTER_NAME. */
  cluster: string;
  /** Registry of Istio's sample images (istioHub). */
  hub: string;
  /** Workloads that run in this cluster. */
  workloads: readonly BookinfoWorkload[];
  /** Apps called from here that run only elsewhere: each gets its Service in this cluster. */
  remoteServices: readonly BookinfoService[];
  provider: k8s.Provider;
  /** The revision tag the namespace chooses (`istio.io/rev`), once the mesh uses revisions. */
  revisionTag?: RevisionTag | undefined;
  /** Resources that must exist before injected pods start in this cluster. */
  meshReady: pulumi.Input<pulumi.Resource>[];
}

export class BookinfoPart extends pulumi.ComponentResource {
  readonly namespace: k8s.core.v1.Namespace;
  readonly deployments: k8s.apps.v1.Deployment[];
  readonly services: k8s.core.v1.Service[];

  constructor(name: string, args: BookinfoPartArgs, opts?: pulumi.ComponentResourceOptions) {
    super("istio-multicluster:samples:Bookinfo", name, {}, opts);
    if (!args.cluster) throw new Error(`BookinfoPart ${name}: args.cluster is required`);
    if (args.workloads.length === 0 || !args.workloads.every((w) => BOOKINFO_WORKLOADS.includes(w))) {
      throw new Error(
        `BookinfoPart ${name}: args.workloads must list known workloads, got [${args.workloads.join(", ")}]`,
      );
    }
    const own = BOOKINFO_SERVICES.filter((s) => args.workloads.some((w) => bookinfoServiceOf(w) === s));
    const clash = args.remoteServices.filter((s) => own.includes(s) || !BOOKINFO_SERVICES.includes(s));
    if (clash.length > 0) {
      throw new Error(
        `BookinfoPart ${name}: args.remoteServices must be unknown here and known apps, got ${clash.join(", ")}`,
      );
    }
    const { cluster, provider } = args;
    const childOpts = { parent: this, provider, dependsOn: args.meshReady };

    this.namespace = new k8s.core.v1.Namespace(
      `${name}-${BOOKINFO_NAMESPACE}`,
      injectedNamespace(BOOKINFO_NAMESPACE, args.revisionTag),
      { ...childOpts, ...formerly(`${cluster}-${BOOKINFO_NAMESPACE}`) },
    );
    // Taking the name from the namespace output orders every object after it.
    const ns = this.namespace.metadata.name;

    const accounts = new Map(
      own.map((s) => [
        s,
        new k8s.core.v1.ServiceAccount(`${name}-bookinfo-${s}`, bookinfoServiceAccount(s, ns), {
          ...childOpts,
          ...formerly(`${cluster}-bookinfo-${s}`),
        }),
      ]),
    );
    this.services = [
      ...own.map(
        (s) =>
          new k8s.core.v1.Service(`${name}-bookinfo-${s}`, bookinfoService(s, ns), {
            ...childOpts,
            ...formerly(`${cluster}-bookinfo-${s}`),
          }),
      ),
      ...args.remoteServices.map(
        (s) =>
          new k8s.core.v1.Service(`${name}-bookinfo-${s}-remote`, bookinfoService(s, ns), {
            ...childOpts,
            ...formerly(`${cluster}-bookinfo-${s}-remote`),
          }),
      ),
    ];
    this.deployments = args.workloads.map(
      (w) =>
        new k8s.apps.v1.Deployment(
          `${name}-bookinfo-${w}`,
          bookinfoDeployment(w, ns, { hub: args.hub, cluster }),
          {
            ...childOpts,
            dependsOn: [...args.meshReady, accounts.get(bookinfoServiceOf(w))!],
            ...formerly(`${cluster}-bookinfo-${w}`),
          },
        ),
    );

    this.registerOutputs({ namespace: ns, workloads: [...args.workloads] });
  }
}
