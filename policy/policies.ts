// The pack's policies: each wraps one pure check (policy/checks/) so tests run the same logic without a
// policy runtime. Kept apart from index.ts because constructing a PolicyPack starts its gRPC server.
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { checkNoCaRootKey } from "./checks/caRootKey";
import { checkFirewallIngress } from "./checks/firewall";
import { checkGkeCluster, checkGkeNodePool } from "./checks/gke";
import {
  checkChartRepository,
  checkIstioVersionPinned,
  DEFAULT_ALLOWED_REPOSITORIES,
  type ChartRepositoryConfig,
} from "./checks/helm";
import { checkRemoteSecretTokens } from "./checks/remoteSecrets";
import type { CheckedResource, Violations } from "./checks/resource";

type Check = (resource: CheckedResource, args: ResourceValidationArgs) => Violations;

function policy(
  name: string,
  description: string,
  check: Check,
  extra: Partial<ResourceValidationPolicy> = {},
) {
  const result: ResourceValidationPolicy = {
    name,
    description,
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
      for (const message of check({ type: args.type, urn: args.urn, props: args.props }, args)) {
        reportViolation(message);
      }
    },
    ...extra,
  };
  return result;
}

const repositoryList = { type: "array", items: { type: "string", pattern: "^(oci|https?)://" } } as const;

export const policies: ResourceValidationPolicy[] = [
  policy("no-world-ingress", "Firewall rules allow no ingress from 0.0.0.0/0 or ::/0.", checkFirewallIngress),
  policy(
    "gke-cluster-hardening",
    "GKE clusters use Workload Identity and Shielded GKE Nodes; on stacks named prod* deletion protection is on.",
    checkGkeCluster,
  ),
  policy(
    "gke-node-pool-hardening",
    "GKE node pools keep GKE_METADATA and boot shielded nodes with secure boot.",
    checkGkeNodePool,
  ),
  policy(
    "no-ca-root-key-in-cluster",
    "No Kubernetes Secret holds the private key of a root CA.",
    checkNoCaRootKey,
  ),
  policy(
    "remote-secrets-bearer-token-only",
    "Istio remote secrets carry bearer-token kubeconfigs only (no exec, no auth-provider).",
    checkRemoteSecretTokens,
  ),
  policy(
    "helm-chart-repositories",
    "Helm charts come only from allowed chart repositories.",
    (resource, args) => checkChartRepository(resource, args.getConfig<ChartRepositoryConfig>()),
    {
      configSchema: {
        properties: {
          allowedRepositories: { ...repositoryList, default: [...DEFAULT_ALLOWED_REPOSITORIES] },
          additionalRepositories: { ...repositoryList, default: [] },
        },
      },
    },
  ),
  policy(
    "istio-version-pinned",
    "Istio's Helm charts are installed at an exact version.",
    checkIstioVersionPinned,
  ),
];
