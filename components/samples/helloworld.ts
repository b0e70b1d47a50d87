// helloworld in one cluster: the injected `sample` namespace, the `helloworld` Service, the Deployments of
// the versions placed here and a `curl` client, as in Istio's multicluster verification guide.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { RevisionTag } from "../../config/schema";
import { formerly } from "../formerNames";
import {
  curlDeployment,
  curlService,
  curlServiceAccount,
  helloworldDeployment,
  helloworldService,
  injectedNamespace,
} from "../../samples/manifests";
import { HELLOWORLD_NAMESPACE, HELLOWORLD_VERSIONS, type HelloworldVersion } from "../../samples/placement";

export interface HelloworldSampleArgs {
  /** Cluster name: prefixes every resource name. */
  cluster: string;
  /** Registry of Istio's sample images (istioHub). */
  hub: string;
  /** Versions whose Deployment runs in this cluster (may be empty: Service and client only). */
  versions: readonly HelloworldVersion[];
  provider: k8s.Provider;
  /** The revision tag the namespace chooses (`istio.io/rev`), once the mesh uses revisions. */
  revisionTag?: RevisionTag | undefined;
  /** Resources that must exist before injected pods start in this cluster. */
  meshReady: pulumi.Input<pulumi.Resource>[];
}

export class HelloworldSample extends pulumi.ComponentResource {
  readonly namespace: k8s.core.v1.Namespace;
  readonly deployments: k8s.apps.v1.Deployment[];
  readonly client: k8s.apps.v1.Deployment;

  constructor(name: string, args: HelloworldSampleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("istio-multicluster:samples:Helloworld", name, {}, opts);
    if (!args.cluster) throw new Error(`HelloworldSample ${name}: args.cluster is required`);
    const unknown = args.versions.filter((v) => !HELLOWORLD_VERSIONS.includes(v));
    if (unknown.length > 0)
      throw new Error(`HelloworldSample ${name}: args.versions has unknown ${unknown.join(", ")}`);
    if (new Set(args.versions).size !== args.versions.length) {
      throw new Error(`HelloworldSample ${name}: args.versions lists a version twice`);
    }
    const { cluster, provider } = args;
    const childOpts = { parent: this, provider, dependsOn: args.meshReady };

    this.namespace = new k8s.core.v1.Namespace(
      `${name}-${HELLOWORLD_NAMESPACE}`,
      injectedNamespace(HELLOWORLD_NAMESPACE, args.revisionTag),
      { ...childOpts, ...formerly(`${cluster}-${HELLOWORLD_NAMESPACE}`) },
    );
    // Taking the name from the namespace output orders every object after it.
    const ns = this.namespace.metadata.name;

    new k8s.core.v1.Service(`${name}-helloworld`, helloworldService(ns), {
      ...childOpts,
      ...formerly(`${cluster}-helloworld`),
    });
    this.deployments = args.versions.map(
      (version) =>
        new k8s.apps.v1.Deployment(
          `${name}-helloworld-${version}`,
          helloworldDeployment(ns, version, args.hub),
          { ...childOpts, ...formerly(`${cluster}-helloworld-${version}`) },
        ),
    );

    const curl = { ...childOpts, ...formerly(`${cluster}-curl`) };
    const account = new k8s.core.v1.ServiceAccount(`${name}-curl`, curlServiceAccount(ns), curl);
    new k8s.core.v1.Service(`${name}-curl`, curlService(ns), curl);
    this.client = new k8s.apps.v1.Deployment(`${name}-curl`, curlDeployment(ns), {
      ...curl,
      dependsOn: [...args.meshReady, account],
    });

    this.registerOutputs({ namespace: ns, versions: [...args.versions] });
  }
}
