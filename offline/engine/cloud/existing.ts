// What the clouds answer about things the program did not create: an existing GKE cluster read by name
// and location (container.getCluster), and the Service a Helm chart created, read back for the address
// its load balancer got (an IP, or a host name where the platform gives one, as AWS does).
import type { MockCallResult, MockResourceArgs, MockResourceResult } from "@pulumi/pulumi/runtime";
import { providerUrnOf } from "../../graph";
import type { CloudState } from "../mockCloud";
import { stableHash } from "../mockCloud";
import { clusterCaPem } from "./clusterCa";
import { publicIp } from "./gcp";

type Inputs = Record<string, unknown>;

/** GKE's answer for an existing cluster: every cluster asked for exists, in the project asked for. */
async function getCluster(inputs: Inputs, cloud: CloudState): Promise<MockCallResult> {
  const name = String(inputs["name"]);
  const location = String(inputs["location"]);
  const project = String(inputs["project"] ?? cloud.project);
  const id = `projects/${project}/locations/${location}/clusters/${name}`;
  const answer = {
    id,
    name,
    location,
    project,
    endpoint: publicIp(`${project}/${location}/${name}/endpoint`),
    masterAuths: [{ clusterCaCertificate: Buffer.from(await clusterCaPem(name)).toString("base64") }],
    selfLink: `https://container.googleapis.com/v1/${id}`,
    network: `projects/${project}/global/networks/default`,
    subnetwork: `projects/${project}/regions/${location.replace(/-[a-z]$/, "")}/subnetworks/default`,
  };
  cloud.adoptedClusters.set(name, answer);
  return answer;
}

export const CALLS: Record<
  string,
  (inputs: Inputs, cloud: CloudState) => MockCallResult | Promise<MockCallResult>
> = {
  "gcp:container/getCluster:getCluster": getCluster,
};

/** The cluster a provider reference points at: providers are named after their cluster. */
const clusterOfProvider = (provider: string | undefined) =>
  providerUrnOf(provider ?? "")
    .split("::")
    .pop() ?? "";

export function readExisting(args: MockResourceArgs, cloud: CloudState): MockResourceResult {
  if (args.type !== "kubernetes:core/v1:Service") {
    throw new Error(
      `the program read a ${args.type} (${args.id}): the mock cloud answers reads of Services only`,
    );
  }
  const [namespace, name] = String(args.id).split("/");
  const cluster = clusterOfProvider(args.provider);
  const hash = stableHash(`${cluster}/${args.id}`);
  const ingress = cloud.options.loadBalancerHostnames?.includes(cluster)
    ? { hostname: `a${hash.toString(16)}-${hash % 1000}.elb.us-east-1.amazonaws.com` }
    : { ip: `203.0.113.${1 + (hash % 250)}`, ipMode: "VIP" };
  return {
    id: String(args.id),
    state: {
      metadata: { name, namespace },
      spec: { type: "LoadBalancer" },
      status: { loadBalancer: { ingress: [ingress] } },
    },
  };
}
