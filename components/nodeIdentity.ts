// A dedicated, least-privilege Google service account for the mesh's GKE nodes instead of the
// Compute Engine default account (which holds Editor on the project).
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { formerly } from "./formerNames";

/** GKE's purpose-built role for node accounts: logs, metrics and metadata, nothing else. */
export const NODE_ROLES = ["roles/container.defaultNodeServiceAccount"] as const;

export interface NodeIdentityArgs {
  project: string;
  meshId: string;
  /** Service account id (6-30 characters, from the plan). */
  accountId: string;
}

export class NodeIdentity extends pulumi.ComponentResource {
  readonly email: pulumi.Output<string>;
  /** Grants that must exist before nodes boot. */
  readonly grants: gcp.projects.IAMMember[];

  constructor(name: string, args: NodeIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("istio-multicluster:gcp:NodeIdentity", name, {}, opts);
    const account = new gcp.serviceaccount.Account(
      `${name}-account`,
      {
        accountId: args.accountId,
        displayName: `GKE nodes of Istio mesh ${args.meshId}`,
        project: args.project,
      },
      // A fixed id: a replacement must delete the old account before it can create the new one.
      { parent: this, deleteBeforeReplace: true, ...formerly("mesh-nodes") },
    );
    this.email = account.email;
    this.grants = NODE_ROLES.map(
      (role) =>
        new gcp.projects.IAMMember(
          `${name}-${role.split("/")[1]}`,
          { project: args.project, role, member: pulumi.interpolate`serviceAccount:${account.email}` },
          { parent: this, ...formerly(`mesh-nodes-${role.split("/")[1]}`) },
        ),
    );
    this.registerOutputs({ email: this.email });
  }
}
