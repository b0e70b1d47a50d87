// Kubeconfigs: the one reader (the current context and what it names) and the two builders. All pure, so
// they are tested directly.
import { parse, stringify } from "yaml";

/** A kubeconfig that cannot be read, with the reason in words a config message can quote. */
export class KubeconfigError extends Error {
  constructor(readonly problem: string) {
    super(problem);
    this.name = "KubeconfigError";
  }
}

interface Named {
  name?: unknown;
}
interface KubeconfigDocument {
  "current-context"?: unknown;
  clusters?: (Named & { cluster?: Record<string, unknown> })[];
  contexts?: (Named & { context?: Record<string, unknown> })[];
  users?: (Named & { user?: Record<string, unknown> })[];
}

/** What a kubeconfig's current context names: the context, its cluster (with its server) and its user. */
export interface CurrentContext {
  readonly context: { readonly name: string; readonly context: Readonly<Record<string, unknown>> };
  readonly cluster: {
    readonly name: string;
    /** The API server URL (`https://...`). */
    readonly server: string;
    /** Base64 PEM of the cluster CA, when the kubeconfig carries it inline. */
    readonly caData?: string;
    readonly cluster: Readonly<Record<string, unknown>>;
  };
  /** The context's user entry; a kubeconfig may leave it out (the server is still known). */
  readonly user?: { readonly name: string; readonly user: Readonly<Record<string, unknown>> };
}

/**
 * The current context of a kubeconfig, as kubectl takes it: the context `current-context` names (a file
 * with a single context and no current-context means that one), the cluster that context names, and its
 * user. Throws a KubeconfigError naming what is missing; never echoes the file (it holds credentials).
 */
export function readKubeconfig(text: string): CurrentContext {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    throw new KubeconfigError("does not parse as YAML");
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    throw new KubeconfigError("is not a kubeconfig (not a mapping)");
  const config = doc as KubeconfigDocument;
  const list = <T>(value: T[] | undefined): T[] => (Array.isArray(value) ? value : []);
  const contexts = list(config.contexts);
  const current = config["current-context"];
  const context =
    typeof current === "string" && current !== ""
      ? contexts.find((c) => c.name === current)
      : contexts.length === 1
        ? contexts[0]
        : undefined;
  if (!context) {
    throw new KubeconfigError(
      typeof current === "string" && current !== ""
        ? `current-context "${current}" names no entry of contexts`
        : `has no current-context (and ${contexts.length} contexts)`,
    );
  }
  const contextName = String(context.name ?? "");
  const clusterName = context.context?.["cluster"];
  const cluster = list(config.clusters).find((c) => c.name === clusterName);
  if (typeof clusterName !== "string" || !cluster)
    throw new KubeconfigError(`context "${contextName}" names no entry of clusters`);
  const server = cluster.cluster?.["server"];
  if (typeof server !== "string" || !/^https:\/\/[^\s/]+/.test(server))
    throw new KubeconfigError(`cluster "${clusterName}" of the current context names no https:// server`);
  const caData = cluster.cluster?.["certificate-authority-data"];
  const userName = context.context?.["user"];
  const user = list(config.users).find((u) => u.name === userName);
  return {
    context: { name: contextName, context: context.context ?? {} },
    cluster: {
      name: clusterName,
      server,
      ...(typeof caData === "string" && caData !== "" ? { caData } : {}),
      cluster: cluster.cluster ?? {},
    },
    ...(user && typeof userName === "string" ? { user: { name: userName, user: user.user ?? {} } } : {}),
  };
}

/** `https://host:port/path` -> `host:port`: the endpoint as GKE reports it. */
export function endpointOf(server: string): string {
  return server.replace(/^https:\/\//, "").replace(/\/.*$/, "");
}

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
