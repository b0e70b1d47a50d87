// The remote secret one cluster's istiod reads: a single Secret in istio-system holding, for each cluster
// it watches, that cluster's reader kubeconfig under a data key named after the cluster. istiod's secret
// controller takes every data key of a labelled Secret as a cluster ID and hashes each key's kubeconfig on
// its own, so rotating one cluster's token reconnects only that cluster and removing a key removes only
// that cluster, provided the Secret is updated in place (the cluster's provider sets enableSecretMutable:
// a replaced Secret is a delete and an add, which drops and re-adds every cluster in it). One Secret per
// watcher keeps a multi-primary mesh of N clusters at N Secrets instead of N x (N-1).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { remoteSecretsMetadata } from "../istio/objects";
import { formerly } from "./formerNames";

export interface WatchedCluster {
  /** Istio clusterName of the described cluster: its data key. */
  name: string;
  /** Its reader kubeconfig (secret). */
  kubeconfig: pulumi.Input<string>;
  /**
   * Its istio-system namespace: istiod reads the controlPlaneClusters annotation once, when the cluster
   * is added, so the namespace must exist before the secret lands.
   */
  namespace: k8s.core.v1.Namespace;
}

export interface RemoteSecretsArgs {
  /** The watching cluster: the secret lives there. */
  watcher: string;
  provider: k8s.Provider;
  /** The watcher's istio-system namespace. */
  namespace: k8s.core.v1.Namespace;
  watched: readonly WatchedCluster[];
}

export class RemoteSecrets extends pulumi.ComponentResource {
  /** The one Secret; its data keys are the watched clusters' names. */
  readonly secret: k8s.core.v1.Secret;
  /** Data keys, in the order given. */
  readonly clusters: readonly string[];

  constructor(name: string, args: RemoteSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("istio-multicluster:istio:RemoteSecrets", name, {}, opts);
    const names = args.watched.map((w) => w.name);
    if (names.length === 0) throw new Error(`RemoteSecrets ${name}: args.watched is empty`);
    // istiod skips a key equal to its own cluster ID: such a key would be dead weight.
    if (names.includes(args.watcher))
      throw new Error(`RemoteSecrets ${name}: args.watched contains the watcher ${args.watcher} itself`);
    if (new Set(names).size !== names.length)
      throw new Error(`RemoteSecrets ${name}: args.watched repeats a cluster`);
    this.clusters = names;

    // `data`, not `stringData`: under server-side apply a field manager owns only the `stringData` keys it
    // sent, which the API server turns into `data`, so a key dropped from `stringData` would stay in `data`
    // (kubernetes/kubernetes#108008) and istiod would keep watching a cluster that left the mesh.
    const data = pulumi
      .all(args.watched.map((w) => w.kubeconfig))
      .apply((kubeconfigs) =>
        Object.fromEntries(names.map((n, i) => [n, Buffer.from(kubeconfigs[i]!).toString("base64")])),
      );
    this.secret = new k8s.core.v1.Secret(
      `${name}-remote-secrets`,
      {
        metadata: { ...remoteSecretsMetadata(), namespace: args.namespace.metadata.name },
        type: "Opaque",
        data: pulumi.secret(data),
      },
      {
        parent: this,
        provider: args.provider,
        dependsOn: args.watched.map((w) => w.namespace),
        ...formerly(`${args.watcher}-remote-secrets`),
      },
    );
    this.registerOutputs({});
  }
}
