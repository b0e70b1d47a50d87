// Bookinfo across clusters: productpage (first cluster) must show reviews from reviews-v3, which runs only
// in the other cluster, with v3's red stars, which need v3's own call back to ratings in the first one.
// The page names the reviews pod and, from its CLUSTER_NAME, its cluster (productpage.html: "Reviews
// served by: <pod> on cluster <name>"); the stars are rendered in a `text-<color>-500` block.
import {
  curlArgs,
  nonEmptyLines,
  pollRounds,
  splitResponses,
  withSampleHint,
  type SampleCheckContext,
} from "./sampleCheck";
import type { VerifyInput } from "./types";

export type BookinfoTarget = NonNullable<VerifyInput["bookinfo"]>;

/** What one productpage response says about the reviews call behind it. */
export interface ProductPage {
  status: number;
  /** Pod name of the reviews instance that answered (`reviews-v3-6f8d7c-x2k4p`). */
  reviewsPod?: string;
  /** `v1`, `v2` or `v3`, from that pod's Deployment name. */
  reviewsVersion?: string;
  /** The CLUSTER_NAME the reviews instance reported. */
  reviewsCluster?: string;
  /** Colour of the rating stars (reviews v2: black, v3: red; v1 shows none). */
  starColor?: string;
  /** Why the page carries no reviews, when it does not. */
  problem?: string;
}

const SERVED_BY = /Reviews served by:\s*([a-z0-9][a-z0-9.-]*)/;
const ON_CLUSTER = /Reviews served by:\s*[a-z0-9.-]+\s*on cluster\s*<div>\s*([^<\s]+)\s*<\/div>/;
const STARS = /text-([a-z]+)-500">\s*<svg id="glyphicon glyphicon-star"/;

export function parseProductPage(status: number, body: string): ProductPage {
  if (status !== 200) return { status, problem: status === 0 ? "no response" : `HTTP ${status}` };
  const pod = SERVED_BY.exec(body)?.[1];
  if (!pod) {
    const unavailable = /product reviews are currently unavailable/.test(body);
    return {
      status,
      problem: unavailable ? "productpage could not reach reviews" : "no reviews on the page",
    };
  }
  const version = /^reviews-(v\d+)-/.exec(pod)?.[1];
  const cluster = ON_CLUSTER.exec(body)?.[1];
  const color = STARS.exec(body)?.[1];
  return {
    status,
    reviewsPod: pod,
    ...(version ? { reviewsVersion: version } : {}),
    ...(cluster ? { reviewsCluster: cluster } : {}),
    ...(color ? { starColor: color } : {}),
  };
}

export interface BookinfoTally {
  calls: number;
  /** Pages per reviews version. */
  versions: Record<string, number>;
  /** Pages from reviews-v3 with red stars. */
  v3RedStars: number;
  /** Clusters reviews-v3 reported. */
  v3Clusters: string[];
  errors: number;
  errorSamples: string[];
}

export const emptyBookinfoTally = (): BookinfoTally => ({
  calls: 0,
  versions: {},
  v3RedStars: 0,
  v3Clusters: [],
  errors: 0,
  errorSamples: [],
});

export function addBookinfoRound(
  tally: BookinfoTally,
  calls: number,
  stdout: string,
  stderr: string,
): BookinfoTally {
  const next: BookinfoTally = {
    ...tally,
    calls: tally.calls + calls,
    versions: { ...tally.versions },
    v3Clusters: [...tally.v3Clusters],
    errorSamples: [...tally.errorSamples],
  };
  const keep = (line: string) => {
    if (next.errorSamples.length < 3 && !next.errorSamples.includes(line)) next.errorSamples.push(line);
  };
  let answered = 0;
  for (const response of splitResponses(stdout)) {
    const page = parseProductPage(response.status, response.body);
    if (!page.reviewsPod) {
      keep(page.problem ?? "unreadable page");
      continue;
    }
    answered++;
    const version = page.reviewsVersion ?? page.reviewsPod;
    next.versions[version] = (next.versions[version] ?? 0) + 1;
    if (version === "v3") {
      if (page.starColor === "red") next.v3RedStars++;
      if (page.reviewsCluster && !next.v3Clusters.includes(page.reviewsCluster))
        next.v3Clusters.push(page.reviewsCluster);
    }
  }
  for (const line of nonEmptyLines(stderr)) keep(line);
  next.errors += Math.max(0, calls - answered);
  return next;
}

