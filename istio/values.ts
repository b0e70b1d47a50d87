// Helm values for Istio's `base`, `istiod` and `gateway` charts, as pure typed functions of the plan.
// Keys checked against the charts of Istio 1.30 and 1.31 (manifests/charts/... on release-1.30/1.31).
import type { RevisionTag } from "../config/schema";
import { revisionLabel, revisionOfTag } from "../plan/revisions";
import type { ClusterPlan, IstioRevision } from "../plan/types";
import type { IstioInstall } from "./artifacts";

export const ISTIO_NAMESPACE = "istio-system";
export const EAST_WEST_GATEWAY_NAME = "istio-eastwestgateway";
/**
 * The east-west gateway follows prod-stable in place: its address is what peers and remotes are configured
 * with, and it only passes TLS through (no HTTP behaviour to try on a canary); see docs/upgrades.md.
 */
export const EAST_WEST_GATEWAY_TAG = "prod-stable" satisfies RevisionTag;

/**
 * Image registry and tag. Released 1.30 charts default their hub to a registry that is being retired, so
 * every release names both. istiod's chart builds its own image and the injection template from them; the
 * base chart has no images and the gateway chart's pods take the proxy image from the istiod that
 * injects them, so there the keys only keep every release self-describing.
 */
export interface ImageValues {
  hub: string;
  tag: string;
}

export interface BaseValues {
  global: ImageValues;
  profile?: "remote";
  /**
   * Set once the mesh uses revisions: the revision whose istiod serves the default validation webhook
   * (`istiod-default-validator`, base chart), following prod-stable; "default" is the unnamed istiod.
   */
  defaultRevision?: string;
}

/** What a revisioned istiod release adds to its values (istiod chart `revision` and `revisionTags`). */
export interface RevisionValues {
  /** Names the Deployment, Service and webhooks `istiod-<revision>`; unset for the unnamed istiod. */
  revision?: string;
  /** Tags whose webhooks (`istio-revision-tag-<tag>`) and Service this release renders. */
  revisionTags: RevisionTag[];
}

export interface PrimaryIstiodValues {
  global: ImageValues & {
    meshID: string;
    multiCluster: { clusterName: string };
    network: string;
    /** Sets EXTERNAL_ISTIOD: this istiod also serves remote clusters (injection, xDS). */
    externalIstiod?: true;
  };
  meshConfig: {
    defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: "true"; PROXY_CONFIG_XDS_AGENT?: "true" } };
  };
  /** istiod's environment (the chart's top-level `env`; only during a root rotation). */
  env?: { ISTIO_MULTIROOT_MESH: "true" };
}

export interface RemoteIstiodValues {
  profile: "remote";
  global: ImageValues & {
    multiCluster: { clusterName: string };
    network: string;
    /** Renders the validation webhook and config RBAC in the remote, as Istio's remote install does. */
    configCluster: true;
    /** An IP: the chart renders a selector-less `istiod` Service plus an EndpointSlice to it. */
    remotePilotAddress: string;
  };
  istiodRemote: {
    injectionPath: string;
    /**
     * Base64 of the mesh root PEM (both roots during a root rotation), inserted verbatim as the injection webhook's caBundle: the remote's API
     * server trusts the primary's istiod from the first pod on, instead of failing every injection until
     * the primary has read this cluster's secret and patched the webhook (istio#42327). istiod serves its
     * webhook certificate signed by its plug-in intermediate, with cert-chain.pem up to this root.
     */
    injectionCABundle: string;
  };
}

/** Pod annotation naming the revision a gateway's tag points to: moving the tag rolls the gateway's pods. */
export const TAG_REVISION_ANNOTATION = "istio-multicluster/tag-revision";

/**
 * A gateway that follows a revision tag in place (gateway chart `revision`, which labels its pods
 * `istio.io/rev=<tag>`). Pods are injected when they are created, so the annotation with the tag's current
 * revision changes the pod template when the tag moves and Helm rolls the gateway onto that revision.
 */
export interface GatewayRevisionValues {
  revision: RevisionTag;
  podAnnotations: { [TAG_REVISION_ANNOTATION]: string };
}

