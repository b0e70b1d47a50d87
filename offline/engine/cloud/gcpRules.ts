// What Google Cloud refuses: names outside the API's rules, a name taken in its scope, subnet ranges that
// overlap in a VPC, an internal address outside its subnet's region, a node pool for a missing cluster.
// The ledger also remembers clusters and addresses, which the Kubernetes checks read.
import { parseCidr, type Ipv4Range } from "../../../addressing/cidr";
import { regionOf } from "../../../gcp/locations";
import {
  clusterName,
  gceLabels,
  gceName,
  networkTag,
  nodePoolName,
  routerNatName,
  serviceAccountId,
  type NameRule,
} from "./names";
import { RangeIndex } from "./rangeIndex";
import { record, refuse, text, type Admission } from "./refusal";

export interface GkeClusterRecord {
  project: string;
  location: string;
  region: string;
  name: string;
  endpoint: string;
}

export interface AddressRecord {
  name: string;
  project: string;
  region: string;
  addressType: string;
}

interface RangeOwner {
  /** The subnet (or cluster, for a control-plane range) holding the range. */
  holder: string;
  region: string;
}

const API_ERROR = (code: number, message: string, reason: string) =>
  `googleapi: Error ${code}: ${message}, ${reason}`;

/** "projects/p/global/networks/n" or its self link -> "p/n". */
function networkKey(reference: string, project: string): string {
  const m = /(?:projects\/([^/]+)\/global\/)?networks\/([^/]+)$/.exec(reference);
  return m ? `${m[1] ?? project}/${m[2]}` : `${project}/${reference}`;
}

/** "projects/p/regions/r/subnetworks/s" or its self link -> "p/r/s". */
function subnetKey(reference: string): string | undefined {
  const m = /projects\/([^/]+)\/regions\/([^/]+)\/subnetworks\/([^/]+)$/.exec(reference);
  return m ? `${m[1]}/${m[2]}/${m[3]}` : undefined;
}

export class GcpLedger {
  /** Every name in use, as the API's resource path. */
  private readonly taken = new Set<string>();
  private readonly subnets = new Map<string, { network: string; region: string }>();
  private readonly vpcs = new Map<string, RangeIndex<RangeOwner>>();
  readonly clusters = new Map<string, GkeClusterRecord>();
  readonly clustersByEndpoint = new Map<string, GkeClusterRecord>();
  readonly addressesByIp = new Map<string, AddressRecord>();

  admit(a: Admission): void {
    const check = CHECKS[a.args.type];
    if (check) check(this, a);
  }

  /** A cluster the program read (container.getCluster) rather than created: its place is known all the same. */
  adopt(cluster: GkeClusterRecord): void {
    this.clusters.set(
      `projects/${cluster.project}/locations/${cluster.location}/clusters/${cluster.name}`,
      cluster,
    );
    if (cluster.endpoint) this.clustersByEndpoint.set(cluster.endpoint, cluster);
  }

  /** The API's 409 when the path is taken; otherwise the path is now taken. */
  claim(path: string, message: string): void {
    if (this.taken.has(path)) refuse(message);
    this.taken.add(path);
  }

  vpc(network: string): RangeIndex<RangeOwner> {
    let index = this.vpcs.get(network);
    if (!index) this.vpcs.set(network, (index = new RangeIndex()));
    return index;
  }

  subnet(reference: unknown): { network: string; region: string } | undefined {
    const key = subnetKey(String(reference ?? ""));
    return key ? this.subnets.get(key) : undefined;
  }

  rememberSubnet(project: string, region: string, name: string, network: string): void {
    this.subnets.set(`${project}/${region}/${name}`, { network, region });
  }
}

type Check = (ledger: GcpLedger, a: Admission) => void;

const nameOf = (a: Admission, key = "name"): string =>
  String(a.args.inputs[key] ?? a.outputs[key] ?? a.args.name);

function validate(rule: NameRule, value: string): void {
  const problem = rule(value);
  if (problem) refuse(problem);
}

