// Google Cloud as the provider reports it: ids and self links in the API's formats, a public cluster
// endpoint with a real cluster CA certificate, reserved addresses from the right pools.
import type { MockResourceArgs } from "@pulumi/pulumi/runtime";
import { formatCidr, nthSubnet, parseCidr } from "../../../addressing/cidr";
import { regionOf } from "../../../gcp/locations";
import type { CloudState, Handler } from "../mockCloud";
import { stableHash } from "../mockCloud";
import { clusterCaPem } from "./clusterCa";

const API = "https://www.googleapis.com/compute/v1";

const str = (args: MockResourceArgs, key: string): string => String(args.inputs[key] ?? args.name);

/** A public address in Google's 34.x/35.x ranges, stable for a given name. */
export function publicIp(seed: string): string {
  const h = stableHash(seed);
  return `${34 + (h % 2)}.${(h >>> 8) % 256}.${(h >>> 16) % 256}.${1 + ((h >>> 24) % 254)}`;
}

function internalIpIn(cloud: CloudState, subnetworkId: string, seed: string): string {
  const subnet = cloud.byId.get(subnetworkId);
  const range = parseCidr(String(subnet?.outputs["ipCidrRange"] ?? "10.0.0.0/20"))!;
  // GCP reserves the first two and last two addresses of a subnet.
  const host = nthSubnet(range, 32, 2 + (stableHash(seed) % 200));
  return formatCidr(host).replace(/\/32$/, "");
}

const network: Handler = (args, cloud) => {
  const name = str(args, "name");
  const id = `projects/${cloud.project}/global/networks/${name}`;
  return { id, outputs: { name, selfLink: `${API}/${id}`, gatewayIpv4: "" } };
};

const subnetwork: Handler = (args, cloud) => {
  const name = str(args, "name");
  const id = `projects/${cloud.project}/regions/${args.inputs["region"]}/subnetworks/${name}`;
  const range = parseCidr(String(args.inputs["ipCidrRange"]))!;
  return {
    id,
    outputs: {
      name,
      selfLink: `${API}/${id}`,
      gatewayAddress: formatCidr(nthSubnet(range, 32, 1)).replace(/\/32$/, ""),
    },
  };
};

const firewall: Handler = (args, cloud) => {
  const name = str(args, "name");
  const id = `projects/${cloud.project}/global/firewalls/${name}`;
  return { id, outputs: { name, selfLink: `${API}/${id}`, priority: args.inputs["priority"] ?? 1000 } };
};

const address: Handler = (args, cloud) => {
  const name = str(args, "name");
  const project = String(args.inputs["project"] ?? cloud.project);
  const id = `projects/${project}/regions/${args.inputs["region"]}/addresses/${name}`;
  const internal = args.inputs["addressType"] === "INTERNAL";
  const ip = internal
    ? internalIpIn(cloud, String(args.inputs["subnetwork"]), name)
    : publicIp(`${project}/${name}`);
  return {
    id,
    outputs: {
      name,
      address: args.inputs["address"] ?? ip,
      addressType: internal ? "INTERNAL" : "EXTERNAL",
      selfLink: `${API}/${id}`,
    },
  };
};

const cluster: Handler = async (args, cloud) => {
  const name = str(args, "name");
  const location = String(args.inputs["location"]);
  const id = `projects/${cloud.project}/locations/${location}/clusters/${name}`;
  const subnet = cloud.byId.get(String(args.inputs["subnetwork"]));
  const secondary = (subnet?.outputs["secondaryIpRanges"] ?? []) as {
    rangeName: string;
    ipCidrRange: string;
  }[];
  const policy = (args.inputs["ipAllocationPolicy"] ?? {}) as Record<string, string>;
  const rangeOf = (rangeName: string | undefined) =>
    secondary.find((r) => r.rangeName === rangeName)?.ipCidrRange;
  const rotated = cloud.options.rotatedCredentials?.includes(args.name) ? "#rotated" : "";
  return {
    id,
    outputs: {
      name,
      endpoint: publicIp(`${cloud.project}/${location}/${name}/endpoint${rotated}`),
      masterAuth: {
        clusterCaCertificate: Buffer.from(await clusterCaPem(`${name}${rotated}`)).toString("base64"),
        clientCertificateConfig: { issueClientCertificate: false },
      },
      clusterIpv4Cidr: rangeOf(policy["clusterSecondaryRangeName"]) ?? "",
      servicesIpv4Cidr: rangeOf(policy["servicesSecondaryRangeName"]) ?? "",
      selfLink: `https://container.googleapis.com/v1/${id}`,
      masterVersion: "1.33.5-gke.1201000",
      location,
      region: regionOf(location),
    },
  };
};

const nodePool: Handler = (args, cloud) => {
  const location = String(args.inputs["location"]);
  const name = str(args, "name");
  const id = `projects/${cloud.project}/locations/${location}/clusters/${args.inputs["cluster"]}/nodePools/${name}`;
  return {
    id,
    outputs: {
      name,
      instanceGroupUrls: [
        `${API}/projects/${cloud.project}/zones/${location}/instanceGroupManagers/gke-${name}-grp`,
      ],
      version: "1.33.5-gke.1201000",
    },
  };
};

const serviceAccount: Handler = (args, cloud) => {
  const accountId = str(args, "accountId");
  const email = `${accountId}@${cloud.project}.iam.gserviceaccount.com`;
  return {
    id: `projects/${cloud.project}/serviceAccounts/${email}`,
    outputs: { email, member: `serviceAccount:${email}`, uniqueId: String(stableHash(email)) },
  };
};

const iamMember: Handler = (args) => ({
  id: `${args.inputs["project"]}/${args.inputs["role"]}/${args.inputs["member"]}`,
  outputs: { etag: "BwYX" + (stableHash(args.name) % 100000) },
});

const router: Handler = (args, cloud) => {
  const id = `projects/${cloud.project}/regions/${args.inputs["region"]}/routers/${str(args, "name")}`;
  return { id, outputs: { selfLink: `${API}/${id}` } };
};

const routerNat: Handler = (args, cloud) => ({
  id: `${cloud.project}/${args.inputs["region"]}/${args.inputs["router"]}/${str(args, "name")}`,
});

/** A fleet membership: GKE Hub names it after the project, its location (global) and its id. */
const membership: Handler = (args, cloud) => {
  const project = String(args.inputs["project"] ?? cloud.project);
  const location = String(args.inputs["location"] ?? "global");
  const id = `projects/${project}/locations/${location}/memberships/${str(args, "membershipId")}`;
  return { id, outputs: { name: id, uid: String(stableHash(id)), project, location } };
};

export const gcpHandlers: Record<string, Handler> = {
  "gcp:compute/network:Network": network,
  "gcp:compute/subnetwork:Subnetwork": subnetwork,
  "gcp:compute/firewall:Firewall": firewall,
  "gcp:compute/address:Address": address,
  "gcp:compute/router:Router": router,
  "gcp:compute/routerNat:RouterNat": routerNat,
  "gcp:container/cluster:Cluster": cluster,
  "gcp:container/nodePool:NodePool": nodePool,
  "gcp:serviceaccount/account:Account": serviceAccount,
  "gcp:projects/iAMMember:IAMMember": iamMember,
  "gcp:gkehub/membership:Membership": membership,
};
