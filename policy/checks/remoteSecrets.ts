// Istio remote secrets (label istio/multiCluster=true) carry bearer-token kubeconfigs only: istiod runs
// no credential plugins, so an exec or auth-provider user would either fail or run code inside istiod.
import { parse } from "yaml";
import {
  isRecord,
  KUBERNETES_SECRET,
  objectName,
  secretEntries,
  type CheckedResource,
  type Violations,
} from "./resource";

/** The label istiod's secret controller watches (Istio's multicluster secret label). */
export const MULTICLUSTER_LABEL = "istio/multiCluster";

export function isRemoteSecret(props: Readonly<Record<string, unknown>>): boolean {
  const metadata = props["metadata"];
  const labels = isRecord(metadata) ? metadata["labels"] : undefined;
  return isRecord(labels) && labels[MULTICLUSTER_LABEL] === "true";
}

function kubeconfigProblems(text: string): string[] {
  let config: unknown;
  try {
    config = parse(text);
  } catch {
    return ["is not a kubeconfig (YAML does not parse)"];
  }
  const users = isRecord(config) ? config["users"] : undefined;
  if (!Array.isArray(users) || users.length === 0) return ["is not a kubeconfig with users"];
  return users.flatMap((entry, i): string[] => {
    const user = isRecord(entry) && isRecord(entry["user"]) ? entry["user"] : {};
    const who = isRecord(entry) && typeof entry["name"] === "string" ? entry["name"] : `users[${i}]`;
    const problems: string[] = [];
    if (user["exec"] !== undefined) problems.push(`user ${who} runs an exec credential plugin`);
    if (user["auth-provider"] !== undefined) problems.push(`user ${who} uses an auth-provider`);
    if (typeof user["token"] !== "string" || user["token"] === "")
      problems.push(`user ${who} has no bearer token`);
    return problems;
  });
}

export function checkRemoteSecretTokens(resource: CheckedResource): Violations {
  if (resource.type !== KUBERNETES_SECRET || !isRemoteSecret(resource.props)) return [];
  const secret = `Remote secret ${objectName(resource.props)}`;
  const entries = secretEntries(resource.props);
  if (entries.size === 0) return [`${secret} holds no kubeconfig.`];
  return [...entries].flatMap(([key, value]) =>
    kubeconfigProblems(value).map(
      (problem) => `${secret} entry "${key}" ${problem}: istiod needs a bearer token.`,
    ),
  );
}
