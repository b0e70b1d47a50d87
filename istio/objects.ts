// Kubernetes and Istio objects the mesh writes, as pure functions returning plain manifests (the
// components hand them to Pulumi; tests validate them against the published schemas).
import { istiodNameOf, UNNAMED_REVISION } from "../plan/revisions";
import type { ClusterPlan, ClusterRevisions } from "../plan/types";
import { ISTIO_NAMESPACE } from "./values";

export const NETWORK_LABEL = "topology.istio.io/network";
export const CONTROL_PLANE_CLUSTERS_ANNOTATION = "topology.istio.io/controlPlaneClusters";
export const MULTICLUSTER_SECRET_LABEL = "istio/multiCluster";
export const READER_SERVICE_ACCOUNT = "istio-reader-service-account";
export const EAST_WEST_SELECTOR = { istio: "eastwestgateway" } as const;
export const ISTIOD_HOST = `istiod.${ISTIO_NAMESPACE}.svc.cluster.local`;

interface Metadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** `istio-system`, labelled with the cluster's network; a remote also names its control plane. */
export function istioNamespaceMetadata(cluster: Pick<ClusterPlan, "network" | "remote">): Metadata {
  return {
    name: ISTIO_NAMESPACE,
    labels: { [NETWORK_LABEL]: cluster.network },
    ...(cluster.remote
      ? { annotations: { [CONTROL_PLANE_CLUSTERS_ANNOTATION]: cluster.remote.primary } }
      : {}),
  };
}

/** Cross-network traffic: SNI routing on 15443 to any `*.local` service, mTLS left end to end. */
export function crossNetworkGateway() {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "Gateway",
    metadata: { name: "cross-network-gateway", namespace: ISTIO_NAMESPACE },
    spec: {
      selector: { ...EAST_WEST_SELECTOR },
      servers: [
        {
          port: { number: 15443, name: "tls", protocol: "TLS" },
          tls: { mode: "AUTO_PASSTHROUGH" },
          hosts: ["*.local"],
        },
      ],
    },
  };
}

/** istiod exposure on the east-west gateway: xDS/CA on 15012 and the injection webhook on 15017. */
export function istiodGateway() {
  const server = (name: string, number: number) => ({
    port: { name, number, protocol: "TLS" },
    tls: { mode: "PASSTHROUGH" },
    hosts: ["*"],
  });
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "Gateway",
    metadata: { name: "istiod-gateway", namespace: ISTIO_NAMESPACE },
    spec: {
      selector: { ...EAST_WEST_SELECTOR },
      servers: [server("tls-istiod", 15012), server("tls-istiodwebhook", 15017)],
    },
  };
}

/** Where the catch-all route of the exposure goes: the unnamed istiod while it runs, else prod-stable's. */
export function exposedDefaultRevision(revisions: ClusterRevisions): string {
  return revisions.revisions.some((r) => r.name === UNNAMED_REVISION)
    ? UNNAMED_REVISION
    : revisions.tagTargets["prod-stable"];
}

/**
 * Routes 15012 (xDS, CA) and 15017 (webhook) to istiod. With revisions, each named revision's clients
 * (proxies dialling `istiod-<rev>.istio-system.svc`, the API server calling the remote's `istiod-<rev>`
 * Service) present that name as SNI, and are routed to that revision first, as Istio's own
 * samples/multicluster/expose-istiod-rev.yaml.tmpl does; anything else reaches the default revision.
 */
