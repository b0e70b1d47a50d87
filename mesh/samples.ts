// Samples layer of the graph: helloworld and curl in every cluster, Online Boutique split across clusters
// behind an ingress gateway, Bookinfo and httpbin across two clusters, and the optional traffic check at
// the end of `pulumi up`. Placement comes from the plan; every Kubernetes object goes through its own
// cluster's provider and waits for that cluster's meshReady, so injected pods start only once the mesh
// can serve them.
import * as pulumi from "@pulumi/pulumi";
import { formerly } from "../components/formerNames";
import { BookinfoPart } from "../components/samples/bookinfo";
import { HelloworldSample } from "../components/samples/helloworld";
import { HttpbinPart } from "../components/samples/httpbin";
import { IngressGateway } from "../components/samples/ingressGateway";
import { OnlineBoutique } from "../components/samples/onlineBoutique";
import { TrafficCheck } from "../components/samples/trafficCheck";
import { clusterByName } from "../plan/planner";
import type { MeshPlan } from "../plan/types";
import { samplesGatewayInstall } from "../istio/values";
import {
  BOOKINFO_NAMESPACE,
  BOUTIQUE_NAMESPACE,
  HELLOWORLD_NAMESPACE,
  HTTPBIN_NAMESPACE,
} from "../samples/placement";
import type { ClusterContext } from "./context";
import type { SampleOutputs } from "./outputs";

export interface SamplesArgs {
  plan: MeshPlan;
  contexts: ReadonlyMap<string, ClusterContext>;
  /** Mesh-wide wiring the traffic check also waits for: east-west gateways, remote secrets, exposures. */
  meshWiring: readonly pulumi.Resource[];
}

function contextOf(args: SamplesArgs, cluster: string): ClusterContext {
  const ctx = args.contexts.get(cluster);
  if (!ctx) throw new Error(`buildSamples: args.contexts has no entry for cluster "${cluster}"`);
  return ctx;
}