export function gatewayRevisionValues(
  revisions: NonNullable<ClusterPlan["revisions"]>,
  tag: RevisionTag,
): GatewayRevisionValues {
  return {
    revision: tag,
    podAnnotations: { [TAG_REVISION_ANNOTATION]: revisionLabel(revisionOfTag(revisions, tag).name) },
  };
}

/** A gateway's chart follows the revision its tag points to (its istiod renders the pods' proxy). */
export function gatewayInstall(
  cluster: Pick<ClusterPlan, "istio" | "revisions">,
  tag: RevisionTag,
): IstioInstall {
  return cluster.revisions
    ? { ...cluster.istio, version: revisionOfTag(cluster.revisions, tag).version }
    : cluster.istio;
}

/** The samples' ingress gateway follows the samples' tag: its chart is that revision's. */
export function samplesGatewayInstall(cluster: Pick<ClusterPlan, "istio" | "revisions">): IstioInstall {
  return cluster.revisions ? gatewayInstall(cluster, cluster.revisions.samplesTag) : cluster.istio;
}

export interface EastWestGatewayValues extends Partial<GatewayRevisionValues> {
  global: ImageValues;
  name: typeof EAST_WEST_GATEWAY_NAME;
  /** Labels the Service with topology.istio.io/network and switches its ports to 15021/15443/15012/15017. */
  networkGateway: string;
  /**
   * Only for a primary reached by host name: the webhook on 443 (to the pods' 15017). A remote's chart
   * makes its `istiod` Service an ExternalName for a host name, and the API server then calls
   * <host>:443 (the Service port), verifying istiod.istio-system.svc, which istiod's certificate carries.
   */
  networkGatewayPorts?: { "tls-webhook": { port: 443; targetPort: 15017 } };
  service: {
    loadBalancerIP?: string;
    /** Absent: the load balancer admits anyone (see ClusterPlan.eastWestAccess). */
    loadBalancerSourceRanges?: string[];
  };
}

/** `global.hub` / `global.tag` of one cluster's install: images are tagged with the Istio version. */
export function imageValues(install: Pick<IstioInstall, "hub" | "version">): ImageValues {
  return { hub: install.hub, tag: install.version };
}

export function baseValues(cluster: Pick<ClusterPlan, "role" | "istio" | "revisions">): BaseValues {
  const { revisions } = cluster;
  return {
    // CRDs (and so the base chart) follow the newest revision the cluster runs.
    global: imageValues(revisions ? { ...cluster.istio, version: revisions.baseVersion } : cluster.istio),
    ...(cluster.role === "remote" ? { profile: "remote" as const } : {}),
    ...(revisions ? { defaultRevision: revisions.defaultRevision } : {}),
  };
}

/** The install of the base release: its chart version is the newest revision's. */
export function baseInstall(cluster: Pick<ClusterPlan, "istio" | "revisions">): IstioInstall {
  return cluster.revisions ? { ...cluster.istio, version: cluster.revisions.baseVersion } : cluster.istio;
}

/** The install of one revision's istiod release: that revision's chart version and image tag. */
export function revisionInstall(cluster: Pick<ClusterPlan, "istio">, revision: IstioRevision): IstioInstall {
  return { ...cluster.istio, version: revision.version };
}

/** `revision` and `revisionTags` of one revision's istiod release, primary or remote. */
export function revisionValues(revision: IstioRevision): RevisionValues {
  // The unnamed istiod's `revision` is the chart's default ("") and stays unset.
  return { ...(revision.name ? { revision: revision.name } : {}), revisionTags: [...revision.tags] };
}

export function primaryIstiodValues(
  meshId: string,
  cluster: Pick<ClusterPlan, "name" | "network" | "istiodExposure" | "istio">,
): PrimaryIstiodValues {
  return {
    global: {
      ...imageValues(cluster.istio),
      meshID: meshId,
      multiCluster: { clusterName: cluster.name },
      network: cluster.network,
      // A primary that serves remotes (its istiod is exposed to them) runs as their external istiod.
      ...(cluster.istiodExposure.kind !== "none" ? { externalIstiod: true as const } : {}),
    },
    // Remote pods are injected by this istiod, so DNS capture set here reaches them too: a name that
    // exists only in another cluster resolves through the sidecar's DNS proxy.
    meshConfig: { defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: "true" } } },
  };
}

