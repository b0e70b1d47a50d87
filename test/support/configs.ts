// Configs for tests: Pulumi.yaml defaults, a project, and the keys a test cares about.
import { projectDefaults, withOverrides as overlay, type CliConfig } from "../../offline/engine/stackFiles";

/** Pulumi.yaml's defaults, read once: tests build hundreds of configs on them. */
const DEFAULTS = projectDefaults();

/** Defaults + `gcp:project` + the given keys (unqualified keys are the project's); later keys win. */
export function withOverrides(
  values: Record<string, unknown>,
  overrides: Record<string, unknown> = {},
): CliConfig {
  return overlay({ "gcp:project": "my-gcp-project", ...values, ...overrides }, DEFAULTS);
}

/** A kubeconfig as EKS hands it out: an exec plugin (which the program may use for itself) for `server`. */
export function execKubeconfig(server: string): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    `clusters: [{ name: eks, cluster: { server: "${server}", certificate-authority-data: "LS0tLS1CRUdJTg==" } }]`,
    "contexts: [{ name: eks, context: { cluster: eks, user: aws } }]",
    "current-context: eks",
    "users: [{ name: aws, user: { exec: { apiVersion: client.authentication.k8s.io/v1beta1, command: aws, args: [eks, get-token] } } }]",
    "",
  ].join("\n");
}
