// Kubernetes and Istio objects of the samples, and the Helm values of their charts, as pure functions.
// Names, labels, ports and images follow Istio's samples/helloworld and samples/curl manifests and the
// Online Boutique chart, so the published how-tos (kubectl exec deploy/curl ...) keep working.
import type { IstioInstall } from "../istio/artifacts";
import type { RevisionTag } from "../config/schema";
import { gatewayRevisionValues, imageValues } from "../istio/values";
import type { ClusterRevisions } from "../plan/types";
import {
  BOUTIQUE_COMPONENTS,
  BOUTIQUE_SERVICE_PORTS,
  type BoutiqueComponent,
  type HelloworldVersion,
} from "./placement";

export const CURL_IMAGE = "docker.io/curlimages/curl:8.16.0";
export const HELLOWORLD_PORT = 5000;

/** Istio's helloworld images live beside its other images (istioHub, Docker Hub's `docker.io/istio`). */
export function helloworldImage(version: HelloworldVersion, hub: string): string {
  return `${hub}/examples-helloworld-${version}:1.0`;
}

export const BOUTIQUE_CHART = "oci://us-docker.pkg.dev/online-boutique-ci/charts/onlineboutique";
export const BOUTIQUE_CHART_VERSION = "0.10.6";
/**
 * Set explicitly: the chart's default moved between projects around this release; the v0.10.6 release
 * manifests pull from this repository.
 */
export const BOUTIQUE_IMAGE_REPOSITORY = "us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo";
export const BOUTIQUE_IMAGE_TAG = "v0.10.6";

export const INGRESS_GATEWAY_NAME = "istio-ingressgateway";
/** The `istio` label the gateway chart derives from a release named istio-ingressgateway. */
export const INGRESS_GATEWAY_SELECTOR = { istio: "ingressgateway" } as const;
export const FRONTEND_GATEWAY_NAME = "frontend-gateway";

type Labels = Record<string, string>;
type PortSpec = { name: string; port: number; targetPort?: number };

/** The label a namespace chooses a revision tag with (istiod chart, webhooks `rev.namespace.*`). */
export const REVISION_LABEL = "istio.io/rev";

/**
 * A namespace whose pods get sidecars: `istio-injection=enabled` while the mesh runs one unnamed istiod;
 * once it uses revisions, `istio.io/rev=<tag>` alone (the chart's revision webhooks skip any namespace
 * that also has istio-injection, which would win).
 */
export function injectedNamespace(name: string, tag?: RevisionTag) {
  const labels: Record<string, string> = tag ? { [REVISION_LABEL]: tag } : { "istio-injection": "enabled" };
  return { metadata: { name, labels } };
}

function service<N>(name: string, namespace: N, labels: Labels, ports: PortSpec[], selector: Labels) {
  return { metadata: { name, namespace, labels }, spec: { type: "ClusterIP", ports, selector } };
}

/** One replica, selected by exactly its pod labels: the shape of Istio's sample Deployments. */
function singleReplicaDeployment<N, P extends object>(name: string, namespace: N, labels: Labels, pod: P) {
  return {
    metadata: { name, namespace, labels },
    spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: pod } },
  };
}

export function helloworldService<N>(namespace: N) {
  return service(
    "helloworld",
    namespace,
    { app: "helloworld", service: "helloworld" },
    [{ name: "http", port: HELLOWORLD_PORT, targetPort: HELLOWORLD_PORT }],
    { app: "helloworld" },
  );
}

export function helloworldDeployment<N>(namespace: N, version: HelloworldVersion, hub: string) {
  return singleReplicaDeployment(
    `helloworld-${version}`,
    namespace,
    { app: "helloworld", version },
    {
      containers: [
        {
          name: "helloworld",
          image: helloworldImage(version, hub),
          imagePullPolicy: "IfNotPresent",
          resources: { requests: { cpu: "100m" } },
          ports: [{ containerPort: HELLOWORLD_PORT }],
          readinessProbe: { httpGet: { path: "/health", port: HELLOWORLD_PORT } },
        },
      ],
    },
  );
}

export function curlServiceAccount<N>(namespace: N) {
  return { metadata: { name: "curl", namespace } };
}

export function curlService<N>(namespace: N) {
  return service("curl", namespace, { app: "curl", service: "curl" }, [{ name: "http", port: 80 }], {
    app: "curl",
  });
}

