// Configs for tests: Pulumi.yaml defaults, a project, and the keys a test cares about.
import { projectDefaults, withOverrides as overlay, type CliConfig } from "../../offline/engine/stackFiles";

/** Defaults + `gcp:project` + the given keys (unqualified keys are the project's); later keys win. */
export function withOverrides(
  values: Record<string, unknown>,
  overrides: Record<string, unknown> = {},
): CliConfig {
  return overlay({ "gcp:project": "my-gcp-project", ...values, ...overrides }, projectDefaults());
}
