// Which input changes force a replacement, per resource type. GCP types: the ForceNew flags of the Terraform
// Google provider's schema at the version @pulumi/gcp bridges (facts/gcp-schema.json, read through
// providerFacts.ts). The others, written here with their sources: pulumi-kubernetes (metadata.name and
// namespace and immutable fields replace an object; a Helm release's name and namespace), @pulumi/tls
// (every certificate input), @pulumi/command (triggers) and the Kubernetes provider's clusterIdentifier.

import { hasSchemaFacts, schemaForcesReplacement } from "./providerFacts";

export interface ReplacementRule {
  /** Input paths (dot-separated, prefix match) whose change replaces the resource. */
  readonly paths: readonly string[];
  readonly source: string;
}

export const REPLACEMENT_RULES: Readonly<Record<string, ReplacementRule>> = {
  "pulumi:providers:kubernetes": {
    paths: ["clusterIdentifier"],
    source: "pulumi-kubernetes Provider: replaced only when clusterIdentifier changes",
  },
  "kubernetes:helm.sh/v3:Release": { paths: ["name", "namespace"], source: "pulumi-kubernetes Release" },
  "kubernetes:core/v1:Secret": {
    paths: ["metadata.name", "metadata.namespace", "type"],
    source: "Kubernetes",
  },
  "kubernetes:apps/v1:Deployment": {
    paths: ["metadata.name", "metadata.namespace", "spec.selector"],
    source: "Kubernetes (a Deployment's selector is immutable)",
  },
  "kubernetes:core/v1:Service": {
    paths: ["metadata.name", "metadata.namespace", "spec.clusterIP"],
    source: "Kubernetes (clusterIP is immutable)",
  },
  "tls:index/privateKey:PrivateKey": { paths: ["algorithm", "rsaBits", "ecdsaCurve"], source: "@pulumi/tls" },
  "tls:index/selfSignedCert:SelfSignedCert": { paths: [""], source: "@pulumi/tls (every input)" },
  "tls:index/certRequest:CertRequest": { paths: [""], source: "@pulumi/tls (every input)" },
  "tls:index/locallySignedCert:LocallySignedCert": { paths: [""], source: "@pulumi/tls (every input)" },
  "command:local:Command": { paths: ["triggers"], source: "@pulumi/command: a trigger change replaces" },
};

/** Kubernetes objects of any other kind replace when their name or namespace changes. */
const KUBERNETES_DEFAULT: ReplacementRule = {
  paths: ["metadata.name", "metadata.namespace"],
  source: "pulumi-kubernetes",
};

export function replacementRule(type: string): ReplacementRule | undefined {
  return REPLACEMENT_RULES[type] ?? (type.startsWith("kubernetes:") ? KUBERNETES_DEFAULT : undefined);
}

/** Does a change of `path` replace a resource of `type`? */
export function forcesReplacement(type: string, path: string): boolean {
  if (hasSchemaFacts(type)) return schemaForcesReplacement(type, path);
  const rule = replacementRule(type);
  return (rule?.paths ?? []).some((p) => p === "" || path === p || path.startsWith(`${p}.`));
}
