// Private istiod exposure for a flat network (shared control plane): an internal LoadBalancer Service in
// front of the istiod pods on a reserved internal address, reachable from every region of the VPC. A
// passthrough load balancer cannot route by SNI, so with revisions each named revision gets its own,
// on an address the platform assigns (docs/upgrades.md); the unnamed istiod keeps the reserved one.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { istiodInternalService } from "../istio/objects";
import { UNNAMED_REVISION } from "../plan/revisions";
import type { ClusterPlan } from "../plan/types";
import { formerly } from "./formerNames";

export interface IstiodInternalLoadBalancerArgs {
  plan: ClusterPlan;
  provider: k8s.Provider;
  /** The reserved address of the unnamed istiod's load balancer (absent once only named revisions run). */
  address?: pulumi.Input<string>;
  /** Node and pod ranges of the clusters allowed to reach istiod. */
  sourceRanges: readonly string[];
  /** The istiod releases by revision: each Service selects its revision's pods. */
  istiod: ReadonlyMap<string, pulumi.Resource>;
}

export class IstiodInternalLoadBalancer extends pulumi.ComponentResource {
  /** One Service per revision, by revision name. */
  readonly services: ReadonlyMap<string, k8s.core.v1.Service>;
  /** Where each revision is reached, by revision name. */
  readonly addresses: ReadonlyMap<string, pulumi.Output<string>>;

  constructor(name: string, args: IstiodInternalLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("istio-multicluster:istio:IstiodInternalLoadBalancer", name, {}, opts);
    if (args.plan.istiodExposure.kind !== "internalLoadBalancer") {
      throw new Error(
        `IstiodInternalLoadBalancer ${name}: ${args.plan.name} does not expose istiod internally`,
      );
    }
    if (args.sourceRanges.length === 0)
      throw new Error(`IstiodInternalLoadBalancer ${name}: args.sourceRanges is empty`);
    const services = new Map<string, k8s.core.v1.Service>();
    const addresses = new Map<string, pulumi.Output<string>>();
    for (const [revision, release] of args.istiod) {
      const unnamed = revision === UNNAMED_REVISION;
      if (unnamed && args.address === undefined)
        throw new Error(`IstiodInternalLoadBalancer ${name}: the unnamed istiod needs args.address`);
      const reserved = unnamed ? pulumi.output(args.address!) : undefined;
      const manifest = pulumi
        .output(reserved)
        .apply((ip) => istiodInternalService(ip, args.sourceRanges, revision));
      const service = new k8s.core.v1.Service(
        // The unnamed revision's Service keeps its identity: a mesh without revisions is unchanged.
        unnamed ? `${name}-istiod-internal` : `${name}-istiod-internal-${revision}`,
        { metadata: manifest.metadata, spec: manifest.spec },
        {
          parent: this,
          provider: args.provider,
          dependsOn: [release],
          ...(unnamed ? formerly(`${args.plan.name}-istiod-internal`) : {}),
        },
      );
      services.set(revision, service);
      addresses.set(
        revision,
        reserved ??
          service.status.loadBalancer.ingress.apply((ingress) => {
            const address = ingress?.[0]?.ip;
            if (!address) throw new Error(`istiod-internal-${revision}: the load balancer has no address`);
            return address;
          }),
      );
    }
    this.services = services;
    this.addresses = addresses;
    this.registerOutputs({ addresses: Object.fromEntries(addresses) });
  }
}
