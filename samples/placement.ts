// Where the sample workloads run, as pure functions of the ordered cluster list. Components only realize
// these decisions; tests and docs (docs/samples-and-verification.md) describe the same rules.

/** Namespace of helloworld and its curl clients, as in Istio's multicluster verification guide. */
export const HELLOWORLD_NAMESPACE = "sample";
/** Namespace of Online Boutique in every cluster that runs part of it. */
export const BOUTIQUE_NAMESPACE = "onlineboutique";

export type HelloworldVersion = "v1" | "v2";
export const HELLOWORLD_VERSIONS: readonly HelloworldVersion[] = ["v1", "v2"];

/**
 * helloworld: every cluster runs exactly one version, alternating by position (first cluster v1, second
 * v2, third v1, ...). Because no cluster hosts both versions, a client that sees both has crossed a
 * cluster boundary. Every cluster also gets the `helloworld` Service and a `curl` client.
 */
export function placeHelloworld(clusters: readonly string[]): Record<string, HelloworldVersion> {
  if (clusters.length < 2)
    throw new Error(`helloworld placement needs at least two clusters, got ${clusters.length}`);
  return Object.fromEntries(clusters.map((name, index) => [name, HELLOWORLD_VERSIONS[index % 2]!]));
}

/** Stays in the first group of clusters; the frontend comes first so it always lands in cluster 1. */
const FIRST_GROUP = [
  "frontend",
  "productcatalogservice",
  "currencyservice",
  "checkoutservice",
  "shippingservice",
  "paymentservice",
  "emailservice",
  "adservice",
] as const;
/** Goes to the second group. redis-cart is not listed: the chart renders it inside cartservice's block. */
const SECOND_GROUP = ["loadgenerator", "cartservice", "recommendationservice"] as const;

/** Online Boutique workloads (Deployments) of the upstream chart, by their Kubernetes name. */
export const BOUTIQUE_COMPONENTS = [...FIRST_GROUP, ...SECOND_GROUP, "redis-cart"] as const;
export type BoutiqueComponent = (typeof BOUTIQUE_COMPONENTS)[number];

/** The Kubernetes Service each component exposes (loadgenerator has none), as the chart renders it. */
export interface ServicePort {
  name: string;
  port: number;
  targetPort: number;
}
export const BOUTIQUE_SERVICE_PORTS: Readonly<Partial<Record<BoutiqueComponent, ServicePort>>> = {
  frontend: { name: "http", port: 80, targetPort: 8080 },
  productcatalogservice: { name: "grpc", port: 3550, targetPort: 3550 },
  currencyservice: { name: "grpc", port: 7000, targetPort: 7000 },
  checkoutservice: { name: "grpc", port: 5050, targetPort: 5050 },
  shippingservice: { name: "grpc", port: 50051, targetPort: 50051 },
  paymentservice: { name: "grpc", port: 50051, targetPort: 50051 },
  emailservice: { name: "grpc", port: 5000, targetPort: 8080 },
  adservice: { name: "grpc", port: 9555, targetPort: 9555 },
  cartservice: { name: "grpc", port: 7070, targetPort: 7070 },
  "redis-cart": { name: "tcp-redis", port: 6379, targetPort: 6379 },
  recommendationservice: { name: "grpc", port: 8080, targetPort: 8080 },
};

/** Who calls whom (the `*_SERVICE_ADDR` / `FRONTEND_ADDR` / `REDIS_ADDR` settings of the chart). */
export const BOUTIQUE_CALLS: Readonly<Partial<Record<BoutiqueComponent, readonly BoutiqueComponent[]>>> = {
  frontend: [
    "productcatalogservice",
    "currencyservice",
    "cartservice",
    "recommendationservice",
    "shippingservice",
    "checkoutservice",
    "adservice",
  ],
  checkoutservice: [
    "productcatalogservice",
    "shippingservice",
    "paymentservice",
    "emailservice",
    "currencyservice",
    "cartservice",
  ],
  recommendationservice: ["productcatalogservice"],
  cartservice: ["redis-cart"],
  loadgenerator: ["frontend"],
};