export function buildSamples(
  meshName: string,
  args: SamplesArgs,
  parent: pulumi.Resource,
): SampleOutputs<pulumi.Output<string>> {
  const { plan } = args;
  const { helloworld, onlineBoutique, bookinfo, httpbin } = plan.samples;
  const names = plan.clusters.map((c) => c.name);
  // Fail before creating anything.
  names.forEach((name) => contextOf(args, name));

  // A cluster's sample components: named after the mesh and the cluster, found under the cluster's name before.
  const inCluster = (cluster: string) => ({ parent, ...formerly(cluster) });
  const outputs: SampleOutputs<pulumi.Output<string>> = {};
  const sampleResources: pulumi.Resource[] = [];

  if (helloworld) {
    for (const name of names) {
      const ctx = contextOf(args, name);
      sampleResources.push(
        new HelloworldSample(
          `${meshName}-${name}`,
          {
            cluster: name,
            hub: clusterByName(plan, name).istio.hub,
            versions: [helloworld[name]!],
            provider: ctx.provider,
            revisionTag: clusterByName(plan, name).revisions?.samplesTag,
            meshReady: ctx.meshReady,
          },
          inCluster(name),
        ),
      );
    }
    outputs.helloworld = { namespace: HELLOWORLD_NAMESPACE, placement: { ...helloworld }, clients: names };
  }

  if (onlineBoutique) {
    const parts = new Map(
      Object.entries(onlineBoutique.components).map(([name, components]) => {
        const ctx = contextOf(args, name);
        const part = new OnlineBoutique(
          `${meshName}-${name}`,
          {
            cluster: name,
            components,
            remoteServices: onlineBoutique.remoteServices[name] ?? [],
            provider: ctx.provider,
            revisionTag: clusterByName(plan, name).revisions?.samplesTag,
            meshReady: ctx.meshReady,
          },
          inCluster(name),
        );
        return [name, part] as const;
      }),
    );
    const frontend = clusterByName(plan, onlineBoutique.frontendCluster);
    const frontendCtx = contextOf(args, frontend.name);
    const ingress = new IngressGateway(
      `${meshName}-${frontend.name}`,
      {
        cluster: frontend.name,
        ...(frontend.source !== "kubeconfig"
          ? {
              reserved: {
                region: frontend.region,
                project: frontend.project,
                addressName: frontend.gcp.ingressAddress,
              },
            }
          : {}),
        istio: samplesGatewayInstall(frontend),
        ...(frontend.revisions ? { revisions: frontend.revisions } : {}),
        routeNamespace: parts.get(frontend.name)!.namespace.metadata.name,
        provider: frontendCtx.provider,
        meshReady: frontendCtx.meshReady,
      },
      inCluster(frontend.name),
    );
    sampleResources.push(...parts.values(), ingress);
    outputs.onlineBoutique = {
      namespace: BOUTIQUE_NAMESPACE,
      placement: { ...onlineBoutique.components },
      remoteServices: { ...onlineBoutique.remoteServices },
      frontendCluster: onlineBoutique.frontendCluster,
      address: ingress.address,
      url: ingress.url,
    };
  }

  if (bookinfo) {
    for (const [name, workloads] of Object.entries(bookinfo.workloads)) {
      const ctx = contextOf(args, name);
      sampleResources.push(
        new BookinfoPart(
          `${meshName}-${name}`,
          {
            cluster: name,
            hub: clusterByName(plan, name).istio.hub,
            workloads,
            remoteServices: bookinfo.remoteServices[name] ?? [],
            provider: ctx.provider,
            revisionTag: clusterByName(plan, name).revisions?.samplesTag,
            meshReady: ctx.meshReady,
          },
          inCluster(name),
        ),
      );
    }
    outputs.bookinfo = {
      namespace: BOOKINFO_NAMESPACE,
      placement: { ...bookinfo.workloads },
      remoteServices: { ...bookinfo.remoteServices },
      productpageCluster: bookinfo.productpageCluster,
      reviewsV3Cluster: bookinfo.reviewsV3Cluster,
    };
  }

  if (httpbin) {
    for (const [name, part] of [
      [httpbin.serverCluster, "server"],
      [httpbin.clientCluster, "client"],
    ] as const) {
      const ctx = contextOf(args, name);
      sampleResources.push(
        new HttpbinPart(
          `${meshName}-${name}`,
          {
            cluster: name,
            part,
            provider: ctx.provider,
            revisionTag: clusterByName(plan, name).revisions?.samplesTag,
            meshReady: ctx.meshReady,
          },
          inCluster(name),
        ),
      );
    }
    outputs.httpbin = { namespace: HTTPBIN_NAMESPACE, ...httpbin };
  }

  if (plan.samples.verifyOnUp) {
    // The check reads what `npm run verify -- --stack` reads: the stack outputs' shape.
    const clusters = Object.fromEntries(
      plan.clusters.map((c) => [
        c.name,
        {
          name: c.name,
          role: c.role,
          network: c.network,
          watches: c.watches,
          kubeconfig: contextOf(args, c.name).kubeconfig,
        },
      ]),
    );
    const input = pulumi
      .output({ topology: plan.topology, clusters, samples: outputs })
      .apply((v) => JSON.stringify(v));
    const fingerprint = JSON.stringify({
      meshId: plan.meshId,
      topology: plan.topology,
      istioVersion: plan.istio.version,
      clusters: plan.clusters.map((c) => ({
        name: c.name,
        role: c.role,
        network: c.network,
        watches: c.watches,
      })),
      placements: {
        ...(helloworld ? { helloworld } : {}),
        ...(onlineBoutique ? { onlineBoutique: onlineBoutique.components } : {}),
        ...(bookinfo ? { bookinfo: bookinfo.workloads } : {}),
        ...(httpbin ? { httpbin } : {}),
      },
    });
    new TrafficCheck(
      `${meshName}-traffic-check`,
      {
        input,
        fingerprint,
        waitFor: [
          ...sampleResources,
          ...names.flatMap((n) => contextOf(args, n).meshReady),
          ...args.meshWiring,
        ],
      },
      { parent, ...formerly("traffic-check") },
    );
  }

  return outputs;
}
