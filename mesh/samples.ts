// Samples layer of the graph: helloworld and curl in every cluster, Online Boutique split across clusters
// behind an ingress gateway, and the optional traffic check at the end of `pulumi up`. Placement comes
// from samples/placement.ts; every Kubernetes object goes through its own cluster's provider and waits
// for that cluster's meshReady, so injected pods start only once the mesh can serve them.
import * as pulumi from "@pulumi/pulumi";
import { HelloworldSample } from "../components/helloworld";
import { IngressGateway } from "../components/ingressGateway";
import { OnlineBoutique } from "../components/onlineBoutique";
import { TrafficCheck } from "../components/trafficCheck";
import type { MeshConfig } from "../config/schema";
import type { MeshPlan } from "../plan/types";
import {
  BOUTIQUE_NAMESPACE,
  HELLOWORLD_NAMESPACE,
  placeBoutique,
  placeHelloworld,
} from "../samples/placement";
import type { ClusterContext } from "./context";

export interface SamplesArgs {
  plan: MeshPlan;
  config: MeshConfig;
  contexts: ReadonlyMap<string, ClusterContext>;
  /** Kubeconfig (gke-gcloud-auth-plugin) per cluster; required when config.verifyOnUp is set. */
  kubeconfigs?: ReadonlyMap<string, pulumi.Input<string>>;
  /** Mesh-wide wiring the traffic check also waits for: east-west gateways, remote secrets, exposures. */
  meshWiring?: readonly pulumi.Resource[];
}

export interface SamplesResult {
  /** Stack outputs: `{ samples: { helloworld?, onlineBoutique? } }`. */
  outputs: Record<string, pulumi.Input<unknown>>;
}

function contextOf(args: SamplesArgs, cluster: string): ClusterContext {
  const ctx = args.contexts.get(cluster);
  if (!ctx) throw new Error(`buildSamples: args.contexts has no entry for cluster "${cluster}"`);
  return ctx;
}

export function buildSamples(args: SamplesArgs): SamplesResult {
  const { plan, config } = args;
  const names = plan.clusters.map((c) => c.name);
  // Fail before creating anything.
  names.forEach((name) => contextOf(args, name));
  if (config.verifyOnUp) {
    const missing = names.filter((n) => !args.kubeconfigs?.has(n));
    if (missing.length > 0) {
      throw new Error(
        `buildSamples: args.kubeconfigs is required with verifyOnUp; missing ${missing.join(", ")}`,
      );
    }
  }

  const samples: Record<string, pulumi.Input<unknown>> = {};
  const sampleResources: pulumi.Resource[] = [];
  const placements: Record<string, unknown> = {};

  if (config.helloworld) {
    const placement = placeHelloworld(names);
    for (const name of names) {
      const ctx = contextOf(args, name);
      sampleResources.push(
        new HelloworldSample(name, {
          cluster: name,
          istioVersion: plan.istioVersion,
          versions: [placement[name]!],
          provider: ctx.provider,
          meshReady: ctx.meshReady,
        }),
      );
    }
    placements["helloworld"] = placement;
    samples["helloworld"] = { namespace: HELLOWORLD_NAMESPACE, placement, clients: names };
  }

  if (config.onlineBoutique) {
    const placement = placeBoutique(names);
    const parts = new Map(
      Object.entries(placement.components).map(([name, components]) => {
        const ctx = contextOf(args, name);
        const part = new OnlineBoutique(name, {
          cluster: name,
          components,
          remoteServices: placement.remoteServices[name] ?? [],
          provider: ctx.provider,
          meshReady: ctx.meshReady,
        });
        return [name, part] as const;
      }),
    );
    const frontend = plan.clusters.find((c) => c.name === placement.frontendCluster)!;
    const frontendCtx = contextOf(args, frontend.name);
    const ingress = new IngressGateway(frontend.name, {
      cluster: frontend.name,
      region: frontend.region,
      istioVersion: plan.istioVersion,
      routeNamespace: parts.get(frontend.name)!.namespace.metadata.name,
      provider: frontendCtx.provider,
      meshReady: frontendCtx.meshReady,
    });
    sampleResources.push(...parts.values(), ingress);
    placements["onlineBoutique"] = placement.components;
    samples["onlineBoutique"] = {
      namespace: BOUTIQUE_NAMESPACE,
      placement: placement.components,
      remoteServices: placement.remoteServices,
      frontendCluster: placement.frontendCluster,
      address: ingress.address,
      url: ingress.url,
    };
  }

  if (config.verifyOnUp) {
    const clusters = Object.fromEntries(
      plan.clusters.map((c) => [
        c.name,
        { name: c.name, role: c.role, network: c.network, kubeconfig: args.kubeconfigs!.get(c.name)! },
      ]),
    );
    const input = pulumi
      .output({ topology: plan.topology, clusters, samples })
      .apply((v) => JSON.stringify(v));
    const fingerprint = JSON.stringify({
      meshId: plan.meshId,
      topology: plan.topology,
      istioVersion: plan.istioVersion,
      clusters: plan.clusters.map((c) => ({
        name: c.name,
        role: c.role,
        network: c.network,
        watches: c.watches,
      })),
      placements,
    });
    new TrafficCheck("traffic-check", {
      input,
      fingerprint,
      waitFor: [
        ...sampleResources,
        ...names.flatMap((n) => contextOf(args, n).meshReady),
        ...(args.meshWiring ?? []),
      ],
    });
  }

  return { outputs: { samples } };
}