export interface BoutiquePlacement {
  /** Cluster of every component. */
  readonly clusterOf: Readonly<Record<BoutiqueComponent, string>>;
  /** Components each cluster runs; clusters that run nothing are absent. */
  readonly components: Readonly<Record<string, readonly BoutiqueComponent[]>>;
  /**
   * Services each cluster needs although their workload runs elsewhere: a caller resolves the short name
   * through its own cluster's DNS, so the calling cluster must have the Service (Istio then routes to the
   * endpoints of every cluster).
   */
  readonly remoteServices: Readonly<Record<string, readonly BoutiqueComponent[]>>;
  /** Cluster of the frontend, where the ingress gateway runs. */
  readonly frontendCluster: string;
}

/**
 * Online Boutique split: the clusters are cut into a first half (ceil(N/2) clusters) and a second half.
 * The storefront group (frontend, product catalog, currency, checkout, shipping, payment, email, ads) is
 * dealt round-robin over the first half, starting with the frontend in cluster 1; loadgenerator,
 * cartservice (with redis-cart) and recommendationservice are dealt over the second half. For two clusters
 * this is the classic split: loadgenerator, cartservice, recommendationservice and redis-cart in the second
 * cluster, the rest in the first. Clusters beyond the number of components run nothing.
 */
export function placeBoutique(clusters: readonly string[]): BoutiquePlacement {
  if (clusters.length < 2)
    throw new Error(`Online Boutique placement needs at least two clusters, got ${clusters.length}`);
  if (new Set(clusters).size !== clusters.length)
    throw new Error(`cluster names are not unique: ${clusters.join(", ")}`);
  const firstHalf = clusters.slice(0, Math.ceil(clusters.length / 2));
  const secondHalf = clusters.slice(firstHalf.length);

  const clusterOf = {} as Record<BoutiqueComponent, string>;
  FIRST_GROUP.forEach((component, i) => (clusterOf[component] = firstHalf[i % firstHalf.length]!));
  SECOND_GROUP.forEach((component, i) => (clusterOf[component] = secondHalf[i % secondHalf.length]!));
  clusterOf["redis-cart"] = clusterOf.cartservice;

  const components: Record<string, BoutiqueComponent[]> = {};
  const remoteServices: Record<string, BoutiqueComponent[]> = {};
  for (const cluster of clusters) {
    const here = BOUTIQUE_COMPONENTS.filter((c) => clusterOf[c] === cluster);
    if (here.length === 0) continue;
    components[cluster] = here;
    const called = new Set(here.flatMap((c) => BOUTIQUE_CALLS[c] ?? []));
    const remote = BOUTIQUE_COMPONENTS.filter((c) => called.has(c) && clusterOf[c] !== cluster);
    if (remote.length > 0) remoteServices[cluster] = remote;
  }
  return { clusterOf, components, remoteServices, frontendCluster: clusterOf.frontend };
}

/** Namespace of Bookinfo in every cluster that runs part of it (the same in each: Istio's namespace sameness). */
export const BOOKINFO_NAMESPACE = "bookinfo";

/** Bookinfo's Deployments, by their name in Istio's samples/bookinfo/platform/kube/bookinfo.yaml. */
export const BOOKINFO_WORKLOADS = [
  "productpage-v1",
  "details-v1",
  "ratings-v1",
  "reviews-v1",
  "reviews-v2",
  "reviews-v3",
] as const;
export type BookinfoWorkload = (typeof BOOKINFO_WORKLOADS)[number];
export const BOOKINFO_SERVICES = ["productpage", "details", "ratings", "reviews"] as const;
export type BookinfoService = (typeof BOOKINFO_SERVICES)[number];

/** The Service (and ServiceAccount `bookinfo-<service>`) a workload belongs to: its `app` label. */
export const bookinfoServiceOf = (workload: BookinfoWorkload): BookinfoService =>
  workload.replace(/-v\d+$/, "") as BookinfoService;

