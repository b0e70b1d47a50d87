// Private istiod exposure for a flat network (shared control plane): an internal LoadBalancer Service in
// front of the istiod pods on a reserved internal address, reachable from every region of the VPC.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { istiodInternalService } from "../istio/objects";
import type { ClusterPlan } from "../plan/types";
import { formerly } from "./formerNames";

export interface IstiodInternalLoadBalancerArgs {
  plan: ClusterPlan;
  provider: k8s.Provider;
  address: pulumi.Input<string>;
  /** Node and pod ranges of the clusters allowed to reach istiod. */
  sourceRanges: readonly string[];
  /** The istiod release: the Service selects its pods. */
  istiod: pulumi.Resource;
}

export class IstiodInternalLoadBalancer extends pulumi.ComponentResource {
  readonly service: k8s.core.v1.Service;
  readonly address: pulumi.Output<string>;

  constructor(name: string, args: IstiodInternalLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("istio-multicluster:istio:IstiodInternalLoadBalancer", name, {}, opts);
    if (args.plan.istiodExposure.kind !== "internalLoadBalancer") {
      throw new Error(
        `IstiodInternalLoadBalancer ${name}: ${args.plan.name} does not expose istiod internally`,
      );
    }
    if (args.sourceRanges.length === 0)
      throw new Error(`IstiodInternalLoadBalancer ${name}: args.sourceRanges is empty`);
    this.address = pulumi.output(args.address);
    const manifest = this.address.apply((ip) => istiodInternalService(ip, args.sourceRanges));
    this.service = new k8s.core.v1.Service(
      `${name}-istiod-internal`,
      { metadata: manifest.metadata, spec: manifest.spec },
      {
        parent: this,
        provider: args.provider,
        dependsOn: [args.istiod],
        ...formerly(`${args.plan.name}-istiod-internal`),
      },
    );
    this.registerOutputs({ address: this.address });
  }
}
