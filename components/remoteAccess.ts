// Read access to one cluster for the istiods that watch it: a long-lived token of Istio's reader service
// account, turned into the bearer-token kubeconfig that remote secrets carry.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { tokenKubeconfig } from "../kube/kubeconfig";
import { readerTokenSecret } from "../istio/objects";
import { formerly } from "./formerNames";

export interface RemoteAccessArgs {
  /** Istio clusterName of the described cluster; also every name inside the kubeconfig. */
  clusterName: string;
  /** API server URL of the described cluster, as istiod elsewhere reaches it. */
  server: pulumi.Input<string>;
  provider: k8s.Provider;
  /** The `base` release, which creates istio-reader-service-account. */
  readerAccountReady: pulumi.Resource;
}

export class RemoteAccess extends pulumi.ComponentResource {
  readonly tokenSecret: k8s.core.v1.Secret;
  /** Bearer-token kubeconfig for istiod (secret). */
  readonly kubeconfig: pulumi.Output<string>;

  constructor(name: string, args: RemoteAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("istio-multicluster:istio:RemoteAccess", name, {}, opts);
    const manifest = readerTokenSecret();
    // The provider waits until the token controller has filled in data.token and data["ca.crt"].
    this.tokenSecret = new k8s.core.v1.Secret(
      `${name}-reader-token`,
      { metadata: manifest.metadata, type: manifest.type },
      {
        parent: this,
        provider: args.provider,
        dependsOn: [args.readerAccountReady],
        ...formerly(`${args.clusterName}-reader-token`),
      },
    );
    const data = this.tokenSecret.data;
    this.kubeconfig = pulumi.secret(
      pulumi.all([args.server, data]).apply(([server, d]) => {
        const token = d["token"];
        const caData = d["ca.crt"];
        if (!token || !caData)
          throw new Error(`reader token of ${args.clusterName} has no token or ca.crt yet`);
        return tokenKubeconfig({
          name: args.clusterName,
          server,
          caData, // already base64, as certificate-authority-data wants it
          token: Buffer.from(token, "base64").toString("utf8"),
        });
      }),
    );
    this.registerOutputs({ kubeconfig: this.kubeconfig });
  }
}
