// Which istiod revision the proxies of each namespace run, against the revision their tag points to, as
// the cluster itself says: tag webhooks (`istio-revision-tag-<tag>`, labelled istio.io/tag and the
// istio.io/rev they point to; istiod chart revision-tags-mwc.yaml), namespace labels istio.io/rev, and
// the `istio.io/rev` annotation the injector writes on every pod it injects (injection-template.yaml).
import { kubectlBase } from "./kubectl";

/** kubectl args: every tag webhook as `<tag>\t<revision>` lines. */
export function tagWebhookArgs(kubeconfig: string): string[] {
  return [
    ...kubectlBase(kubeconfig),
    "--request-timeout=20s",
    "get",
    "mutatingwebhookconfigurations",
    "-l",
    "istio.io/tag",
    "-o",
    "jsonpath={range .items[*]}{.metadata.labels.istio\\.io/tag}{'\\t'}{.metadata.labels.istio\\.io/rev}{'\\n'}{end}",
  ];
}

/** kubectl args: every namespace that chooses a tag, as `<namespace>\t<tag>` lines. */
export function taggedNamespaceArgs(kubeconfig: string): string[] {
  return [
    ...kubectlBase(kubeconfig),
    "--request-timeout=20s",
    "get",
    "namespaces",
    "-l",
    "istio.io/rev",
    "-o",
    "jsonpath={range .items[*]}{.metadata.name}{'\\t'}{.metadata.labels.istio\\.io/rev}{'\\n'}{end}",
  ];
}

/**
 * kubectl args: every pod as `<namespace>\t<pod's own istio.io/rev label>\t<injected revision>` lines (a
 * gateway chooses its tag on the pod; the injector's annotation is empty on pods without a proxy).
 */
export function proxyRevisionArgs(kubeconfig: string): string[] {
  return [
    ...kubectlBase(kubeconfig),
    "--request-timeout=20s",
    "get",
    "pods",
    "--all-namespaces",
    "-o",
    "jsonpath={range .items[*]}{.metadata.namespace}{'\\t'}{.metadata.labels.istio\\.io/rev}{'\\t'}{.metadata.annotations.istio\\.io/rev}{'\\n'}{end}",
  ];
}

const rows = (text: string) =>
  text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => line.split("\t").map((field) => field.trim()));

/** `tag -> revision` from tagWebhookArgs' output. */
export const parseTagTargets = (text: string) =>
  new Map(rows(text).map(([tag, revision]) => [tag ?? "", revision ?? ""] as const));

/** `namespace -> tag` from taggedNamespaceArgs' output. */
export const parseNamespaceTags = (text: string) =>
  new Map(rows(text).map(([namespace, tag]) => [namespace ?? "", tag ?? ""] as const));

export interface ProxyRow {
  namespace: string;
  /** The pod's own istio.io/rev label (gateways), else "". */
  podTag: string;
  /** The revision that injected it ("" when it has no proxy). */
  revision: string;
}

export const parseProxyRows = (text: string): ProxyRow[] =>
  rows(text).map(([namespace = "", podTag = "", revision = ""]) => ({ namespace, podTag, revision }));

/** One namespace's (or one gateway's) verdict. */
export interface RevisionFinding {
  /** `namespace` or `namespace (pods tagged <tag>)`. */
  where: string;
  tag: string;
  /** The revision the tag points to; undefined when no webhook renders the tag. */
  target?: string;
  /** Proxies per revision they run. */
  proxies: Record<string, number>;
  verdict: "ok" | "stale" | "untagged-target" | "no-proxies";
}

/**
 * Per tagged namespace, and per tag chosen on the pods of an untagged namespace (gateways in
 * istio-system): the tag's target and the revisions its proxies run. `stale`: some proxies still run
 * another revision (restart them); `untagged-target`: no webhook renders the tag, so new pods get no proxy.
 */
export function revisionFindings(
  tags: ReadonlyMap<string, string>,
  namespaces: ReadonlyMap<string, string>,
  pods: readonly ProxyRow[],
): RevisionFinding[] {
  const groups = new Map<string, { tag: string; where: string; proxies: Record<string, number> }>();
  const groupOf = (namespace: string, podTag: string) => {
    const nsTag = namespaces.get(namespace);
    if (nsTag !== undefined) return { key: namespace, tag: nsTag, where: namespace };
    if (podTag !== "") {
      return { key: `${namespace}\t${podTag}`, tag: podTag, where: `${namespace} (pods tagged ${podTag})` };
    }
    return undefined;
  };
  for (const [namespace, tag] of namespaces) groups.set(namespace, { tag, where: namespace, proxies: {} });
  for (const pod of pods) {
    const group = groupOf(pod.namespace, pod.podTag);
    if (!group || pod.revision === "") continue;
    const entry = groups.get(group.key) ?? { tag: group.tag, where: group.where, proxies: {} };
    entry.proxies[pod.revision] = (entry.proxies[pod.revision] ?? 0) + 1;
    groups.set(group.key, entry);
  }
  return [...groups.values()]
    .sort((a, b) => a.where.localeCompare(b.where))
    .map(({ tag, where, proxies }) => {
      const target = tags.get(tag);
      const revisions = Object.keys(proxies);
      const verdict =
        target === undefined
          ? "untagged-target"
          : revisions.length === 0
            ? "no-proxies"
            : revisions.every((r) => r === target)
              ? "ok"
              : "stale";
      return { where, tag, ...(target !== undefined ? { target } : {}), proxies, verdict };
    });
}

const count = (proxies: Record<string, number>) =>
  Object.entries(proxies)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([revision, n]) => `${revision} x${n}`)
    .join(", ") || "none";

/** The line `npm run verify` prints for a finding (prefix ok/FAIL/note decided by the caller). */
export function describeFinding(cluster: string, f: RevisionFinding): string {
  const head = `${cluster}/${f.where}: tag ${f.tag}`;
  switch (f.verdict) {
    case "untagged-target":
      return `${head} is rendered by no webhook: new pods here get no proxy (is the tag in istioRevisions?)`;
    case "no-proxies":
      return `${head} -> ${f.target}; no injected pods yet`;
    case "ok":
      return `${head} -> ${f.target}; proxies run ${count(f.proxies)}`;
    case "stale":
      return `${head} -> ${f.target}; proxies run ${count(f.proxies)}: restart the others (kubectl rollout restart deploy -n ${f.where.split(" ")[0]})`;
  }
}
