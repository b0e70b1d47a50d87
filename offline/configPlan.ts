// The plan behind a config as the CLI hands it over, or every problem validation finds: pure (no Pulumi
// runtime, no evaluation), so `npm run plan -- --against` reports a bad target before anything runs.
import { settingsFromConfig } from "../config/load";
import { validateMeshConfig } from "../config/validate";
import { planMesh } from "../plan/planner";
import type { MeshPlan } from "../plan/types";
import { PROJECT, type CliConfig } from "./engine/stackFiles";

export type ConfigPlan = { ok: true; plan: MeshPlan } | { ok: false; problems: readonly string[] };

/**
 * Validation and the planner, as the program runs them for `stack`; `secretKeys` are the fully qualified
 * keys the stack holds as secrets (the others of SECRET_KEYS are plain text, which validation refuses).
 */
export function planOfConfig(config: CliConfig, stack: string, secretKeys: readonly string[]): ConfigPlan {
  const read = settingsFromConfig(config, PROJECT, (key) => secretKeys.includes(key));
  const { settings, caRootPrivateKey, caRotationNewRootPrivateKey, kubeconfigs, plainTextSecrets } = read;
  const result = validateMeshConfig(settings, {
    stack,
    ...(caRootPrivateKey !== undefined ? { caRootPrivateKey } : {}),
    ...(caRotationNewRootPrivateKey !== undefined ? { caRotationNewRootPrivateKey } : {}),
    ...(kubeconfigs !== undefined ? { kubeconfigs } : {}),
    ...(plainTextSecrets.length > 0 ? { plainTextSecrets } : {}),
  });
  return result.ok ? { ok: true, plan: planMesh(result.config) } : { ok: false, problems: result.problems };
}
