// Configs that real GCP, GKE, Kubernetes or Istio would refuse (or that a user gets wrong), each with what
// the error must say. Expected texts come from the rules as documented (API limits, pools, Istio's
// supported versions), not from the program's output.
import { createHash } from "node:crypto";
import type { CaFixtures } from "./caFixtures";

export interface BadCase {
  name: string;
  /** Keys of the project's namespace (or `gcp:project`); `undefined` removes a key. */
  values: Record<string, unknown>;
  /** Every one of these must appear in the error. */
  expect: string[];
  /** Text that must not appear anywhere in the error (pasted key material). */
  secret?: string;
  /** Secret keys set without --secret. */
  plainText?: string[];
}

export const two = (a: object = {}, b: object = {}) => [
  { name: "cluster1", location: "us-east1-b", network: "network1", role: "primary", ...a },
  { name: "cluster2", location: "us-central1-b", network: "network2", role: "primary", ...b },
];

/** The documented slot rule, computed independently: the first byte of SHA-256 of the name. */
export const slotByName = (name: string) => createHash("sha256").update(name).digest()[0]!;
/** The documented pools: pods 10.0.0.0/8 in /16s, private control planes 172.28.0.0/20 in /28s. */
export const podBlock = (slot: number) => `10.${slot}.0.0/16`;
export const controlPlaneBlock = (slot: number) => `172.28.${Math.floor(slot / 16)}.${(slot % 16) * 16}/28`;

const KUBECONFIG = [
  "apiVersion: v1",
  "kind: Config",
  'clusters: [{ name: c, cluster: { server: "https://203.0.113.7:6443" } }]',
  "contexts: [{ name: c, context: { cluster: c, user: u } }]",
  "current-context: c",
  "users: [{ name: u, user: { token: t } }]",
].join("\n");
const JWT =
  "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50In0.c2lnbmF0dXJlc2ln";
const BASE64_SECRET = "QmFzZTY0U2VjcmV0VmFsdWUxMjM0NTY3ODlBQkNERUZHSElKS0xNTk9QUVJTVA==";

