// httpbin in one cluster, or its client in another: the injected `httpbin` namespace and the `httpbin`
// Service in both (the client's cluster needs the Service for the short name to resolve there; Istio sends
// the calls to the server cluster's endpoints), the server's Deployment, or a `curl` client.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { RevisionTag } from "../../config/schema";
import { formerly } from "../formerNames";
import { httpbinDeployment, httpbinService, httpbinServiceAccount } from "../../samples/httpbin";
import { curlDeployment, curlService, curlServiceAccount, injectedNamespace } from "../../samples/manifests";
import { HTTPBIN_NAMESPACE } from "../../samples/placement";

export interface HttpbinPartArgs {
  cluster: string;
  /** `server` runs httpbin; `client` runs curl and only the Service of httpbin. */
  part: "server" | "client";
  provider: k8s.Provider;
  /** The revision tag the namespace chooses (`istio.io/rev`), once the mesh uses revisions. */
  revisionTag?: RevisionTag | undefined;
  meshReady: pulumi.Input<pulumi.Resource>[];
}

export class HttpbinPart extends pulumi.ComponentResource {
  readonly namespace: k8s.core.v1.Namespace;
  readonly service: k8s.core.v1.Service;
  readonly deployment: k8s.apps.v1.Deployment;

  constructor(name: string, args: HttpbinPartArgs, opts?: pulumi.ComponentResourceOptions) {
    super("istio-multicluster:samples:Httpbin", name, {}, opts);
    if (!args.cluster) throw new Error(`HttpbinPart ${name}: args.cluster is required`);
    if (args.part !== "server" && args.part !== "client")
      throw new Error(
        `HttpbinPart ${name}: args.part must be "server" or "client", got ${String(args.part)}`,
      );
    const { cluster, provider } = args;
    const childOpts = { parent: this, provider, dependsOn: args.meshReady };

    this.namespace = new k8s.core.v1.Namespace(
      `${name}-${HTTPBIN_NAMESPACE}`,
      injectedNamespace(HTTPBIN_NAMESPACE, args.revisionTag),
      { ...childOpts, ...formerly(`${cluster}-${HTTPBIN_NAMESPACE}`) },
    );
    const ns = this.namespace.metadata.name;

    const server = args.part === "server";
    const serviceName = `httpbin${server ? "" : "-remote"}`;
    this.service = new k8s.core.v1.Service(`${name}-${serviceName}`, httpbinService(ns), {
      ...childOpts,
      ...formerly(`${cluster}-${serviceName}`),
    });
    // The server's account and Deployment are `httpbin`, the client's `httpbin-curl`.
    const workload = server ? "httpbin" : "httpbin-curl";
    const workloadOpts = { ...childOpts, ...formerly(`${cluster}-${workload}`) };
    const account = server
      ? new k8s.core.v1.ServiceAccount(`${name}-${workload}`, httpbinServiceAccount(ns), workloadOpts)
      : new k8s.core.v1.ServiceAccount(`${name}-${workload}`, curlServiceAccount(ns), workloadOpts);
    if (!server) new k8s.core.v1.Service(`${name}-${workload}`, curlService(ns), workloadOpts);
    this.deployment = new k8s.apps.v1.Deployment(
      `${name}-${workload}`,
      server ? httpbinDeployment(ns) : curlDeployment(ns),
      { ...workloadOpts, dependsOn: [...args.meshReady, account] },
    );

    this.registerOutputs({ namespace: ns, part: args.part });
  }
}
