// The stack program: one MulticlusterMesh from this stack's config, and the outputs index.ts exports. The
// offline engine evaluates exactly this function.
import { readStackConfig } from "../config/load";
import { MulticlusterMesh, type MulticlusterMeshArgs } from "./multiclusterMesh";
import type { StackOutputs } from "./outputs";
import type * as pulumi from "@pulumi/pulumi";

export function stackProgram(): StackOutputs<pulumi.Output<string>> {
  const { settings, caRootPrivateKey, caRotationNewRootPrivateKey, kubeconfigs, plainTextSecrets } =
    readStackConfig();
  // Validation reports wrong types by key, so the settings go in as the stack file has them.
  const mesh = new MulticlusterMesh("mesh", {
    ...(settings as MulticlusterMeshArgs),
    ...(caRootPrivateKey !== undefined ? { caRootPrivateKey } : {}),
    ...(caRotationNewRootPrivateKey !== undefined ? { caRotationNewRootPrivateKey } : {}),
    ...(kubeconfigs !== undefined ? { kubeconfigs: kubeconfigs as Record<string, string> } : {}),
    ...(plainTextSecrets.length > 0 ? { plainTextSecrets } : {}),
  });
  return mesh.outputs;
}