export function badConfigs(ca: CaFixtures): BadCase[] {
  const key = ca.good.keyPem;
  const keyLine = key.split("\n")[1]!; // a line of the key's base64, which must never be echoed
  const c2 = slotByName("cluster2");
  return [
    // --- shape
    {
      name: "unknown topology",
      values: { topology: "mesh-of-meshes" },
      expect: ['topology: "mesh-of-meshes" is not one of'],
    },
    {
      name: "no clusters",
      values: { clusters: undefined },
      expect: ["clusters: is required: a list of clusters"],
    },
    {
      name: "one cluster",
      values: { clusters: two().slice(0, 1) },
      expect: ["clusters: needs at least two clusters"],
    },
    {
      name: "clusters a mapping",
      values: { clusters: { name: "c" } },
      expect: ["clusters: must be a list, got a mapping"],
    },
    {
      name: "upper-case name",
      values: { clusters: two({}, { name: "Cluster_2" }) },
      expect: [
        'clusters[1].name: "Cluster_2" is not a DNS-1123 label: "C" at position 1 is not a lower-case letter',
      ],
    },
    {
      name: "underscore in name",
      values: { clusters: two({}, { name: "cluster_2" }) },
      expect: ['clusters[1].name: "cluster_2" is not a DNS-1123 label: "_" at position 8'],
    },
    {
      name: "name starts with a digit",
      values: { clusters: two({ name: "1cluster" }) },
      expect: ['clusters[0].name: "1cluster" must start with a letter'],
    },
    {
      name: "name ends with a hyphen",
      values: { clusters: two({ name: "cluster-" }) },
      expect: ['clusters[0].name: "cluster-" is not a DNS-1123 label: it must end with a letter or digit'],
    },
    {
      name: "name too long",
      values: { clusters: two({ name: "c".repeat(41) }) },
      expect: ["clusters[0].name:", "is longer than 40 characters"],
    },
    {
      name: "empty name",
      values: { clusters: two({ name: "" }) },
      expect: ["clusters[0].name: must not be empty"],
    },
    {
      name: "duplicate names",
      values: { clusters: two({}, { name: "cluster1" }) },
      expect: ['clusters[1].name: "cluster1" is already used by clusters[0]'],
    },
    {
      name: "malformed location",
      values: { clusters: two({ location: "useast1b" }) },
      expect: ['clusters[0].location: "useast1b" is neither a GCP zone'],
    },
    {
      name: "location with upper case",
      values: { clusters: two({}, { location: "US-central1-b" }) },
      expect: ["clusters[1].location:", "is neither a GCP zone"],
    },
    {
      name: "unknown role",
      values: { clusters: two({ role: "leader" }) },
      expect: ['clusters[0].role: "leader" is not one of: primary, remote'],
    },
    {
      name: "missing role",
      values: { clusters: two({ role: undefined }) },
      expect: ["clusters[0].role: is required (one of: primary, remote)"],
    },
    {
      name: "bad network name",
      values: { clusters: two({ network: "Net 1" }) },
      expect: ['clusters[0].network: "Net 1" is not a DNS-1123 label'],
    },
    {
      name: "misspelt cluster key",
      values: { clusters: two({ netwrok: "x" }) },
      expect: ["clusters[0].netwrok: is not a known setting"],
    },
    {
      name: "misspelt top-level key",
      values: { topolgy: "multi-primary" },
      expect: ["topolgy: is not a known setting"],
    },
    {
      name: "misspelt node pool key",
      values: { clusters: two({ nodePool: { autoscaling: true } }) },
      expect: ["clusters[0].nodePool.autoscaling: is not a known setting"],
    },
    // --- topology against roles and networks
    {
      name: "remote in multi-primary",
      values: { clusters: two({}, { role: "remote" }) },
      expect: ['clusters[1].role: "remote" is not allowed in multi-primary'],
    },
    {
      name: "primary-remote without primary",
      values: { topology: "primary-remote", clusters: two({ role: "remote" }, { role: "remote" }) },
      expect: ['clusters: primary-remote needs exactly one cluster with role "primary", found 0'],
    },
    {
      name: "primary-remote with two primaries",
      values: { topology: "primary-remote", clusters: two() },
      expect: ["primary-remote needs exactly one", "found 2"],
    },
    {
      name: "shared control plane on two networks",
      values: { topology: "shared-control-plane", clusters: two({}, { role: "remote" }) },
      expect: ['clusters[1].network: "network2" differs from "network1"'],
    },
    {
      name: "shared control plane with two primaries",
      values: { topology: "shared-control-plane", clusters: two({}, { network: "network1" }) },
      expect: ["shared-control-plane needs exactly one", "found 2"],
    },
    // --- Istio versions and artifacts
    {
      name: "istio version not x.y.z",
      values: { istioVersion: "1.31" },
      expect: ['istioVersion: "1.31" is not a version x.y.z'],
    },
    {
      name: "istio version too old",
      values: { istioVersion: "1.23.4" },
      expect: ['istioVersion: "1.23.4" is not supported'],
    },
    {
      name: "istio major 2",
      values: { istioVersion: "2.0.0" },
      expect: ['istioVersion: "2.0.0" is not supported'],
    },
    {
      name: "istio 1.29 (end of life in October 2026)",
      values: { istioVersion: "1.29.6" },
      expect: ['istioVersion: "1.29.6" is not supported: supported Istio minors are 1.30 and 1.31'],
    },
    {
      name: "istio minor from the future",
      values: { istioVersion: "1.32.0" },
      expect: ['istioVersion: "1.32.0" is not supported: supported Istio minors are 1.30 and 1.31'],
    },
    {
      name: "istio version with a leading zero",
      values: { istioVersion: "1.31.01" },
      expect: ['istioVersion: "1.31.01" is not a version x.y.z (digits, no leading zeros)'],
    },
    {
      name: "istio version with a v",
      values: { istioVersion: "v1.31.1" },
      expect: ['istioVersion: "v1.31.1" is not a version x.y.z'],
    },
    {
      name: "cluster istio version unsupported",
      values: { clusters: two({ istioVersion: "1.29.0" }) },
      expect: ['clusters[0].istioVersion: "1.29.0" is not supported'],
    },
    {
      name: "cluster istio version with a leading zero",
      values: { clusters: two({}, { istioVersion: "01.31.1" }) },
      expect: ['clusters[1].istioVersion: "01.31.1" is not a version x.y.z'],
    },
    {
      name: "istio chart repository over plain http",
      values: { istioChartRepository: "http://charts.example.com/istio" },
      expect: [
        'istioChartRepository: "http://charts.example.com/istio" is neither an https:// Helm repository',
      ],
    },
    {
      name: "istio chart repository without host",
      values: { istioChartRepository: "oci:///charts" },
      expect: ["istioChartRepository:", "is neither an https:// Helm repository nor an oci://"],
    },
    {
      name: "istio hub with a scheme",
      values: { istioHub: "https://docker.io/istio" },
      expect: ['istioHub: "https://docker.io/istio" is not an image registry path'],
    },
    {
      name: "istio hub without a path",
      values: { istioHub: "docker.io" },
      expect: ['istioHub: "docker.io" is not an image registry path'],
    },
    // --- identity and project
    {
      name: "bad mesh id",
      values: { meshId: "Mesh_1" },
      expect: ['meshId: "Mesh_1" is not a DNS-1123 label'],
    },
    {
      name: "mesh id too long",
      values: { meshId: "m".repeat(17) },
      expect: ["meshId:", "is longer than 16 characters"],
    },
    {
      name: "no project",
      values: { "gcp:project": undefined },
      expect: ["gcp:project: is required (pulumi config set gcp:project"],
    },
    {
      name: "bad project id",
      values: { "gcp:project": "P" },
      expect: ['gcp:project: "P" is not a GCP project id'],
    },
    {
      name: "name prefix not a label",
      values: { namePrefix: "Team_A" },
      expect: ['namePrefix: "Team_A" is not a DNS-1123 label'],
    },
    {
      name: "name prefix too long",
      values: { namePrefix: "p".repeat(17) },
      expect: ["namePrefix:", "is longer than 16 characters"],
    },
    // --- GCP name limits
    {
      name: "GKE cluster name over 40 characters",
      values: { clusters: two({ name: `c${"x".repeat(35)}` }) },
      expect: [
        `clusters[0].name: GKE cluster name "test-c${"x".repeat(35)}" has 41 characters; GCP allows 1-40`,
        "made of clusters[0].name, namePrefix",
      ],
    },
    {
      name: "GKE cluster name over 40 with a long prefix",
      values: { namePrefix: "platform-team-eu", clusters: two({}, { name: `c${"y".repeat(23)}` }) },
      expect: ["clusters[1].name: GKE cluster name", "has 41 characters; GCP allows 1-40", "namePrefix"],
    },
    {
      name: "firewall name over 63 characters",
      values: {
        namePrefix: "platform-team-eu",
        clusters: two({ network: "n".repeat(40) }, { network: "n".repeat(40) }),
      },
      expect: [
        `clusters[0].network: Compute Engine name "platform-team-eu-${"n".repeat(40)}-mesh-pods" has 67 characters; GCP allows 1-63`,
      ],
    },
    {
      name: "router name over 63 characters with private nodes",
      values: {
        privateNodes: true,
        clusters: two({ location: "northamerica-northeast1-a", network: "n".repeat(36) }),
      },
      expect: [
        "clusters[0].network: Compute Engine name",
        "-northamerica-northeast1",
        "the region northamerica-northeast1",
      ],
    },
    {
      name: "Cloud NAT name over 63 characters with private nodes",
      values: {
        privateNodes: true,
        clusters: two({}, { location: "southamerica-west1-a", network: "w".repeat(40) }),
      },
      expect: ["clusters[1].network: Cloud NAT name", "GCP allows 2-63"],
    },
    // --- capacity
    {
      name: "regional cluster with 100 nodes per zone",
      values: { clusters: two({ location: "us-east1", nodePool: { nodeCount: 100 } }) },
      expect: [
        "clusters[0].nodePool.nodeCount: 100 nodes in each of 3 zones, plus a surge node per zone while upgrading, need 303 pod blocks of /24",
        "holds 256",
      ],
    },
    {
      name: "a /21 pod range for ten nodes",
      values: { clusters: two({ podCidr: "192.168.0.0/21", nodePool: { nodeCount: 10 } }) },
      expect: [
        "clusters[0].nodePool.nodeCount: 10 nodes in each of 1 zone",
        "need 11 pod blocks",
        "the pod range 192.168.0.0/21 holds 8",
      ],
    },
    {
      name: "a /29 node range for five nodes",
      values: { clusters: two({ nodeCidr: "192.168.100.0/29", nodePool: { nodeCount: 5 } }) },
      expect: [
        "clusters[0].nodePool.nodeCount:",
        "need 6 addresses in the node range 192.168.100.0/29, which has 4",
      ],
    },
    {
      name: "node count zero",
      values: { clusters: two({ nodePool: { nodeCount: 0 } }) },
      expect: ["clusters[0].nodePool.nodeCount:"],
    },
    {
      name: "fractional node count",
      values: { clusters: two({ nodePool: { nodeCount: 1.5 } }) },
      expect: ["clusters[0].nodePool.nodeCount:"],
    },
    {
      name: "node count over GKE's 1000 per zone",
      values: { clusters: two({ nodePool: { nodeCount: 1001 } }) },
      expect: ["clusters[0].nodePool.nodeCount:"],
    },
    {
      name: "bad machine type",
      values: { clusters: two({ nodePool: { machineType: "big" } }) },
      expect: ['clusters[0].nodePool.machineType: "big" is not a GCE machine type'],
    },
    {
      name: "disk too small",
      values: { clusters: two({ nodePool: { diskSizeGb: 10 } }) },
      expect: ["clusters[0].nodePool.diskSizeGb:"],
    },
    // --- real places
    {
      name: "made-up region",
      values: { clusters: two({ location: "us-mars1" }) },
      expect: ['clusters[0].location: "us-mars1" is not a GCP region or a zone of one'],
    },
    {
      name: "made-up zone letter",
      values: { clusters: two({ location: "us-east1-a" }) },
      expect: [
        'clusters[0].location: "us-east1-a" is not a zone of us-east1 (its zones: us-east1-b, us-east1-c, us-east1-d)',
      ],
    },
    {
      name: "near miss of a zone",
      values: { clusters: two({}, { location: "us-centrl1-b" }) },
      expect: ['clusters[1].location: "us-centrl1-b" is not a GCP region', 'did you mean "us-central1-b"?'],
    },
    {
      name: "near miss of a region",
      values: { clusters: two({ location: "europe-wset4" }) },
      expect: ['did you mean "europe-west4"?'],
    },
    {
      name: "region that does not exist",
      values: { clusters: two({ location: "asia-east9" }) },
      expect: ['clusters[0].location: "asia-east9" is not a GCP region'],
    },
    // --- address plan
    {
      name: "invalid CIDR",
      values: { clusters: two({ podCidr: "10.300.0.0/14" }) },
      expect: ['clusters[0].podCidr: "10.300.0.0/14" is not an IPv4 CIDR'],
    },
    {
      name: "host bits set",
      values: { clusters: two({ nodeCidr: "10.0.0.1/24" }) },
      expect: ['clusters[0].nodeCidr: "10.0.0.1/24" is not an IPv4 CIDR'],
    },
    {
      name: "overlapping explicit ranges",
      values: { clusters: two({ podCidr: "192.168.0.0/18" }, { podCidr: "192.168.32.0/19" }) },
      expect: ['clusters[1].podCidr: "192.168.32.0/19" overlaps clusters[0].podCidr "192.168.0.0/18"'],
    },
    {
      name: "node range overlapping a pod range",
      values: { clusters: two({ nodeCidr: "192.168.0.0/24" }, { podCidr: "192.168.0.0/18" }) },
      expect: ["clusters[1].podCidr:", 'overlaps clusters[0].nodeCidr "192.168.0.0/24"'],
    },
    {
      name: "public range",
      values: { clusters: two({ serviceCidr: "8.8.0.0/20" }) },
      expect: ['clusters[0].serviceCidr: "8.8.0.0/20" is not in private (RFC 1918) address space'],
    },
    {
      name: "pod range too small",
      values: { clusters: two({ podCidr: "192.168.0.0/26" }) },
      expect: ["clusters[0].podCidr:", "between /9 and /21"],
    },
    {
      name: "service range too large",
      values: { clusters: two({ serviceCidr: "192.168.0.0/15" }) },
      expect: ["clusters[0].serviceCidr:", "between /16 and /27"],
    },
    {
      name: "range on the Docker bridge",
      values: { clusters: two({ serviceCidr: "172.17.0.0/20" }) },
      expect: [
        'clusters[0].serviceCidr: "172.17.0.0/20" overlaps 172.17.0.0/16, the Docker bridge range GKE reserves',
      ],
    },
    {
      name: "explicit range on another cluster's automatic pods",
      values: { clusters: two({ podCidr: podBlock(c2) }) },
      expect: [
        `clusters[0].podCidr: "${podBlock(c2)}" overlaps clusters[1] (automatic pods range) ${podBlock(c2)}`,
      ],
    },
    {
      name: "node range on a private control plane's /28",
      values: { privateNodes: true, clusters: two({ nodeCidr: `172.28.${Math.floor(c2 / 16)}.0/24` }) },
      expect: [
        "clusters[0].nodeCidr:",
        `overlaps clusters[1] (automatic controlPlanes range) ${controlPlaneBlock(c2)}`,
      ],
    },
    {
      name: "two names on one address slot",
      values: {
        clusters: [
          { ...two()[1]!, name: "cluster2" },
          { ...two()[0]!, name: "cluster10", network: "network3" },
        ],
      },
      expect: [
        `clusters[1].slot: clusters[1] "cluster10" and clusters[0] "cluster2" both take address slot ${slotByName("cluster10")} (derived from the name)`,
        "pin the cluster you are adding to a free slot",
      ],
    },
    {
      name: "a pinned slot another cluster holds",
      values: { clusters: two({}, { slot: slotByName("cluster1") }) },
      expect: [
        `clusters[1].slot: clusters[1] "cluster2" and clusters[0] "cluster1" both take address slot ${slotByName("cluster1")} (pinned)`,
      ],
    },
    {
      name: "slot out of range",
      values: { clusters: two({ slot: 256 }) },
      expect: ["clusters[0].slot:", "<=255"],
    },
    {
      name: "slot a string",
      values: { clusters: two({ slot: "5" }) },
      expect: ['clusters[0].slot: "5" is a string, not a number: write the number without quotes'],
    },
    // --- GKE and samples
    {
      name: "deletionProtection not boolean",
      values: { deletionProtection: "maybe" },
      expect: ['deletionProtection: "maybe" is not a boolean'],
    },
    {
      name: "unknown release channel",
      values: { releaseChannel: "NIGHTLY" },
      expect: ['releaseChannel: "NIGHTLY" is not one of: RAPID, REGULAR, STABLE, EXTENDED'],
    },
    {
      name: "verifyOnUp without helloworld",
      values: { verifyOnUp: true },
      expect: [
        "verifyOnUp: needs a sample that crosses clusters to check: helloworld, bookinfo or httpbin: true",
      ],
    },
    {
      name: "too many clusters",
      values: {
        clusters: Array.from({ length: 65 }, (_, i) => ({
          name: `c${i}`,
          location: "us-east1-b",
          network: "n1",
          role: "primary",
        })),
      },
      expect: ["clusters: has 65 clusters, at most 64 are supported"],
    },
    // --- existing clusters
    {
      name: "existing gke without a location",
      values: { clusters: two({}, { existing: "gke", location: undefined, network: "net-old" }) },
      expect: ["clusters[1].location: is required"],
    },
    {
      name: "kubeconfig cluster with a location",
      values: {
        clusters: two({}, { existing: "kubeconfig", network: "net-aws" }),
        kubeconfigs: { cluster2: KUBECONFIG },
      },
      expect: ["clusters[1].location: is not allowed with existing: kubeconfig"],
    },
    {
      name: "kubeconfig cluster without its kubeconfig",
      values: { clusters: two({}, { existing: "kubeconfig", location: undefined, network: "net-aws" }) },
      expect: ["clusters[1].existing: kubeconfig needs kubeconfigs.cluster2"],
    },
    {
      name: "a kubeconfig that does not parse",
      values: {
        clusters: two({}, { existing: "kubeconfig", location: undefined, network: "net-aws" }),
        kubeconfigs: {
          cluster2: `apiVersion: v1\nusers: [{ name: u, user: { token: ${JWT} }\nclusters: [unclosed`,
        },
      },
      expect: ["kubeconfigs.cluster2: does not parse as YAML"],
      secret: JWT.slice(20, 60),
    },
    {
      name: "a kubeconfig without a server",
      values: {
        clusters: two({}, { existing: "kubeconfig", location: undefined, network: "net-aws" }),
        kubeconfigs: {
          cluster2:
            "apiVersion: v1\nkind: Config\nclusters: [{ name: c, cluster: {} }]\n" +
            "contexts: [{ name: c, context: { cluster: c } }]\ncurrent-context: c\n",
        },
      },
      expect: ['kubeconfigs.cluster2: cluster "c" of the current context names no https:// server'],
    },
    {
      name: "a kubeconfig for no cluster",
      values: { kubeconfigs: { ghost: KUBECONFIG } },
      expect: ["kubeconfigs.ghost: no cluster with existing: kubeconfig is named ghost"],
    },
    {
      name: "kubeconfigs that are not a mapping",
      values: { kubeconfigs: ["one"] },
      expect: ["kubeconfigs: must map cluster names to kubeconfig text"],
    },
    {
      name: "a node pool for an existing cluster",
      values: { clusters: two({}, { existing: "gke", network: "net-old", nodePool: { nodeCount: 3 } }) },
      expect: [
        "clusters[1].nodePool: is not allowed with existing: gke (the program does not create this cluster)",
      ],
    },
    {
      name: "ranges for an existing cluster",
      values: { clusters: two({}, { existing: "gke", network: "net-old", podCidr: "192.168.0.0/16" }) },
      expect: ["clusters[1].podCidr: is not allowed with existing: gke"],
    },
    {
      name: "a project for a created cluster",
      values: { clusters: two({ project: "other-project-1" }) },
      expect: ["clusters[0].project: is only for existing: gke"],
    },
    {
      name: "a load balancer kind for a GKE cluster",
      values: { clusters: two({ loadBalancerAddress: "hostname" }) },
      expect: ["clusters[0].loadBalancerAddress: is only for existing: kubeconfig"],
    },
    {
      name: "an existing cluster on a created cluster's network",
      values: { clusters: two({}, { existing: "gke", network: "network1" }) },
      expect: ['clusters[1].network: "network1" is the network of clusters this program creates'],
    },
    {
      name: "an existing cluster in a shared control plane",
      values: {
        topology: "shared-control-plane",
        clusters: two({}, { existing: "gke", role: "remote", network: "network1" }),
      },
      expect: [
        "clusters[1].existing: shared-control-plane puts every cluster on the one VPC this program creates",
      ],
    },
    {
      name: "an unknown kind of existing cluster",
      values: { clusters: two({}, { existing: "eks" }) },
      expect: ['clusters[1].existing: "eks" is not one of: gke, kubeconfig'],
    },
    {
      name: "a kubeconfig stored in plain text",
      values: {
        clusters: two({}, { existing: "kubeconfig", location: undefined, network: "net-aws" }),
        kubeconfigs: { cluster2: KUBECONFIG },
      },
      plainText: ["kubeconfigs"],
      expect: [
        "kubeconfigs: is stored in plain text in the stack file: set it with pulumi config set --secret kubeconfigs",
      ],
    },
    // --- private clusters
    {
      name: "authorized networks without private nodes",
      values: { masterAuthorizedNetworks: ["203.0.113.0/24"] },
      expect: ["masterAuthorizedNetworks: needs privateNodes: true"],
    },
    {
      name: "authorized networks that authorize everyone",
      values: { privateNodes: true, masterAuthorizedNetworks: ["0.0.0.0/0"] },
      expect: ['masterAuthorizedNetworks[0]: "0.0.0.0/0" authorizes the whole internet'],
    },
    {
      name: "authorized networks that are not CIDRs",
      values: { privateNodes: true, masterAuthorizedNetworks: ["office"] },
      expect: ['masterAuthorizedNetworks[0]: "office" is not an IPv4 CIDR'],
    },
    {
      name: "more authorized networks than GKE allows",
      values: {
        privateNodes: true,
        masterAuthorizedNetworks: Array.from({ length: 49 }, (_, i) => `198.51.${i}.0/24`),
      },
      expect: ["masterAuthorizedNetworks: 49 operator CIDRs plus the mesh's 2 NAT addresses exceed GKE's 50"],
    },
    // --- mesh CA settings
    {
      name: "unknown CA key algorithm",
      values: { caKeyAlgorithm: "DSA" },
      expect: ['caKeyAlgorithm: "DSA" is not one of: RSA, ECDSA'],
    },
    {
      name: "intermediate outlives root",
      values: { caIntermediateValidityHours: 900000 },
      expect: ["caIntermediateValidityHours: 900000 must be shorter than caRootValidityHours"],
    },
    {
      name: "early renewal longer than the intermediate",
      values: { caEarlyRenewalHours: 9000 },
      expect: ["caEarlyRenewalHours: 9000 must be shorter than caIntermediateValidityHours"],
    },
    { name: "negative early renewal", values: { caEarlyRenewalHours: -1 }, expect: ["caEarlyRenewalHours:"] },
    {
      name: "root validity under 30 days",
      values: { caRootValidityHours: 100 },
      expect: ["caRootValidityHours:"],
    },
    {
      name: "organization too long",
      values: { caOrganization: "o".repeat(65) },
      expect: ["caOrganization:"],
    },
    // --- bring-your-own root, checked before anything exists
    {
      name: "root certificate without key",
      values: { caRootCertificate: ca.good.certPem },
      expect: ["caRootPrivateKey: is required (as a secret) when caRootCertificate is set"],
    },
    {
      name: "root key without certificate",
      values: { caRootPrivateKey: key },
      expect: ["caRootCertificate: is required when caRootPrivateKey is set"],
      secret: keyLine,
    },
    {
      name: "root certificate not PEM",
      values: { caRootCertificate: "hello", caRootPrivateKey: key },
      expect: ["caRootCertificate: is not a PEM certificate"],
      secret: keyLine,
    },
    {
      name: "root certificate garbage PEM",
      values: {
        caRootCertificate: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        caRootPrivateKey: key,
      },
      expect: ["caRootCertificate: does not parse as an X.509 certificate"],
    },
    {
      name: "expired root",
      values: { caRootCertificate: ca.expired.certPem, caRootPrivateKey: ca.expired.keyPem },
      expect: ["caRootCertificate: expired on"],
    },
    {
      name: "root not valid yet",
      values: { caRootCertificate: ca.notYetValid.certPem, caRootPrivateKey: ca.notYetValid.keyPem },
      expect: ["caRootCertificate: is not valid yet"],
    },
    {
      name: "root not self-signed",
      values: { caRootCertificate: ca.intermediate.certPem, caRootPrivateKey: ca.intermediate.keyPem },
      expect: ["caRootCertificate: is not self-signed"],
    },
    {
      name: "root bundle of two certificates",
      values: { caRootCertificate: ca.good.certPem + ca.other.certPem, caRootPrivateKey: key },
      expect: ["caRootCertificate: holds 2 certificates"],
    },
    {
      name: "root key that does not match",
      values: { caRootCertificate: ca.good.certPem, caRootPrivateKey: ca.other.keyPem },
      expect: ["caRootPrivateKey: does not belong to caRootCertificate"],
      secret: ca.other.keyPem.split("\n")[1]!,
    },
    {
      name: "root key not PEM",
      values: { caRootCertificate: ca.good.certPem, caRootPrivateKey: "not a key" },
      expect: ["caRootPrivateKey: is not a PEM private key"],
    },
    {
      name: "root not a CA",
      values: { caRootCertificate: ca.notCa.certPem, caRootPrivateKey: ca.notCa.keyPem },
      expect: ["caRootCertificate: is not a CA certificate"],
    },
    {
      name: "root may not sign certificates",
      values: { caRootCertificate: ca.noCertSign.certPem, caRootPrivateKey: ca.noCertSign.keyPem },
      expect: ["caRootCertificate: its keyUsage does not allow certificate signing"],
    },
    {
      name: "root expiring before its intermediates",
      values: { caRootCertificate: ca.shortLived.certPem, caRootPrivateKey: ca.shortLived.keyPem },
      expect: ["caRootCertificate: is valid for", "not longer than the 8760 hours of the intermediates"],
    },
    {
      name: "key pasted into the certificate field",
      values: { caRootCertificate: ca.good.certPem + key, caRootPrivateKey: key },
      expect: ["caRootCertificate: holds a private key"],
      secret: keyLine,
    },
    {
      name: "only a key in the certificate field",
      values: { caRootCertificate: key },
      expect: ["caRootCertificate: holds a private key", "caRootCertificate: is not a PEM certificate"],
      secret: keyLine,
    },
    // --- key material pasted into the wrong field is never echoed
    {
      name: "key pasted into caOrganization",
      values: { caOrganization: key },
      expect: ["caOrganization:"],
      secret: keyLine,
    },
    {
      name: "key pasted into meshId",
      values: { meshId: key },
      expect: ["meshId: <redacted: looks like key material>"],
      secret: keyLine,
    },
    {
      name: "key pasted into a cluster name",
      values: { clusters: two({ name: key }) },
      expect: ["clusters[0].name: <redacted: looks like key material>"],
      secret: keyLine,
    },
    {
      name: "token pasted into a network",
      values: { clusters: two({ network: JWT }) },
      expect: ["clusters[0].network:"],
      secret: JWT.slice(20, 60),
    },
    {
      name: "key pasted into istioHub",
      values: { istioHub: key },
      expect: ["istioHub: <redacted: looks like key material>"],
      secret: keyLine,
    },
    {
      name: "base64 secret pasted into a location",
      values: { clusters: two({ location: BASE64_SECRET }) },
      expect: ["clusters[0].location:"],
      secret: BASE64_SECRET.slice(0, 40),
    },
    {
      name: "key pasted into the release channel",
      values: { releaseChannel: key },
      expect: ["releaseChannel:"],
      secret: keyLine,
    },
    {
      name: "token pasted into istioVersion",
      values: { istioVersion: JWT },
      expect: ["istioVersion:"],
      secret: JWT.slice(20, 60),
    },
    // --- YAML and typing pitfalls (values as a stack file would hand them over)
    {
      name: "YAML 1.1 no for a boolean",
      values: { clusters: two({ nodePool: { spot: "no" } }) },
      expect: ['clusters[0].nodePool.spot: "no" is not a boolean: write true or false'],
    },
    {
      name: "YAML 1.1 yes at the top level",
      values: { helloworld: "yes" },
      expect: ['helloworld: "yes" is not a boolean'],
    },
    {
      name: "a number in quotes",
      values: { clusters: two({ nodePool: { nodeCount: "3" } }) },
      expect: ['clusters[0].nodePool.nodeCount: "3" is a string, not a number'],
    },
    {
      name: "words for a number",
      values: { caRootValidityHours: "ten years" },
      expect: ['caRootValidityHours: "ten years" is a string, not a number'],
    },
    {
      name: "a null node pool",
      values: { clusters: two({ nodePool: null }) },
      expect: ["clusters[0].nodePool: is null: remove the key to use its default"],
    },
    {
      name: "a null inside the node pool",
      values: { clusters: two({}, { nodePool: { machineType: null } }) },
      expect: ["clusters[1].nodePool.machineType: is null"],
    },
    {
      name: "an empty cluster entry",
      values: { clusters: [...two(), null] },
      expect: ["clusters[2]: is an empty entry (null): remove it"],
    },
    {
      name: "a cluster entry that is a string",
      values: { clusters: [...two(), "cluster3"] },
      expect: ["clusters[2]: must be a mapping, got string"],
    },
    {
      name: "a list for a cluster",
      values: { clusters: [two(), two()] },
      expect: ["clusters[0]: must be a mapping, got a list"],
    },
    { name: "a number for the topology", values: { topology: 5 }, expect: ['topology: "5" is not one of'] },
    // --- one error, every problem
    {
      name: "a shape error next to cross-field ones",
      values: {
        meshId: "Bad Mesh",
        clusters: [
          ...two(),
          { ...two()[0]!, name: "cluster1" },
          { ...two()[1]!, name: "c4", location: "nowhere-1" },
        ],
      },
      expect: [
        'meshId: "Bad Mesh"',
        'clusters[2].name: "cluster1" is already used by clusters[0]',
        "clusters[3].location:",
      ],
    },
  ];
}
