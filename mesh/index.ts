// The whole mesh as two functions: the input validated into a config (before anything exists), then
// config -> plan -> resources -> outputs. Called by the MulticlusterMesh component
// (mesh/multiclusterMesh.ts), which index.ts creates from stack config.
import * as pulumi from "@pulumi/pulumi";
import type { MeshConfig } from "../config/schema";
import { requireValidConfig } from "../config/validate";
import { rotationNotice } from "../pki/rotation";
import { planMesh } from "../plan/planner";
import type { MeshPlan } from "../plan/types";
import { buildMeshCa } from "./certificates";
import { buildInfrastructure } from "./infrastructure";
import { buildIstio } from "./istio";
import type { ClusterOutputs, StackOutputs } from "./outputs";
import { buildSamples } from "./samples";

/** Everything the mesh is built from: the settings as a stack file holds them, and their secrets. */
export interface MeshInput {
  /** Stack config keys without their namespace (`topology`, `clusters`, ...), plus `project`. */
  readonly settings: Record<string, unknown>;
  /** Bring-your-own root CA key (PEM); becomes a Pulumi secret at once. */
  readonly caRootPrivateKey?: string;
  /** Key of a rotation's bring-your-own new root (PEM); becomes a Pulumi secret at once. */
  readonly caRotationNewRootPrivateKey?: string;
  /** Kubeconfigs of the `existing: kubeconfig` clusters, by cluster name; kept Pulumi secrets. */
  readonly kubeconfigs?: Readonly<Record<string, string>>;
  /** Secret keys the stack file holds in plain text: each is a problem. */
  readonly plainTextSecrets?: readonly string[];
}

export interface Mesh {
  readonly plan: MeshPlan;
  readonly outputs: StackOutputs<pulumi.Output<string>>;
}

/** The validated config, or a ConfigError naming every problem. Runs before any resource is registered. */
export function validateMeshInput(input: MeshInput): MeshConfig {
  return requireValidConfig(input.settings, {
    // Without a namePrefix, GCP names are scoped by the stack's name.
    stack: pulumi.getStack(),
    ...(input.caRootPrivateKey !== undefined ? { caRootPrivateKey: input.caRootPrivateKey } : {}),
    ...(input.caRotationNewRootPrivateKey !== undefined
      ? { caRotationNewRootPrivateKey: input.caRotationNewRootPrivateKey }
      : {}),
    ...(input.kubeconfigs !== undefined ? { kubeconfigs: input.kubeconfigs } : {}),
    ...(input.plainTextSecrets !== undefined ? { plainTextSecrets: input.plainTextSecrets } : {}),
  });
}

/**
 * `meshName` is the MulticlusterMesh component's name: every resource below it starts with it, so two meshes
 * in one program never register the same URN (components/formerNames.ts keeps older stacks' resources).
 */
export function buildMesh(
  meshName: string,
  config: MeshConfig,
  input: MeshInput,
  parent: pulumi.Resource,
): Mesh {
  const plan = planMesh(config);
  const rootKeys = {
    ...(input.caRootPrivateKey !== undefined
      ? { caRootPrivateKey: pulumi.secret(input.caRootPrivateKey) }
      : {}),
    ...(input.caRotationNewRootPrivateKey !== undefined
      ? { caRotationNewRootPrivateKey: pulumi.secret(input.caRotationNewRootPrivateKey) }
      : {}),
  };

  const infra = buildInfrastructure(meshName, plan, input.kubeconfigs ?? {}, parent);
  const ca = buildMeshCa(meshName, plan.ca, rootKeys, parent);
  const istio = buildIstio(meshName, plan, infra, ca, parent);
  const contexts = new Map([...istio.clusters].map(([name, c]) => [name, c.context]));
  const samples = buildSamples(meshName, { plan, contexts, meshWiring: istio.wiring }, parent);

  const clusters = Object.fromEntries(
    plan.clusters.map((c): [string, ClusterOutputs<pulumi.Output<string>>] => {
      const { access, fleetMembership } = infra.clusters.get(c.name)!;
      const built = istio.clusters.get(c.name)!;
      return [
        c.name,
        {
          name: c.name,
          source: c.source,
          role: c.role,
          network: c.network,
          endpoint: access.endpoint,
          kubeconfig: access.kubeconfig,
          watches: [...c.watches],
          ...(c.source !== "kubeconfig"
            ? {
                location: c.location,
                getCredentials: `gcloud container clusters get-credentials ${c.gcp.gkeCluster} --location ${c.location} --project ${c.project}`,
              }
            : {}),
          ...(fleetMembership ? { fleetMembership: fleetMembership.id } : {}),
          ...(built.gatewayAddress ? { eastWestGatewayAddress: built.gatewayAddress } : {}),
          ...(built.istiodAddress ? { istiodAddress: built.istiodAddress } : {}),
        },
      ];
    }),
  );
  return {
    plan,
    outputs: {
      topology: plan.topology,
      meshId: plan.meshId,
      clusters,
      rootCertificate: ca.trustBundlePem,
      ...(plan.ca.rotation !== undefined ? { caRotation: rotationNotice(plan.ca.rotation.stage) } : {}),
      samples,
    },
  };
}