/**
 * Who calls whom: productpage calls details and reviews; reviews v2 and v3 call ratings (their images are
 * built with ENABLE_RATINGS, v1's is not: samples/bookinfo/src/docker-bake.hcl).
 */
export const BOOKINFO_CALLS: Readonly<Partial<Record<BookinfoWorkload, readonly BookinfoService[]>>> = {
  "productpage-v1": ["details", "reviews"],
  "reviews-v2": ["ratings"],
  "reviews-v3": ["ratings"],
};

export interface BookinfoPlacement {
  readonly clusterOf: Readonly<Record<BookinfoWorkload, string>>;
  /** Workloads each cluster runs; clusters that run nothing are absent. */
  readonly workloads: Readonly<Record<string, readonly BookinfoWorkload[]>>;
  /** Services of the workloads each cluster runs (so that its endpoints exist there). */
  readonly services: Readonly<Record<string, readonly BookinfoService[]>>;
  /** Services each cluster calls but whose workloads all run elsewhere (resolved through its own DNS). */
  readonly remoteServices: Readonly<Record<string, readonly BookinfoService[]>>;
  readonly productpageCluster: string;
  readonly reviewsV3Cluster: string;
}

/**
 * Bookinfo split: everything but reviews-v3 in the first cluster (a primary, in roles-first order), and
 * reviews-v3 alone in the second. productpage's calls to `reviews` then reach v3 only across the cluster
 * boundary, and v3's red stars need its call back to ratings in the first cluster: a page with red stars
 * proves both directions. Further clusters run nothing.
 */
export function placeBookinfo(clusters: readonly string[]): BookinfoPlacement {
  if (clusters.length < 2)
    throw new Error(`Bookinfo placement needs at least two clusters, got ${clusters.length}`);
  if (new Set(clusters).size !== clusters.length)
    throw new Error(`cluster names are not unique: ${clusters.join(", ")}`);
  const [first, second] = clusters as [string, string];
  const clusterOf = Object.fromEntries(
    BOOKINFO_WORKLOADS.map((w) => [w, w === "reviews-v3" ? second : first]),
  ) as Record<BookinfoWorkload, string>;

  const workloads: Record<string, BookinfoWorkload[]> = {};
  const services: Record<string, BookinfoService[]> = {};
  const remoteServices: Record<string, BookinfoService[]> = {};
  for (const cluster of clusters) {
    const here = BOOKINFO_WORKLOADS.filter((w) => clusterOf[w] === cluster);
    if (here.length === 0) continue;
    workloads[cluster] = here;
    const own = new Set(here.map(bookinfoServiceOf));
    services[cluster] = BOOKINFO_SERVICES.filter((s) => own.has(s));
    const called = new Set(here.flatMap((w) => BOOKINFO_CALLS[w] ?? []));
    const remote = BOOKINFO_SERVICES.filter((s) => called.has(s) && !own.has(s));
    if (remote.length > 0) remoteServices[cluster] = remote;
  }
  return {
    clusterOf,
    workloads,
    services,
    remoteServices,
    productpageCluster: clusterOf["productpage-v1"],
    reviewsV3Cluster: clusterOf["reviews-v3"],
  };
}

/** Namespace of httpbin and its client, in both clusters. */
export const HTTPBIN_NAMESPACE = "httpbin";

export interface HttpbinPlacement {
  /** Runs the httpbin Deployment (and its Service). */
  readonly serverCluster: string;
  /** Runs the curl client and an httpbin Service without local endpoints. */
  readonly clientCluster: string;
}

/**
 * httpbin in the second cluster of the roles-first order, its client in the first: the client's cluster
 * has no httpbin pod, so every answer it gets crossed the cluster boundary.
 */
export function placeHttpbin(clusters: readonly string[]): HttpbinPlacement {
  if (clusters.length < 2)
    throw new Error(`httpbin placement needs at least two clusters, got ${clusters.length}`);
  if (clusters[0] === clusters[1]) throw new Error(`cluster names are not unique: ${clusters.join(", ")}`);
  return { serverCluster: clusters[1]!, clientCluster: clusters[0]! };
}