export function istiodVirtualService(revisions?: ClusterRevisions) {
  const route = (gatewayPort: number, istiodPort: number, revision?: string) => {
    const service = revision === undefined ? undefined : `${istiodNameOf(revision)}.${ISTIO_NAMESPACE}.svc`;
    return {
      match: [{ port: gatewayPort, sniHosts: service ? [service, `${service}.cluster.local`] : ["*"] }],
      route: [
        {
          destination: {
            host: service ? `${service}.cluster.local` : ISTIOD_HOST,
            port: { number: istiodPort },
          },
        },
      ],
    };
  };
  const catchAll = (gatewayPort: number, istiodPort: number) => {
    const fallback = revisions ? exposedDefaultRevision(revisions) : UNNAMED_REVISION;
    const routed = route(gatewayPort, istiodPort, fallback === UNNAMED_REVISION ? undefined : fallback);
    return { ...routed, match: [{ port: gatewayPort, sniHosts: ["*"] }] };
  };
  const named = (revisions?.revisions ?? []).filter((r) => r.name !== UNNAMED_REVISION);
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name: "istiod-vs", namespace: ISTIO_NAMESPACE },
    spec: {
      hosts: ["*"],
      gateways: ["istiod-gateway"],
      // The istiod Service maps its port 443 to the webhook's container port 15017.
      tls: [
        ...named.flatMap((r) => [route(15012, 15012, r.name), route(15017, 443, r.name)]),
        catchAll(15012, 15012),
        catchAll(15017, 443),
      ],
    },
  };
}

/** Mesh-wide mutual TLS: in the root namespace of each istiod, so every workload it configures is strict. */
export function strictMtls() {
  return {
    apiVersion: "security.istio.io/v1",
    kind: "PeerAuthentication",
    metadata: { name: "default", namespace: ISTIO_NAMESPACE },
    spec: { mtls: { mode: "STRICT" } },
  };
}

/**
 * Private istiod exposure for a flat network: an internal passthrough load balancer in front of the istiod
 * pods, reachable from every region of the VPC. Both ports a remote's selector-less `istiod` Service points
 * at (15012 and 15017) must answer.
 */
export function istiodInternalService(
  loadBalancerIP: string | undefined,
  sourceRanges: readonly string[],
  revision: string = UNNAMED_REVISION,
) {
  // A named revision's pods carry `istio: istiod` (the unnamed one's `istio: pilot`), so each revision
  // has its own internal load balancer, selected by its istio.io/rev label (istiod chart deployment.yaml).
  const named = revision !== UNNAMED_REVISION;
  const selector: Record<string, string> = named
    ? { app: "istiod", "istio.io/rev": revision }
    : { app: "istiod", istio: "pilot" };
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: named ? `istiod-internal-${revision}` : "istiod-internal",
      namespace: ISTIO_NAMESPACE,
      labels: { app: "istiod", "istio-multicluster/exposure": "internal" },
      annotations: {
        "networking.gke.io/load-balancer-type": "Internal",
        "networking.gke.io/internal-load-balancer-allow-global-access": "true",
      },
    },
    spec: {
      type: "LoadBalancer",
      ...(loadBalancerIP !== undefined ? { loadBalancerIP } : {}),
      loadBalancerSourceRanges: [...sourceRanges],
      selector,
      ports: [
        { name: "tls-istiod", port: 15012, targetPort: 15012, protocol: "TCP" },
        { name: "tls-webhook", port: 15017, targetPort: 15017, protocol: "TCP" },
      ],
    },
  };
}

/** Long-lived token for the reader account (Kubernetes >= 1.24 creates none by itself). */
export function readerTokenSecret() {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: `${READER_SERVICE_ACCOUNT}-istio-remote-secret-token`,
      namespace: ISTIO_NAMESPACE,
      annotations: { "kubernetes.io/service-account.name": READER_SERVICE_ACCOUNT },
    },
    type: "kubernetes.io/service-account-token",
  };
}

/**
 * The one Secret per watching cluster that holds every watched cluster's kubeconfig, one data key per
 * cluster. istioctl's per-cluster Secrets also carry a `networking.istio.io/cluster` annotation, but istiod
 * never reads it (the cluster ID is the data key) and one value could not name several keys: none here.
 */
export const REMOTE_SECRETS_NAME = "istio-remote-secrets";

export function remoteSecretsMetadata(): Metadata {
  return {
    name: REMOTE_SECRETS_NAME,
    namespace: ISTIO_NAMESPACE,
    labels: { [MULTICLUSTER_SECRET_LABEL]: "true" },
  };
}