export function curlDeployment<N>(namespace: N) {
  return singleReplicaDeployment(
    "curl",
    namespace,
    { app: "curl" },
    {
      terminationGracePeriodSeconds: 0,
      serviceAccountName: "curl",
      containers: [
        {
          name: "curl",
          image: CURL_IMAGE,
          imagePullPolicy: "IfNotPresent",
          command: ["/bin/sleep", "infinity"],
        },
      ],
    },
  );
}

/**
 * The Service of a component that runs in another cluster: same name, ports and selector as the chart's,
 * so Istio merges it with the real one by hostname and sends calls to the other cluster's endpoints.
 */
export function remoteComponentService<N>(component: BoutiqueComponent, namespace: N) {
  const port = BOUTIQUE_SERVICE_PORTS[component];
  if (!port) throw new Error(`component: ${component} has no Service`);
  return service(
    component,
    namespace,
    { app: component, "app.kubernetes.io/part-of": "onlineboutique" },
    [port],
    {
      app: component,
    },
  );
}

/** Values keys of the chart, per component (redis-cart is switched under cartDatabase). */
const VALUES_KEY: Readonly<Record<Exclude<BoutiqueComponent, "redis-cart">, string>> = {
  frontend: "frontend",
  productcatalogservice: "productCatalogService",
  currencyservice: "currencyService",
  checkoutservice: "checkoutService",
  shippingservice: "shippingService",
  paymentservice: "paymentService",
  emailservice: "emailService",
  adservice: "adService",
  loadgenerator: "loadGenerator",
  cartservice: "cartService",
  recommendationservice: "recommendationService",
};

/** Chart values for one cluster: only its components are created, everything else is switched off. */
export function boutiqueValues(here: readonly BoutiqueComponent[]): Record<string, unknown> {
  const has = (c: BoutiqueComponent) => here.includes(c);
  if (has("redis-cart") !== has("cartservice")) {
    throw new Error("components: redis-cart and cartservice must run in the same cluster (one chart block)");
  }
  const values: Record<string, Record<string, unknown>> = {
    images: { repository: BOUTIQUE_IMAGE_REPOSITORY, tag: BOUTIQUE_IMAGE_TAG },
  };
  for (const component of BOUTIQUE_COMPONENTS) {
    if (component !== "redis-cart") values[VALUES_KEY[component]] = { create: has(component) };
  }
  // The ingress gateway and our own VirtualService expose the frontend: no LoadBalancer of the chart.
  values["frontend"] = { ...values["frontend"], externalService: false, virtualService: { create: false } };
  // The chart's busybox init container probes frontend:80 before the sidecar runs; across networks that
  // address is only reachable through the mesh, so the probe would wait forever.
  values["loadGenerator"] = { ...values["loadGenerator"], checkFrontendInitContainer: false };
  values["cartDatabase"] = { inClusterRedis: { create: has("redis-cart") } };
  return values;
}

/**
 * Values of Istio's `gateway` chart for the Online Boutique ingress on its reserved address. The ingress
 * gateway belongs to the application: it follows the samples' tag (stage 2 moves storefront
 * and entrance together, and its rollback moves both back). `install` is already the tag's revision's.
 */
export function ingressGatewayValues(
  install: Pick<IstioInstall, "hub" | "version">,
  loadBalancerIP?: string,
  revisions?: ClusterRevisions,
) {
  return {
    global: imageValues(install),
    service: { type: "LoadBalancer", ...(loadBalancerIP !== undefined ? { loadBalancerIP } : {}) },
    ...(revisions ? gatewayRevisionValues(revisions, revisions.samplesTag) : {}),
  };
}

export function frontendGateway<N>(namespace: N) {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "Gateway",
    metadata: { name: FRONTEND_GATEWAY_NAME, namespace },
    spec: {
      selector: { ...INGRESS_GATEWAY_SELECTOR },
      servers: [{ port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["*"] }],
    },
  };
}

export function frontendVirtualService(namespace: string) {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name: "frontend-ingress", namespace },
    spec: {
      hosts: ["*"],
      gateways: [FRONTEND_GATEWAY_NAME],
      http: [
        {
          route: [{ destination: { host: `frontend.${namespace}.svc.cluster.local`, port: { number: 80 } } }],
        },
      ],
    },
  };
}
