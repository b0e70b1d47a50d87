// What waits for what in the Istio layer, as data: from a cluster's role, gateway and exposure, the
// resources its injected pods, its gateway's pods and its gateway's config wait for, named by cluster.
// mesh/istio.ts builds the resources and looks these up; it decides nothing.
import type { ClusterPlan, ClusterWiring, Readiness } from "./types";

/** The part of a cluster's plan its wiring follows from. */
export type WiringInput = Pick<
  ClusterPlan,
  "name" | "runsIstiod" | "remote" | "istiodExposure" | "eastWestGateway" | "source"
>;

export function planClusterWiring(c: WiringInput): ClusterWiring {
  const own = c.name;
  // Pods need nodes (the provider needs only the API server, components/cluster.ts) and the injector.
  const injectionReady: Readiness[] = c.remote
    ? [
        { kind: "nodes", cluster: own },
        { kind: "istiod", cluster: own },
        // The primary's istiod injects through its exposure, and patches this cluster's webhook caBundle
        // only once its remote Secret holds this cluster's kubeconfig (istio#42327).
        { kind: "remoteSecret", cluster: c.remote.primary },
        { kind: "istiodExposure", cluster: c.remote.primary },
      ]
    : [
        { kind: "nodes", cluster: own },
        { kind: "istiod", cluster: own },
        ...(c.runsIstiod ? [{ kind: "meshPolicy" as const, cluster: own }] : []),
      ];
  const exposure = c.istiodExposure.kind;
  return {
    injectionReady,
    ...(c.eastWestGateway
      ? {
          gateway: {
            // GKE addresses are reserved first, so that a remote's values need no running load balancer.
            address: c.source === "kubeconfig" ? ("loadBalancer" as const) : ("reserved" as const),
            // A primary's gateway pods need only its own injector, so the gateway comes with its control
            // plane (and with it the address its remotes reach istiod at); a remote's are injected
            // through its primary's exposure, and need the whole chain.
            pods: c.runsIstiod ? [{ kind: "istiod" as const, cluster: own }] : injectionReady,
            config: [{ kind: "istiod" as const, cluster: own }],
          },
        }
      : {}),
    ...(exposure === "eastWestGateway" ? { istiodAddress: "gateway" as const } : {}),
    ...(exposure === "internalLoadBalancer" ? { istiodAddress: "reservedInternal" as const } : {}),
  };
}
