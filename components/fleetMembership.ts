// Registers one GKE cluster (created or adopted) as a membership of the project's fleet, with Workload
// Identity through the cluster's own OIDC issuer.
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { GkeClusterPlan } from "../plan/types";
import { formerly } from "./formerNames";

export interface FleetMembershipArgs {
  plan: GkeClusterPlan;
  /** Waits for the cluster when the program creates it. */
  cluster?: pulumi.Resource;
}

export class FleetMembership extends pulumi.ComponentResource {
  /** `projects/<p>/locations/global/memberships/<id>`. */
  readonly id: pulumi.Output<string>;
  readonly membershipId: string;

  constructor(name: string, args: FleetMembershipArgs, opts?: pulumi.ComponentResourceOptions) {
    super("istio-multicluster:gcp:FleetMembership", name, {}, opts);
    const { plan } = args;
    const path = `projects/${plan.project}/locations/${plan.location}/clusters/${plan.gcp.gkeCluster}`;
    this.membershipId = plan.gcp.fleetMembership;
    const membership = new gcp.gkehub.Membership(
      `${name}-membership`,
      {
        membershipId: this.membershipId,
        project: plan.project,
        location: "global",
        endpoint: { gkeCluster: { resourceLink: `//container.googleapis.com/${path}` } },
        authority: { issuer: `https://container.googleapis.com/v1/${path}` },
      },
      // A fixed id: a replacement must delete the old membership before registering the new one.
      {
        parent: this,
        deleteBeforeReplace: true,
        ...(args.cluster ? { dependsOn: [args.cluster] } : {}),
        ...formerly(`${plan.name}-membership`),
      },
    );
    this.id = membership.id;
    this.registerOutputs({ id: this.id });
  }
}