/**
 * A Compute Engine resource: RFC 1035 name, unique per project in its global or regional collection
 * (https://cloud.google.com/compute/docs/naming-resources: names are unique in their scope). An unnamed
 * resource is checked under its logical name (Pulumi would append a random suffix).
 */
function computeResource(collection: string, scope: "global" | "region"): Check {
  return (ledger, a) => {
    const name = nameOf(a);
    validate(gceName("name"), name);
    const where = scope === "global" ? "global" : `regions/${a.args.inputs["region"]}`;
    const path = `projects/${a.project}/${where}/${collection}/${name}`;
    ledger.claim(path, API_ERROR(409, `The resource '${path}' already exists`, "alreadyExists"));
  };
}

/** Every primary and secondary range must be unique and non-overlapping within the network (TPGB
 * services/compute/resource_compute_subnetwork.go, ip_cidr_range and secondary_ip_range docs). */
function claimRange(ledger: GcpLedger, network: string, cidr: string, owner: RangeOwner): void {
  const range: Ipv4Range | undefined = parseCidr(cidr);
  if (!range) refuse(API_ERROR(400, `Invalid value for field 'resource.ipCidrRange': '${cidr}'`, "invalid"));
  const index = ledger.vpc(network);
  const conflict = index.conflict(range);
  if (conflict) {
    refuse(
      API_ERROR(
        400,
        `Invalid IPCidrRange: ${cidr} conflicts with existing subnetwork '${conflict.owner.holder}' in ` +
          `region '${conflict.owner.region}' (its range ${conflict.cidr})`,
        "invalid",
      ),
    );
  }
  index.add(range, owner);
}

const subnetwork: Check = (ledger, a) => {
  computeResource("subnetworks", "region")(ledger, a);
  const name = nameOf(a);
  const region = String(a.args.inputs["region"]);
  const network = networkKey(String(a.args.inputs["network"]), a.project);
  const owner = { holder: name, region };
  claimRange(ledger, network, String(a.args.inputs["ipCidrRange"]), owner);
  const secondary = (a.args.inputs["secondaryIpRanges"] ?? []) as {
    rangeName: string;
    ipCidrRange: string;
  }[];
  const rangeNames = new Set<string>();
  secondary.forEach((r, i) => {
    validate(gceName(`secondary_ip_range.${i}.range_name`), r.rangeName);
    if (rangeNames.has(r.rangeName)) {
      refuse(
        API_ERROR(
          400,
          `Invalid value for field 'resource.secondaryIpRanges[${i}].rangeName': '${r.rangeName}'. ` +
            `Secondary range names must be unique within a subnetwork`,
          "invalid",
        ),
      );
    }
    rangeNames.add(r.rangeName);
    claimRange(ledger, network, r.ipCidrRange, owner);
  });
  ledger.rememberSubnet(a.project, region, name, network);
};

const address: Check = (ledger, a) => {
  computeResource("addresses", "region")(ledger, a);
  const region = String(a.args.inputs["region"]);
  const addressType = String(a.outputs["addressType"] ?? "EXTERNAL");
  if (addressType === "INTERNAL" && a.args.inputs["subnetwork"] !== undefined) {
    // An internal address is taken from a subnet of its own region.
    const subnet = ledger.subnet(a.args.inputs["subnetwork"]);
    if (subnet && subnet.region !== region) {
      refuse(
        API_ERROR(
          400,
          `Invalid value for field 'resource.subnetwork': '${a.args.inputs["subnetwork"]}'. The subnetwork ` +
            `is in region '${subnet.region}', the address in '${region}'`,
          "invalid",
        ),
      );
    }
  }
  const ip = text(a.outputs["address"]);
  if (ip) ledger.addressesByIp.set(ip, { name: nameOf(a), project: a.project, region, addressType });
};

