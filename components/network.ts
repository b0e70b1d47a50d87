// One custom-mode VPC per Istio network: a subnet per cluster with its pod and service ranges, and
// least-privilege firewall rules between the mesh clusters that share the VPC.
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { NAT_MAX_PORTS_PER_VM, NAT_MIN_PORTS_PER_VM } from "../gcp/nat";
import type { CreatedClusterPlan, VpcPlan } from "../plan/types";
import { formerly } from "./formerNames";

export interface MeshNetworkArgs {
  vpc: VpcPlan;
  /** The clusters whose subnets live in this VPC, in plan order. */
  clusters: readonly CreatedClusterPlan[];
  privateNodes: boolean;
}

// Every resource here has a fixed GCP name: a replacement must delete the old one before it can create
// the new one (the name is taken until then).
const FIXED_NAME = { deleteBeforeReplace: true } as const;

export class MeshNetwork extends pulumi.ComponentResource {
  readonly network: gcp.compute.Network;
  readonly subnets: ReadonlyMap<string, gcp.compute.Subnetwork>;
  /** Egress addresses of the private nodes (reserved, so peers and API servers can trust them). */
  readonly natAddresses: pulumi.Output<string>[] = [];

  constructor(name: string, args: MeshNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("istio-multicluster:gcp:MeshNetwork", name, {}, opts);
    const { vpc, clusters } = args;
    const members = clusters.filter((c) => c.network === vpc.network);
    if (members.length === 0)
      throw new Error(`MeshNetwork ${name}: args.clusters has no cluster on network ${vpc.network}`);
    const childOpts = { parent: this, ...FIXED_NAME };

    this.network = new gcp.compute.Network(
      name,
      {
        name: vpc.name,
        autoCreateSubnetworks: false,
        routingMode: "GLOBAL", // pod ranges in several regions route to each other (flat network)
        description: `Istio network ${vpc.network}`,
      },
      { ...childOpts, ...formerly(vpc.network) },
    );

    this.subnets = new Map(
      members.map((c) => [
        c.name,
        new gcp.compute.Subnetwork(
          `${name}-${c.name}-subnet`,
          {
            name: c.gcp.subnet,
            network: this.network.id,
            region: c.region,
            ipCidrRange: c.ranges.nodes,
            privateIpGoogleAccess: true,
            secondaryIpRanges: [
              { rangeName: c.gcp.podRange, ipCidrRange: c.ranges.pods },
              { rangeName: c.gcp.serviceRange, ipCidrRange: c.ranges.services },
            ],
          },
          // GKE cannot move a cluster to other ranges: a range change replaces the subnet, and the cluster
          // on it follows (replaceWith in GkeCluster); deleting first frees the name.
          {
            ...childOpts,
            replaceOnChanges: ["ipCidrRange", "secondaryIpRanges"],
            ...formerly(`${c.name}-subnet`),
          },
        ),
      ]),
    );

    // Sorted: reordering the cluster list must not rewrite a rule.
    const nodeTags = members.map((c) => c.gcp.nodeTag).sort();
    // GKE already opens a cluster's own pod range to its nodes; the mesh needs the other clusters' pods too.
    if (vpc.firewalls.meshPods !== undefined) {
      new gcp.compute.Firewall(
        `${name}-mesh-pods`,
        {
          name: vpc.firewalls.meshPods,
          network: this.network.selfLink,
          description: "Pods of the mesh clusters reach workloads and istiod on mesh nodes",
          direction: "INGRESS",
          sourceRanges: members.map((c) => c.ranges.pods).sort(),
          targetTags: nodeTags,
          allows: [{ protocol: "tcp" }, { protocol: "udp" }, { protocol: "icmp" }],
        },
        { ...childOpts, ...formerly(`${vpc.network}-mesh-pods`) },
      );
    }

    if (args.privateNodes) {
      // Private control planes reach nodes only on 443/10250 by default; Istio's webhooks listen on 15017.
      new gcp.compute.Firewall(
        `${name}-webhooks`,
        {
          name: vpc.firewalls.webhooks,
          network: this.network.selfLink,
          description: "GKE control planes call Istio's admission webhooks on the nodes",
          direction: "INGRESS",
          sourceRanges: members.map((c) => c.ranges.controlPlane!).sort(),
          targetTags: nodeTags,
          allows: [{ protocol: "tcp", ports: ["15017"] }],
        },
        { ...childOpts, ...formerly(`${vpc.network}-webhooks`) },
      );
      // Private nodes reach peer gateways and public registries through Cloud NAT, on reserved addresses
      // (MANUAL_ONLY) so that gateways and API servers can admit exactly them. Ports are allocated
      // dynamically, sized in gcp/nat.ts: cross-network traffic of a node goes to very few destinations.
      for (const { region, router: routerName, nat, natAddresses } of vpc.regions) {
        const router = new gcp.compute.Router(
          `${name}-${region}`,
          { name: routerName, network: this.network.id, region },
          { ...childOpts, ...formerly(`${vpc.network}-${region}`) },
        );
        const addresses = natAddresses.map(
          (addressName, i) =>
            new gcp.compute.Address(
              `${name}-${region}-nat-${i}`,
              {
                name: addressName,
                region,
                addressType: "EXTERNAL",
                description: `Cloud NAT of ${vpc.name} in ${region}`,
              },
              { ...childOpts, ...formerly(`${vpc.network}-${region}-nat-${i}`) },
            ),
        );
        this.natAddresses.push(...addresses.map((a) => a.address));
        new gcp.compute.RouterNat(
          `${name}-${region}`,
          {
            name: nat,
            router: router.name,
            region,
            natIpAllocateOption: "MANUAL_ONLY",
            natIps: addresses.map((a) => a.selfLink),
            sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
            enableDynamicPortAllocation: true,
            // Dynamic allocation excludes endpoint-independent mapping.
            enableEndpointIndependentMapping: false,
            minPortsPerVm: NAT_MIN_PORTS_PER_VM,
            maxPortsPerVm: NAT_MAX_PORTS_PER_VM,
          },
          { ...childOpts, ...formerly(`${vpc.network}-${region}`) },
        );
      }
    }

    this.registerOutputs({ network: this.network.id });
  }
}