/** `v1: 7, v2: 6, v3: 7 (v3 with red stars: 7, from cluster2) (20 calls, 0 errors)` */
export function formatBookinfoTally(tally: BookinfoTally): string {
  const seen = Object.keys(tally.versions)
    .sort()
    .map((v) => `${v}: ${tally.versions[v]}`);
  const v3 = tally.versions["v3"]
    ? ` (v3 with red stars: ${tally.v3RedStars}${tally.v3Clusters.length > 0 ? `, from ${tally.v3Clusters.join(", ")}` : ""})`
    : "";
  return `${seen.length > 0 ? seen.join(", ") : "no reviews"}${v3} (${tally.calls} calls, ${tally.errors} errors)`;
}

/** The in-mesh client: ratings, whose image ships curl (Istio's Bookinfo README execs into it the same way). */
export const BOOKINFO_CLIENT = { deployment: "ratings-v1", container: "ratings" } as const;

export async function checkBookinfo(target: BookinfoTarget, ctx: SampleCheckContext): Promise<BookinfoTally> {
  const { productpageCluster: home, reviewsV3Cluster: remote, namespace } = target;
  const fail = (message: string) => ctx.record({ kind: "other", message });
  let tally = emptyBookinfoTally();
  if (!ctx.reachable.has(home)) {
    ctx.deps.log(`skip Bookinfo: ${home} (productpage) is unreachable`);
    return tally;
  }
  const { calls, timeoutSeconds } = ctx.options;
  // Red stars settle it; so does v3 answering from a cluster it is not placed in (a definite failure).
  const settled = (t: BookinfoTally) => t.v3RedStars > 0 || t.v3Clusters.some((c) => c !== remote);
  const failure = await pollRounds(
    ctx,
    home,
    `exec into deploy/${BOOKINFO_CLIENT.deployment} in namespace ${namespace}`,
    curlArgs(
      ctx.kubeconfigOf(home),
      { namespace, ...BOOKINFO_CLIENT },
      `productpage.${namespace}:9080/productpage`,
      calls,
    ),
    (result) => {
      tally = addBookinfoRound(tally, calls, result.stdout, result.stderr);
      return settled(tally);
    },
  );
  ctx.deps.log(`     ${home} productpage -> reviews ${formatBookinfoTally(tally)}`);
  if (failure) {
    ctx.record(withSampleHint(failure, "bookinfo"));
    return tally;
  }
  const hint = tally.errorSamples.length > 0 ? `; errors: ${tally.errorSamples.join(" | ")}` : "";
  const elsewhere = tally.v3Clusters.filter((c) => c !== remote);
  if (elsewhere.length > 0) {
    fail(`${home}: reviews-v3 answered from ${elsewhere.join(", ")}, but it is placed only in ${remote}`);
  } else if (!tally.versions["v3"]) {
    fail(`${home}: productpage never reached reviews-v3 (in ${remote}) within ${timeoutSeconds}s${hint}`);
  } else if (tally.v3RedStars === 0) {
    fail(
      `${home}: reviews-v3 (in ${remote}) answered productpage but never with red stars within ${timeoutSeconds}s: its calls to ratings in ${home} failed`,
    );
  } else
    ctx.deps.log(
      `ok   Bookinfo: productpage in ${home} got reviews-v3 with red stars from ${remote} (ratings answered v3 back)`,
    );
  return tally;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * `samples.bookinfo` of the stack outputs. Returns a problem (for a usage error) or the target; the
 * client, ratings-v1, must run in productpage's cluster.
 */
export function parseBookinfo(value: unknown, clusters: readonly string[]): BookinfoTarget | string {
  if (!isRecord(value)) return "samples.bookinfo is not an object";
  const { productpageCluster, reviewsV3Cluster, placement } = value;
  for (const [key, cluster] of Object.entries({ productpageCluster, reviewsV3Cluster })) {
    if (typeof cluster !== "string" || !clusters.includes(cluster))
      return `samples.bookinfo.${key} is not a cluster of the stack: ${JSON.stringify(cluster)}`;
  }
  const home = productpageCluster as string;
  const remote = reviewsV3Cluster as string;
  if (home === remote) return `samples.bookinfo: reviews-v3 runs in productpage's cluster ${home}`;
  const here = isRecord(placement) ? placement[home] : undefined;
  if (!Array.isArray(here) || !here.includes(BOOKINFO_CLIENT.deployment))
    return `samples.bookinfo.placement.${home} does not list ${BOOKINFO_CLIENT.deployment}`;
  const namespace = typeof value["namespace"] === "string" ? value["namespace"] : "bookinfo";
  return { namespace, productpageCluster: home, reviewsV3Cluster: remote };
}