const routerNat: Check = (ledger, a) => {
  const name = nameOf(a);
  validate(routerNatName, name);
  const path = `projects/${a.project}/regions/${a.args.inputs["region"]}/routers/${a.args.inputs["router"]}/nats/${name}`;
  ledger.claim(path, API_ERROR(409, `The resource '${path}' already exists`, "alreadyExists"));
};

function labels(field: string, value: unknown): void {
  const problem = value === undefined ? undefined : gceLabels(field, record(value));
  if (problem) refuse(problem);
}

function tags(nodeConfig: Record<string, unknown>): void {
  ((nodeConfig["tags"] ?? []) as string[]).forEach((tag, i) => validate(networkTag(i), tag));
  labels("nodeConfig.resourceLabels", nodeConfig["resourceLabels"]);
}

// "The name of the cluster, unique within the project and location" (TPGB resource_container_cluster.go).
const cluster: Check = (ledger, a) => {
  const name = nameOf(a);
  validate(clusterName, name);
  const location = String(a.args.inputs["location"]);
  const path = `projects/${a.project}/locations/${location}/clusters/${name}`;
  ledger.claim(path, API_ERROR(409, `Already exists: ${path}.`, "alreadyExists"));
  labels("cluster.resourceLabels", a.args.inputs["resourceLabels"]);
  tags(record(a.args.inputs["nodeConfig"]));
  // A private control plane's /28 must not overlap any range of the network (TYP
  // ClusterPrivateClusterConfig.masterIpv4CidrBlock).
  const master = text(record(a.args.inputs["privateClusterConfig"])["masterIpv4CidrBlock"]);
  if (master && a.args.inputs["network"] !== undefined) {
    const network = networkKey(String(a.args.inputs["network"]), a.project);
    claimRange(ledger, network, master, { holder: `${name} (control plane)`, region: regionOf(location) });
  }
  const record_: GkeClusterRecord = {
    project: a.project,
    location,
    region: regionOf(location),
    name,
    endpoint: String(a.outputs["endpoint"] ?? ""),
  };
  ledger.clusters.set(path, record_);
  if (record_.endpoint) ledger.clustersByEndpoint.set(record_.endpoint, record_);
};

// A node pool belongs to an existing cluster (the API answers 404 otherwise), its name unique there.
const nodePool: Check = (ledger, a) => {
  const name = nameOf(a);
  validate(nodePoolName, name);
  // `cluster` is the cluster's name, or its id.
  const reference = String(a.args.inputs["cluster"]);
  const id = /^projects\/[^/]+\/locations\/[^/]+\/clusters\/[^/]+$/.test(reference)
    ? reference
    : `projects/${a.project}/locations/${a.args.inputs["location"]}/clusters/${reference}`;
  if (!ledger.clusters.has(id)) refuse(API_ERROR(404, `Not found: ${id}.`, "notFound"));
  const path = `${id}/nodePools/${name}`;
  ledger.claim(path, API_ERROR(409, `Already exists: ${path}.`, "alreadyExists"));
  tags(record(a.args.inputs["nodeConfig"]));
};

const serviceAccount: Check = (ledger, a) => {
  const accountId = nameOf(a, "accountId");
  validate(serviceAccountId, accountId);
  ledger.claim(
    `projects/${a.project}/serviceAccounts/${accountId}`,
    API_ERROR(
      409,
      `Service account ${accountId} already exists within project projects/${a.project}.`,
      "alreadyExists",
    ),
  );
};

const CHECKS: Record<string, Check> = {
  "gcp:compute/network:Network": computeResource("networks", "global"),
  "gcp:compute/subnetwork:Subnetwork": subnetwork,
  "gcp:compute/firewall:Firewall": computeResource("firewalls", "global"),
  "gcp:compute/address:Address": address,
  "gcp:compute/router:Router": computeResource("routers", "region"),
  "gcp:compute/routerNat:RouterNat": routerNat,
  "gcp:container/cluster:Cluster": cluster,
  "gcp:container/nodePool:NodePool": nodePool,
  "gcp:serviceaccount/account:Account": serviceAccount,
};
