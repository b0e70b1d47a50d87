// GKE clusters and node pools: Workload Identity (pods never see the node's credentials), Shielded GKE
// Nodes with secure boot, and deletion protection on production stacks (name starting with `prod`).
import { isRecord, stackOf, type CheckedResource, type Violations } from "./resource";

export const GKE_CLUSTER = "gcp:container/cluster:Cluster";
export const GKE_NODE_POOL = "gcp:container/nodePool:NodePool";
/** Stacks whose names start with this keep their clusters: deletion protection is required there. */
export const PRODUCTION_STACK_PREFIX = "prod";

const nameOf = (props: Readonly<Record<string, unknown>>) =>
  typeof props["name"] === "string" ? props["name"] : "(unnamed)";

/** A node config that overrides the metadata mode to anything but GKE_METADATA exposes node credentials. */
function metadataModeProblem(nodeConfig: unknown, what: string): Violations {
  if (!isRecord(nodeConfig) || !isRecord(nodeConfig["workloadMetadataConfig"])) return [];
  const mode = nodeConfig["workloadMetadataConfig"]["mode"];
  return mode === undefined || mode === "GKE_METADATA"
    ? []
    : [`${what} sets workloadMetadataConfig.mode ${String(mode)}: only GKE_METADATA hides node credentials.`];
}

export function checkGkeCluster(resource: CheckedResource): Violations {
  if (resource.type !== GKE_CLUSTER) return [];
  const { props } = resource;
  const name = nameOf(props);
  const violations: Violations = [];
  const identity = props["workloadIdentityConfig"];
  const pool = isRecord(identity) ? identity["workloadPool"] : undefined;
  // GKE accepts exactly one pool per cluster: <project>.svc.id.goog.
  if (typeof pool !== "string" || !/^[a-z][a-z0-9-]+\.svc\.id\.goog$/.test(pool)) {
    violations.push(
      `GKE cluster ${name} must enable Workload Identity (workloadIdentityConfig.workloadPool).`,
    );
  }
  // The provider's documented default is true; only an explicit false switches Shielded GKE Nodes off.
  if (props["enableShieldedNodes"] === false) {
    violations.push(`GKE cluster ${name} must keep Shielded GKE Nodes on (enableShieldedNodes).`);
  }
  violations.push(...metadataModeProblem(props["nodeConfig"], `GKE cluster ${name}'s default pool`));
  const stack = stackOf(resource.urn);
  if (stack.startsWith(PRODUCTION_STACK_PREFIX) && props["deletionProtection"] !== true) {
    violations.push(
      `GKE cluster ${name} on production stack ${stack} must set deletionProtection: true ` +
        "(pulumi config set deletionProtection true).",
    );
  }
  return violations;
}

export function checkGkeNodePool(resource: CheckedResource): Violations {
  if (resource.type !== GKE_NODE_POOL) return [];
  const { props } = resource;
  const what = `GKE node pool ${nameOf(props)}`;
  const nodeConfig = props["nodeConfig"];
  const shielded = isRecord(nodeConfig) ? nodeConfig["shieldedInstanceConfig"] : undefined;
  const violations = metadataModeProblem(nodeConfig, what);
  // Secure boot is off unless asked for; integrity monitoring is on unless switched off.
  if (!isRecord(shielded) || shielded["enableSecureBoot"] !== true) {
    violations.push(
      `${what} must boot shielded nodes with secure boot (shieldedInstanceConfig.enableSecureBoot).`,
    );
  }
  if (isRecord(shielded) && shielded["enableIntegrityMonitoring"] === false) {
    violations.push(
      `${what} must keep integrity monitoring on (shieldedInstanceConfig.enableIntegrityMonitoring).`,
    );
  }
  return violations;
}
