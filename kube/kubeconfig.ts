// Kubeconfig builders. Both are pure so their shape is tested directly.
import { stringify } from "yaml";

export interface ClusterAccess {
  /** Context, cluster and user name inside the kubeconfig. */
  name: string;
  /** API server host or IP, without scheme. */
  endpoint: string;
  /** Base64 PEM of the cluster CA, as GKE's masterAuth.clusterCaCertificate returns it. */
  caData: string;
}

/**
 * For this program and for people: authenticates through gke-gcloud-auth-plugin, never a static token.
 * The plugin uses Application Default Credentials, the same credentials the GCP provider uses, so a CI
 * runner with only ADC or Workload Identity Federation (no `gcloud auth login`) reaches the clusters too;
 * without the flag the plugin reads gcloud's own login.
 */
export function gcloudKubeconfig({ name, endpoint, caData }: ClusterAccess): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { "certificate-authority-data": caData, server: `https://${endpoint}` } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
    users: [
      {
        name,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "gke-gcloud-auth-plugin",
            args: ["--use_application_default_credentials"],
            installHint: "Install gke-gcloud-auth-plugin: gcloud components install gke-gcloud-auth-plugin",
            provideClusterInfo: true,
          },
        },
      },
    ],
  });
}

/**
 * For istiod in another cluster (the remote secret): a bearer token, because istiod refuses
 * kubeconfigs with exec or auth-provider plugins. Every name is the cluster name, as istioctl writes it.
 */
export function tokenKubeconfig(access: {
  name: string;
  /** The API server URL (`https://<GKE endpoint>`, or what another platform's kubeconfig names). */
  server: string;
  caData: string;
  token: string;
}): string {
  const { name, server, caData, token } = access;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    preferences: {},
    clusters: [{ name, cluster: { "certificate-authority-data": caData, server } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
    users: [{ name, user: { token } }],
  });
}
