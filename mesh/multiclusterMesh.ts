// The mesh as a reusable Pulumi component: `new MulticlusterMesh("mesh", args)` in any TypeScript program
// builds what this project's stacks build. Arguments have the shape of the stack config and are validated
// the same way, before any child resource exists.
import * as pulumi from "@pulumi/pulumi";
import type { MeshSettingsInput } from "../config/schema";
import type { MeshPlan } from "../plan/types";
import { buildMesh, validateMeshInput, type MeshInput } from "./index";
import type { StackOutputs } from "./outputs";

export type MulticlusterMeshArgs = MeshSettingsInput & {
  /** Bring-your-own root CA key (PEM), with `caRootCertificate`; kept a Pulumi secret. */
  caRootPrivateKey?: string;
  /** Key of a rotation's bring-your-own new root (PEM), with `caRotation.newRoot.certificate`; kept a Pulumi secret. */
  caRotationNewRootPrivateKey?: string;
  /** Kubeconfigs of the `existing: kubeconfig` clusters, by name; kept Pulumi secrets. */
  kubeconfigs?: Record<string, string>;
  /** Secret keys a stack file holds in plain text (the stack program passes them; they are refused). */
  plainTextSecrets?: string[];
};

/**
 * Every resource below it is named `<name>-...`: meshes with other names may share cluster and network names
 * in one program. Resources of a stack made before that are found again through aliases to their former
 * names (components/formerNames.ts), which never held the mesh's name: a stack that still holds such
 * resources must run one `pulumi up` before it adds a second mesh with the same cluster names, or both
 * meshes would claim them (the engine stops with a duplicate-alias error).
 */
export class MulticlusterMesh extends pulumi.ComponentResource {
  /** The decisions the mesh was built from (pure data). */
  readonly plan: MeshPlan;
  readonly outputs: StackOutputs<pulumi.Output<string>>;

  constructor(name: string, args: MulticlusterMeshArgs, opts?: pulumi.ComponentResourceOptions) {
    const { caRootPrivateKey, caRotationNewRootPrivateKey, kubeconfigs, plainTextSecrets, ...settings } =
      args;
    const input: MeshInput = {
      settings,
      ...(caRootPrivateKey !== undefined ? { caRootPrivateKey } : {}),
      ...(caRotationNewRootPrivateKey !== undefined ? { caRotationNewRootPrivateKey } : {}),
      ...(kubeconfigs !== undefined ? { kubeconfigs } : {}),
      ...(plainTextSecrets !== undefined ? { plainTextSecrets } : {}),
    };
    // Validation comes before super(): an invalid mesh registers nothing, not even this component.
    const config = validateMeshInput(input);
    super("istio-multicluster:index:MulticlusterMesh", name, {}, opts);
    const mesh = buildMesh(name, config, input, this);
    this.plan = mesh.plan;
    this.outputs = mesh.outputs;
    this.registerOutputs({
      clusters: mesh.outputs.clusters,
      rootCertificate: mesh.outputs.rootCertificate,
      ...(mesh.outputs.caRotation ? { caRotation: mesh.outputs.caRotation } : {}),
      samples: mesh.outputs.samples,
    });
  }
}