/**
 * A primary's values while a root rotation is in progress (pki/rotation.ts): istiod accepts a changed
 * root-cert.pem in place and pushes its bundle to proxies, which subscribe when injected with
 * PROXY_CONFIG_XDS_AGENT (as Istio's tests/integration/security/cacert_rotation sets both). The istiod
 * chart renders its top-level `env` into the discovery container (templates/deployment.yaml, 1.30 and
 * 1.31; `pilot.env` is the IstioOperator spelling); remote pods get the metadata from this injector too.
 */
export function withMultiRoot<T extends PrimaryIstiodValues>(values: T): T {
  const { proxyMetadata } = values.meshConfig.defaultConfig;
  return {
    ...values,
    meshConfig: {
      ...values.meshConfig,
      defaultConfig: {
        ...values.meshConfig.defaultConfig,
        proxyMetadata: { ...proxyMetadata, PROXY_CONFIG_XDS_AGENT: "true" },
      },
    },
    env: { ISTIO_MULTIROOT_MESH: "true" },
  };
}

/** One revision's istiod values: the primary or remote values plus `revision` and `revisionTags`. */
export function withRevision<T extends object>(values: T, revision: IstioRevision): T & RevisionValues {
  return { ...values, ...revisionValues(revision) };
}

/** The webhook path tells the primary's injector which cluster and network a remote pod belongs to. */
export function injectionPath(cluster: Pick<ClusterPlan, "name" | "network">): string {
  return `/inject/cluster/${cluster.name}/net/${cluster.network}`;
}

export function remoteIstiodValues(
  cluster: Pick<ClusterPlan, "name" | "network" | "istio" | "remote">,
  remotePilotAddress: string,
  meshRootPem: string,
): RemoteIstiodValues {
  // An IPv4 address makes the chart render a selector-less Service with an EndpointSlice to the primary's
  // 15012/15017; a host name an ExternalName Service, which sends the webhook to <host>:443: the primary's
  // gateway then listens there (eastWestGatewayValues). Anything else is a wiring error.
  const hostName = cluster.remote?.address === "hostname";
  const valid = hostName
    ? /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/i.test(
        remotePilotAddress,
      )
    : /^\d{1,3}(\.\d{1,3}){3}$/.test(remotePilotAddress);
  if (!valid) {
    throw new Error(
      `remotePilotAddress for ${cluster.name} must be ${hostName ? "a host name" : "an IPv4 address"}, got "${remotePilotAddress}"`,
    );
  }
  return {
    profile: "remote",
    global: {
      ...imageValues(cluster.istio),
      multiCluster: { clusterName: cluster.name },
      network: cluster.network,
      configCluster: true,
      remotePilotAddress,
    },
    istiodRemote: {
      injectionPath: injectionPath(cluster),
      injectionCABundle: Buffer.from(meshRootPem).toString("base64"),
    },
  };
}

export function eastWestGatewayValues(
  cluster: Pick<ClusterPlan, "network" | "istio" | "istiodExposure" | "revisions">,
  loadBalancerIP: string | undefined,
  sourceRanges: readonly string[] = [],
): EastWestGatewayValues {
  const byHostName =
    cluster.istiodExposure.kind === "eastWestGateway" && cluster.istiodExposure.address === "hostname";
  return {
    global: imageValues(gatewayInstall(cluster, EAST_WEST_GATEWAY_TAG)),
    name: EAST_WEST_GATEWAY_NAME,
    networkGateway: cluster.network,
    ...(byHostName
      ? { networkGatewayPorts: { "tls-webhook": { port: 443 as const, targetPort: 15017 as const } } }
      : {}),
    service: {
      ...(loadBalancerIP !== undefined ? { loadBalancerIP } : {}),
      ...(sourceRanges.length > 0 ? { loadBalancerSourceRanges: [...sourceRanges].sort() } : {}),
    },
    ...(cluster.revisions ? gatewayRevisionValues(cluster.revisions, EAST_WEST_GATEWAY_TAG) : {}),
  };
}
