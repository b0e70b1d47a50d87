// The remote secrets one cluster's istiod reads: for each cluster it watches, that cluster's reader
// kubeconfig in the exact form of `istioctl create-remote-secret`. istiod's secret controller finds them
// by label. One component per watching cluster (not per edge) keeps a multi-primary mesh of N clusters
// at N components instead of N x (N-1).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { remoteSecretMetadata } from "../istio/objects";

export interface WatchedCluster {
  /** Istio clusterName of the described cluster. */
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
  /** The watching cluster: the secrets live there. */
  watcher: string;
  provider: k8s.Provider;
  /** The watcher's istio-system namespace. */
  namespace: k8s.core.v1.Namespace;
  watched: readonly WatchedCluster[];
}

export class RemoteSecrets extends pulumi.ComponentResource {
  /** Secret per described cluster name. */
  readonly secrets: ReadonlyMap<string, k8s.core.v1.Secret>;

  constructor(name: string, args: RemoteSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("istio-multicluster:istio:RemoteSecrets", name, {}, opts);
    const self = args.watched.find((w) => w.name === args.watcher);
    if (self)
      throw new Error(`RemoteSecrets ${name}: args.watched contains the watcher ${args.watcher} itself`);
    const names = args.watched.map((w) => w.name);
    if (new Set(names).size !== names.length)
      throw new Error(`RemoteSecrets ${name}: args.watched repeats a cluster`);

    this.secrets = new Map(
      args.watched.map((described) => [
        described.name,
        new k8s.core.v1.Secret(
          `${args.watcher}-remote-secret-${described.name}`,
          {
            metadata: { ...remoteSecretMetadata(described.name), namespace: args.namespace.metadata.name },
            type: "Opaque",
            // The data key is the described cluster's clusterName: istiod takes each key as a cluster ID.
            stringData: pulumi.secret(
              pulumi.output(described.kubeconfig).apply((kc) => ({ [described.name]: kc })),
            ),
          },
          { parent: this, provider: args.provider, dependsOn: [described.namespace] },
        ),
      ]),
    );
    this.registerOutputs({});
  }
}
