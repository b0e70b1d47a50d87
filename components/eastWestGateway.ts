// The east-west gateway of one cluster (Istio's `gateway` chart with networkGateway) on its reserved
// address (GKE), or on whatever address its platform's load balancer gives (an IP, or on AWS a host name),
// plus the Istio config that cluster's istiod applies to east-west gateways.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { crossNetworkGateway, istiodGateway, istiodVirtualService } from "../istio/objects";
import {
  EAST_WEST_GATEWAY_NAME,
  EAST_WEST_GATEWAY_TAG,
  eastWestGatewayValues,
  gatewayInstall,
} from "../istio/values";
import type { ClusterPlan } from "../plan/types";
import { loadBalancerAddressOf } from "./loadBalancerAddress";
import { istioRelease } from "../istio/release";
import { formerly } from "./formerNames";

export interface EastWestGatewayArgs {
  plan: ClusterPlan;
  provider: k8s.Provider;
  /** Reserved static IP for the gateway's LoadBalancer Service; without one the platform assigns it. */
  address?: pulumi.Input<string>;
  /** Source CIDRs its load balancer admits; empty admits anyone (plan: eastWestAccess). */
  sourceRanges: readonly pulumi.Input<string>[];
  /** What must exist before gateway pods can be injected (istiod, or a remote's mesh readiness). */
  injectionReady: pulumi.Input<pulumi.Resource>[];
  /** What must exist before Istio config objects are accepted (CRDs and istiod's validation webhook). */
  configReady: pulumi.Input<pulumi.Resource>[];
}

export class EastWestGateway extends pulumi.ComponentResource {
  readonly release: k8s.helm.v3.Release;
  /** The load balancer's address: the reserved IP, or the platform's IP or host name. */
  readonly address: pulumi.Output<string>;
  /** Istio config objects created here (cross-network Gateway, istiod Gateway and VirtualService). */
  readonly configObjects: k8s.apiextensions.CustomResource[] = [];

  constructor(name: string, args: EastWestGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super("istio-multicluster:istio:EastWestGateway", name, {}, opts);
    const { plan, provider } = args;
    if (!plan.eastWestGateway)
      throw new Error(`EastWestGateway ${name}: the plan has no gateway in ${plan.name}`);
    const childOpts = { parent: this, provider };

    this.release = new k8s.helm.v3.Release(
      `${name}-${EAST_WEST_GATEWAY_NAME}`,
      istioRelease(
        "gateway",
        EAST_WEST_GATEWAY_NAME,
        // With revisions, the chart of the revision its tag points to (unchanged without).
        gatewayInstall(plan, EAST_WEST_GATEWAY_TAG),
        pulumi
          .all([args.address, pulumi.all([...args.sourceRanges])])
          .apply(([ip, ranges]) => eastWestGatewayValues(plan, ip, ranges)),
      ),
      { ...childOpts, dependsOn: args.injectionReady, ...formerly(`${plan.name}-${EAST_WEST_GATEWAY_NAME}`) },
    );
    if (args.address !== undefined) {
      this.address = pulumi.output(args.address);
    } else {
      this.address = loadBalancerAddressOf(
        `${name}-${EAST_WEST_GATEWAY_NAME}-service`,
        { name: EAST_WEST_GATEWAY_NAME },
        this.release,
        childOpts,
      );
    }

    // Config objects only need the CRDs and the validation webhook, not the gateway pods: they are
    // created in parallel with the gateway and take effect when its pods come up.
    const configOpts = { ...childOpts, dependsOn: args.configReady };
    if (plan.crossNetworkGateway) {
      this.configObjects.push(
        new k8s.apiextensions.CustomResource(`${name}-cross-network-gateway`, crossNetworkGateway(), {
          ...configOpts,
          ...formerly(`${plan.name}-cross-network-gateway`),
        }),
      );
    }
    if (plan.istiodExposure.kind === "eastWestGateway") {
      this.configObjects.push(
        new k8s.apiextensions.CustomResource(`${name}-istiod-gateway`, istiodGateway(), {
          ...configOpts,
          ...formerly(`${plan.name}-istiod-gateway`),
        }),
        new k8s.apiextensions.CustomResource(`${name}-istiod-vs`, istiodVirtualService(plan.revisions), {
          ...configOpts,
          ...formerly(`${plan.name}-istiod-vs`),
        }),
      );
    }
    this.registerOutputs({ address: this.address, release: this.release.status });
  }
}
