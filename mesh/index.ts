// The whole program: config -> plan -> resources. index.ts only exports what this returns.
import * as pulumi from "@pulumi/pulumi";
import { readStackConfig } from "../config/load";
import { requireValidConfig } from "../config/validate";
import { planMesh } from "../plan/planner";
import type { MeshPlan } from "../plan/types";
import { buildMeshCa } from "./certificates";
import { buildInfrastructure } from "./infrastructure";
import { buildIstio } from "./istio";
import { buildSamples } from "./samples";

export interface ClusterOutput {
  name: string;
  location: string;
  role: string;
  network: string;
  endpoint: pulumi.Output<string>;
  /** gke-gcloud-auth-plugin kubeconfig (secret). */
  kubeconfig: pulumi.Output<string>;
  /** The command that points kubectl at this cluster. */
  getCredentials: string;
  eastWestGatewayAddress?: pulumi.Output<string>;
  istiodAddress?: pulumi.Output<string>;
}

export interface MeshOutputs {
  plan: MeshPlan;
  clusters: Record<string, ClusterOutput>;
  rootCertificate: pulumi.Output<string>;
  /** Sample applications' placement and URLs (empty when none is enabled). */
  samples: Record<string, pulumi.Input<unknown>>;
}

export function buildMesh(): MeshOutputs {
  const { raw, caRootPrivateKey } = readStackConfig();
  // Nothing is created unless the whole config is valid.
  const config = requireValidConfig(raw);
  const plan = planMesh(config);
  const infra = buildInfrastructure(plan, config);
  const ca = buildMeshCa(plan, config, caRootPrivateKey);
  const istio = buildIstio(plan, infra, ca);

  const clusters = Object.fromEntries(
    plan.clusters.map((c) => {
      const gke = infra.clusters.get(c.name)!;
      const gateway = istio.gateways.get(c.name);
      const istiodAddress = istio.istiodAddresses.get(c.name);
      const output: ClusterOutput = {
        name: c.name,
        location: c.location,
        role: c.role,
        network: c.network,
        endpoint: gke.endpoint,
        kubeconfig: gke.kubeconfig,
        getCredentials: `gcloud container clusters get-credentials ${c.name} --location ${c.location} --project ${plan.project}`,
        ...(gateway ? { eastWestGatewayAddress: gateway.address } : {}),
        ...(istiodAddress ? { istiodAddress } : {}),
      };
      return [c.name, output];
    }),
  );
  const samples = buildSamples({
    plan,
    config,
    contexts: istio.contexts,
    kubeconfigs: new Map(plan.clusters.map((c) => [c.name, infra.clusters.get(c.name)!.kubeconfig])),
    meshWiring: istio.wiring,
  });
  return { plan, clusters, rootCertificate: ca.rootCertPem, samples: samples.outputs };
}

/** The stack outputs, as index.ts exports them (also what the offline plan and tests evaluate). */
export function runProgram(): Record<string, unknown> {
  const mesh = buildMesh();
  return {
    topology: mesh.plan.topology,
    meshId: mesh.plan.meshId,
    clusters: mesh.clusters,
    rootCertificate: mesh.rootCertificate,
    ...mesh.samples,
  };
}
