// A static IP reserved before its load balancer exists: the address is known at once (remotes are
// configured in parallel with the primary), and survives re-creation of the gateway in front of it.
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { formerChild } from "./formerNames";

export interface ReservedAddressArgs {
  /** GCP name of the address (from the plan). */
  addressName: string;
  region: string;
  /**
   * The project of the cluster whose load balancer takes the address: GKE's service controller accepts a
   * requested IP only among the static addresses of the cluster's own project and region
   * (cloud-provider-gcp verifyUserRequestedIP), so an adopted cluster in another project gets it there.
   */
  project: string;
  /** EXTERNAL for a public east-west gateway; INTERNAL for a private load balancer in `subnetwork`. */
  addressType: "EXTERNAL" | "INTERNAL";
  subnetwork?: pulumi.Input<string>;
  description: string;
}

export class ReservedAddress extends pulumi.ComponentResource {
  readonly address: pulumi.Output<string>;

  constructor(name: string, args: ReservedAddressArgs, opts?: pulumi.ComponentResourceOptions) {
    super("istio-multicluster:gcp:ReservedAddress", name, {}, opts);
    if (args.addressType === "INTERNAL" && args.subnetwork === undefined) {
      throw new Error(`ReservedAddress ${name}: args.subnetwork is required for an INTERNAL address`);
    }
    const reserved = new gcp.compute.Address(
      name,
      {
        name: args.addressName,
        project: args.project,
        region: args.region,
        addressType: args.addressType,
        description: args.description,
        ...(args.addressType === "INTERNAL" ? { subnetwork: args.subnetwork, purpose: "GCE_ENDPOINT" } : {}),
      },
      // Every field of an address is fixed at creation and so is its name: delete before replacing.
      // It is named as its component, now and before.
      { parent: this, deleteBeforeReplace: true, ...formerChild(opts, "") },
    );
    this.address = reserved.address;
    this.registerOutputs({ address: this.address });
  }
}
