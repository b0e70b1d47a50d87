// The whole program: config -> plan -> resources. index.ts only exports what this returns.
import * as pulumi from "@pulumi/pulumi";
import { readStackConfig } from "../config/load";
import { requireValidConfig } from "../config/validate";
import { planMesh } from "../plan/planner";
import type { MeshPlan } from "../plan/types";
import { buildInfrastructure } from "./infrastructure";

export interface ClusterOutput {
  name: string;
  location: string;
  role: string;
  network: string;
  endpoint: pulumi.Output<string>;
  kubeconfig: pulumi.Output<string>;
  getCredentials: string;
}

export interface MeshOutputs {
  plan: MeshPlan;
  clusters: Record<string, ClusterOutput>;
}

export function buildMesh(): MeshOutputs {
  const { raw } = readStackConfig();
  // Nothing is created unless the whole config is valid.
  const config = requireValidConfig(raw);
  const plan = planMesh(config);
  const infra = buildInfrastructure(plan, config);

  const clusters = Object.fromEntries(
    plan.clusters.map((c) => {
      const gke = infra.clusters.get(c.name)!;
      const output: ClusterOutput = {
        name: c.name,
        location: c.location,
        role: c.role,
        network: c.network,
        endpoint: gke.endpoint,
        kubeconfig: gke.kubeconfig,
        getCredentials: `gcloud container clusters get-credentials ${c.name} --location ${c.location} --project ${plan.project}`,
      };
      return [c.name, output];
    }),
  );
  return { plan, clusters };
}

/** The stack outputs, as index.ts exports them (also what the offline plan and tests evaluate). */
export function runProgram(): Record<string, unknown> {
  const mesh = buildMesh();
  return { topology: mesh.plan.topology, meshId: mesh.plan.meshId, clusters: mesh.clusters };
}
