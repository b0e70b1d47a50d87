// Fakes for the sample checks of `npm run verify`: productpage and go-httpbin answers as the apps render
// them, curl's output with the check's per-call marker, and a kubectl that routes by what a command does.
import type { RunResult, VerifyDeps } from "../../verify/types";

/**
 * The reviews part of a productpage, shaped as Istio's templates/productpage.html renders it: stars in a
 * `text-<color>-500` block of star SVGs, a ratings error in a red paragraph, then "Reviews served by:"
 * with the pod name and, when reviews has CLUSTER_NAME, "on cluster <div>name</div>".
 */
export function productPage(options: {
  pod?: string;
  cluster?: string;
  rating?: { color: string; stars: number } | "error";
  detailsError?: boolean;
}): string {
  const head = `<html><head><title>Simple Bookstore App</title></head><body>
<div class="container">${options.detailsError ? '<p class="text-2xl text-red-500">Error fetching product details</p>' : "<h4>Book Details</h4>"}</div>`;
  if (!options.pod) {
    return `${head}<p class="text-2xl text-red-500">Error fetching product reviews</p>
<p class="text-lg text-gray-600">Sorry, product reviews are currently unavailable for this book.</p></body></html>`;
  }
  const star =
    '<svg id="glyphicon glyphicon-star" class="h-5 w-5 flex-none" viewBox="0 0 20 20"><path d="M10"/></svg>';
  const rating =
    options.rating === "error"
      ? '<p class="text-red-500">Ratings service is currently unavailable</p>'
      : options.rating
        ? `<div class="flex gap-x-1 text-${options.rating.color}-500">\n              ${star.repeat(options.rating.stars)}\n            </div>`
        : "";
  const servedBy = `<div class="mt-0.5 text-gray-600 font-mono">Reviews served by: 
                  ${options.pod}
                  ${options.cluster ? `on cluster <div>${options.cluster}</div>` : ""}
                </div>`;
  const review = (text: string) =>
    `<section class="px-6 py-12"><div class="mx-auto max-w-2xl">${rating}<blockquote><p>"${text}"</p></blockquote>
<div class="font-semibold text-gray-900">Reviewer</div>${servedBy}</div></section>`;
  return `${head}<h4 class="text-3xl font-semibold">Book Reviews</h4>${review("An extremely entertaining play")}${review("Absolutely fun")}</body></html>`;
}

/** curl's output for a list of (body, status) calls, with the check's per-call marker. */
export const curlOutput = (responses: [string, number][]) =>
  responses
    .map(([body, status]) => `${body}\n@@verify-call http_code=${String(status).padStart(3, "0")}@@\n`)
    .join("");
export const rounds = (pages: string[], calls = 20) =>
  curlOutput(Array.from({ length: calls }, (_, i) => [pages[i % pages.length]!, 200]));
export const hostname = (name: string) => `{\n  "hostname": "${name}"\n}\n`;
export const ok = (stdout = ""): RunResult => ({ code: 0, stdout, stderr: "" });

export type Route = (args: readonly string[], cluster: string, call: number) => RunResult;
export type Kind =
  | "probe"
  | "secrets"
  | "bookinfo"
  | "httpbin"
  | "pods"
  | "rootConfigMap"
  | "proxySecrets"
  | "tagWebhooks"
  | "taggedNamespaces"
  | "proxyRevisions";

export function kindOf(args: readonly string[]): Kind {
  if (args.includes("/readyz")) return "probe";
  if (args.includes("istio-ca-root-cert")) return "rootConfigMap";
  if (args.includes("pilot-agent")) return "proxySecrets";
  if (args.includes("secrets")) return "secrets";
  if (args.includes("mutatingwebhookconfigurations")) return "tagWebhooks";
  if (args.includes("namespaces")) return "taggedNamespaces";
  if (args.includes("--all-namespaces")) return "proxyRevisions";
  if (args.includes("pods")) return "pods";
  return args.includes("deploy/ratings-v1") ? "bookinfo" : "httpbin";
}

export function fakeDeps(routes: Partial<Record<Kind, Route>>) {
  const log: string[] = [];
  const calls: { kind: Kind; cluster: string; args: readonly string[] }[] = [];
  const count = new Map<string, number>();
  let clock = 0;
  const deps: VerifyDeps = {
    async run(command, args) {
      if (command === "pulumi") return ok("{}");
      const cluster = (args[args.indexOf("--kubeconfig") + 1] ?? "")
        .replace(/^.*\//, "")
        .replace(".kubeconfig", "");
      const kind = kindOf(args);
      calls.push({ kind, cluster, args });
      const n = (count.get(kind + cluster) ?? 0) + 1;
      count.set(kind + cluster, n);
      return routes[kind]?.(args, cluster, n) ?? ok();
    },
    async httpGet() {
      return { status: 200 };
    },
    async sleep(ms) {
      clock += ms;
    },
    now: () => clock,
    log: (line) => log.push(line),
  };
  return { deps, log, calls };
}

/** Envoy's secrets config dump as `pilot-agent request GET config_dump` prints it (ROOTCA and default). */
export function secretsDump(trustedPem: string, chainPem: string): string {
  const b64 = (text: string) => Buffer.from(text).toString("base64");
  return JSON.stringify({
    configs: [
      {
        "@type": "type.googleapis.com/envoy.admin.v3.SecretsConfigDump",
        dynamic_active_secrets: [
          {
            name: "default",
            secret: { tls_certificate: { certificate_chain: { inline_bytes: b64(chainPem) } } },
          },
          {
            name: "ROOTCA",
            secret: { validation_context: { trusted_ca: { inline_bytes: b64(trustedPem) } } },
          },
        ],
      },
    ],
  });
}
