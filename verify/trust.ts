// Which roots each cluster trusts, and which root its workloads' certificates chain to: the check that says
// whether a root rotation's stage has reached every cluster (docs/certificates.md). Per cluster it reads the
// `istio-ca-root-cert` ConfigMap istiod writes into istio-system, and, where helloworld runs, the curl
// client's proxy secrets from Envoy's admin API (`pilot-agent request`, as `istioctl proxy-config secret`
// does: the ROOTCA validation context and the `default` certificate chain).
import { X509Certificate } from "node:crypto";
import { classifyKubectl, kubectlBase, type Failure } from "./kubectl";
import type { VerifyDeps } from "./types";

export interface TrustInput {
  /** The roots every cluster should trust now (stack output rootCertificate, PEM bundle). */
  roots: string;
  /** The rotation stage in progress (stack output caRotation.stage), if any. */
  stage?: string;
  /** The namespace of helloworld's curl clients, whose proxies are read. */
  workloadNamespace?: string;
}

export interface TrustContext {
  deps: VerifyDeps;
  reachable: ReadonlySet<string>;
  clusters: readonly string[];
  kubeconfigOf(cluster: string): string;
  record(failure: Failure): void;
}

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export function certificatesOf(pem: string): X509Certificate[] {
  return (pem.match(PEM) ?? []).map((block) => new X509Certificate(block));
}

/** `O=Istio CN=Root CA sha256:1a2b3c4d`: enough to tell two roots of the same name apart. */
export function describeRoot(cert: X509Certificate): string {
  const subject = cert.subject.split("\n").join(" ");
  return `${subject} sha256:${cert.fingerprint256.replaceAll(":", "").slice(0, 8).toLowerCase()}`;
}

const describeAll = (certs: readonly X509Certificate[]) =>
  certs.length === 0 ? "nothing" : certs.map(describeRoot).join(" + ");

/** The root (among `roots`) that issued the top of `chain`, or undefined. */
export function rootOfChain(chain: readonly X509Certificate[], roots: readonly X509Certificate[]) {
  const top = [...chain].reverse().find((c) => !(c.checkIssued(c) && c.verify(c.publicKey))) ?? chain[0];
  if (!top) return undefined;
  return roots.find((r) => top.checkIssued(r) && top.verify(r.publicKey));
}

export function configMapArgs(kubeconfig: string): string[] {
  return [
    ...kubectlBase(kubeconfig),
    "get",
    "configmap",
    "istio-ca-root-cert",
    "-n",
    "istio-system",
    "-o",
    "jsonpath={.data.root-cert\\.pem}",
  ];
}

export function proxySecretArgs(kubeconfig: string, namespace: string): string[] {
  return [
    ...kubectlBase(kubeconfig),
    "exec",
    "-n",
    namespace,
    "deploy/curl",
    "-c",
    "istio-proxy",
    "--",
    "pilot-agent",
    "request",
    "GET",
    "config_dump?mask=dynamic_active_secrets",
  ];
}

interface ProxySecrets {
  trusted: X509Certificate[];
  chain: X509Certificate[];
}

/** The ROOTCA bundle and the `default` chain out of Envoy's SecretsConfigDump. */
export function parseProxySecrets(json: string): ProxySecrets {
  const dump = JSON.parse(json) as { configs?: { dynamic_active_secrets?: unknown[] }[] };
  const secrets = (dump.configs ?? []).flatMap((c) => c.dynamic_active_secrets ?? []) as {
    name?: string;
    secret?: {
      tls_certificate?: { certificate_chain?: { inline_bytes?: string } };
      validation_context?: { trusted_ca?: { inline_bytes?: string } };
    };
  }[];
  const decode = (b64: string | undefined) => Buffer.from(b64 ?? "", "base64").toString("utf8");
  const find = (name: string) => secrets.find((s) => s.name === name)?.secret;
  return {
    trusted: certificatesOf(decode(find("ROOTCA")?.validation_context?.trusted_ca?.inline_bytes)),
    chain: certificatesOf(decode(find("default")?.tls_certificate?.certificate_chain?.inline_bytes)),
  };
}

const sameSet = (a: readonly X509Certificate[], b: readonly X509Certificate[]) =>
  a.length === b.length && a.every((x) => b.some((y) => y.fingerprint256 === x.fingerprint256));
const missingFrom = (have: readonly X509Certificate[], want: readonly X509Certificate[]) =>
  want.filter((w) => !have.some((h) => h.fingerprint256 === w.fingerprint256));

export async function checkTrust(input: TrustInput, ctx: TrustContext): Promise<void> {
  const { deps } = ctx;
  const expected = certificatesOf(input.roots);
  const during = input.stage ? ` (rotation stage ${input.stage})` : "";
  deps.log(`     roots to trust${during}: ${describeAll(expected)}`);
  const fail = (message: string) => ctx.record({ kind: "other", message });
  // Roots seen anywhere, so that a dropped root is still named when a certificate chains to it.
  const seen = [...expected];
  for (const cluster of ctx.clusters.filter((c) => ctx.reachable.has(c))) {
    const kubeconfig = ctx.kubeconfigOf(cluster);
    const result = await deps.run("kubectl", configMapArgs(kubeconfig), { timeoutMs: 30_000 });
    if (result.code !== 0) {
      ctx.record(classifyKubectl(cluster, "reading ConfigMap istio-ca-root-cert in istio-system", result));
    } else {
      const roots = certificatesOf(result.stdout);
      seen.push(...roots);
      const line = `${cluster}: istio-ca-root-cert trusts ${describeAll(roots)}`;
      if (sameSet(roots, expected)) deps.log(`ok   ${line}`);
      else
        fail(
          `${line}, not ${describeAll(expected)}: istiod has not loaded cacerts yet (it reloads within a minute; restart it if it logs "Updating new ROOT-CA not supported")`,
        );
    }
    if (input.workloadNamespace === undefined) continue;
    const proxy = await deps.run("kubectl", proxySecretArgs(kubeconfig, input.workloadNamespace), {
      timeoutMs: 60_000,
    });
    if (proxy.code !== 0) {
      ctx.record(
        classifyKubectl(
          cluster,
          `reading the proxy secrets of deploy/curl in ${input.workloadNamespace}`,
          proxy,
        ),
      );
      continue;
    }
    let secrets: ProxySecrets;
    try {
      secrets = parseProxySecrets(proxy.stdout);
    } catch {
      fail(`${cluster}: deploy/curl's proxy answered no secrets config dump`);
      continue;
    }
    seen.push(...secrets.trusted);
    const missing = missingFrom(secrets.trusted, expected);
    const trusts = `${cluster}: deploy/curl's proxy trusts ${describeAll(secrets.trusted)}`;
    if (missing.length > 0)
      fail(
        `${trusts}, not ${describeAll(missing)}: restart the workloads of this cluster (kubectl rollout restart)`,
      );
    else if (!sameSet(secrets.trusted, expected))
      deps.log(`note ${trusts}: it drops the others at its next certificate renewal or restart`);
    else deps.log(`ok   ${trusts}`);
    const root = rootOfChain(secrets.chain, seen);
    const chains = `${cluster}: deploy/curl's certificate chains to ${root ? describeRoot(root) : "no known root"}`;
    if (root && expected.some((e) => e.fingerprint256 === root.fingerprint256)) deps.log(`ok   ${chains}`);
    else fail(`${chains}: peers reject it; restart the workload to get a certificate under a trusted root`);
  }
}
