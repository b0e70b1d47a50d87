// Shape of the mesh settings (stack config or MulticlusterMesh args), checked with zod before any resource
// exists. Each key carries its default and its description here, once: Pulumi.yaml and the README's
// config reference are checked against (and generated from) this file. Rules that relate several fields
// live in ./rules.ts.
import { z } from "zod";
import { isIpv4Cidr } from "../addressing/cidr";
import { SLOT_COUNT } from "../addressing/slots";
import {
  DEFAULT_CHART_REPOSITORY,
  DEFAULT_HUB,
  DEFAULT_ISTIO_VERSION,
  OCI_CHART_REPOSITORY,
  SUPPORTED_MINORS,
} from "../istio/artifacts";
import { describeLabelProblem, quote } from "./messages";
import { didYouMean } from "./suggest";

export const TOPOLOGIES = ["multi-primary", "primary-remote", "shared-control-plane"] as const;
export type Topology = (typeof TOPOLOGIES)[number];
export const ROLES = ["primary", "remote"] as const;
export type Role = (typeof ROLES)[number];
export const RELEASE_CHANNELS = ["RAPID", "REGULAR", "STABLE", "EXTENDED"] as const;
export type ReleaseChannel = (typeof RELEASE_CHANNELS)[number];
export const CA_KEY_ALGORITHMS = ["RSA", "ECDSA"] as const;
export type CaKeyAlgorithm = (typeof CA_KEY_ALGORITHMS)[number];
/** A root rotation's stages, in the order they must be applied (docs/certificates.md). */
export const ROTATION_STAGES = ["trust-both", "reissue", "drop-old"] as const;
export type RotationStage = (typeof ROTATION_STAGES)[number];

export const MIN_CLUSTERS = 2;
export const MAX_CLUSTERS = 64;
/** The cluster-count limits in the words of both checks: the schema's and validation's (config/validate.ts). */
export const CLUSTER_COUNT = {
  tooFew: "needs at least two clusters for a multi-cluster mesh",
  tooMany: (count?: number) =>
    `${count === undefined ? "has more" : `has ${count}`} clusters, at most ${MAX_CLUSTERS} are supported`,
} as const;
/** Room left in GCP names (GKE clusters: 40 characters) after `<prefix>-`. */
export const MAX_NAME_PREFIX = 16;

const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, {
    error: (i) =>
      i.input === undefined
        ? `is required (one of: ${values.join(", ")})`
        : `${quote(i.input)} is not one of: ${values.join(", ")}${typeof i.input === "string" ? didYouMean(i.input, values) : ""}`,
  });

/** A DNS-1123 label that starts with a letter, at most `maxLength` characters. */
const dnsLabel = (maxLength: number) =>
  z.string().superRefine((value, ctx) => {
    const problem = describeLabelProblem(value, maxLength);
    if (problem) ctx.addIssue({ code: "custom", message: problem, input: value });
  });

const cidr = z.string().refine(isIpv4Cidr, {
  error: (i) => `${quote(i.input)} is not an IPv4 CIDR block like 10.0.0.0/20`,
});

/** `x.y.z` without leading zeros, on a supported minor. */
export const istioVersionSchema = z
  .string()
  .regex(/^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/, {
    error: (i) => `${quote(i.input)} is not a version x.y.z (digits, no leading zeros)`,
    abort: true, // a version that is not x.y.z has no minor to compare: one message
  })
  .refine((v) => (SUPPORTED_MINORS as readonly string[]).includes(v.split(".").slice(0, 2).join(".")), {
    error: (i) =>
      `${quote(i.input)} is not supported: supported Istio minors are ${SUPPORTED_MINORS.join(" and ")} (for example ${DEFAULT_ISTIO_VERSION})`,
  });

export const nodePoolSchema = z.strictObject({
  machineType: z
    .string()
    .regex(/^[a-z][a-z0-9]*-[a-z0-9-]+$/, {
      error: (i) => `${quote(i.input)} is not a GCE machine type`,
    })
    .default("e2-standard-4")
    .meta({ description: "Compute Engine machine type of the nodes (changed in place)" }),
  nodeCount: z.int().min(1).max(1000).default(2).meta({
    description: "Nodes per zone, as GKE counts them (a regional cluster has three zones)",
  }),
  spot: z.boolean().default(false).meta({
    description: "Spot VMs; changing it creates the new pool before the old one is deleted",
  }),
  diskSizeGb: z.int().min(20).max(65536).default(50).meta({ description: "Boot disk size per node in GB" }),
});

/** Clusters the program does not create: an existing GKE cluster, or any cluster through a kubeconfig. */
export const EXISTING_KINDS = ["gke", "kubeconfig"] as const;
/** What a platform's load balancer answers with (AWS: a host name). */
export const LOAD_BALANCER_ADDRESSES = ["ip", "hostname"] as const;

const projectId = z
  .string({ error: "is required (pulumi config set gcp:project <id>)" })
  .regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, {
    error: (i) => `${quote(i.input)} is not a GCP project id`,
  });

export const clusterSchema = z.strictObject({
  name: dnsLabel(40).meta({
    description:
      "Istio clusterName; part of every GCP name of a created cluster, the GKE name of an adopted one",
  }),
  // Required unless the cluster comes through a kubeconfig (rules.ts).
  location: z
    .string()
    .regex(/^[a-z]+(-[a-z]+)*[0-9]+(-[a-z])?$/, {
      error: (i) => `${quote(i.input)} is neither a GCP zone (us-east1-b) nor a region (us-east1)`,
    })
    .optional()
    .meta({
      description: "Zone (zonal cluster) or region (regional cluster); not for existing: kubeconfig",
    }),
  network: dnsLabel(40).meta({
    description: "Istio network; created clusters on one network share a VPC and reach each other pod to pod",
  }),
  role: oneOf(ROLES).meta({
    description: "primary runs istiod; remote is configured by a primary (not in multi-primary)",
  }),
  existing: oneOf(EXISTING_KINDS).optional().meta({
    description:
      "Adopt instead of create: gke (by name, location and project) or kubeconfig (from the secret kubeconfigs map)",
  }),
  project: projectId
    .optional()
    .meta({ description: "Project of an existing: gke cluster (default gcp:project)" }),
  loadBalancerAddress: oneOf(LOAD_BALANCER_ADDRESSES).optional().meta({
    description:
      "existing: kubeconfig only: whether the platform's load balancers answer with an ip (default) or a hostname",
  }),
  nodePool: nodePoolSchema.optional().meta({ description: "Node pool of a created cluster (fields below)" }),
  slot: z
    .int()
    .min(0)
    .max(SLOT_COUNT - 1)
    .optional()
    .meta({
      description: `Address slot 0-${SLOT_COUNT - 1} the cluster's ranges come from; default derived from the name (see Address ranges)`,
    }),
  nodeCidr: cidr
    .optional()
    .meta({ description: "Explicit node (subnet primary) range instead of the slot's" }),
  podCidr: cidr.optional().meta({ description: "Explicit pod (secondary) range instead of the slot's" }),
  serviceCidr: cidr
    .optional()
    .meta({ description: "Explicit service (secondary) range instead of the slot's" }),
  istioVersion: istioVersionSchema.optional().meta({
    description:
      "This cluster's Istio version instead of the mesh's (in-place upgrades one cluster at a time; revisions: istioRevisions)",
  }),
});

/** Revision tags the program renders once a mesh uses revisions (istiod chart `revisionTags`). */
export const REVISION_TAGS = ["prod-stable", "prod-canary"] as const;
export type RevisionTag = (typeof REVISION_TAGS)[number];
export const STABLE_REVISION_NAMING = ["unnamed", "versioned"] as const;

/** Canary control-plane upgrades (docs/upgrades.md): absent, a mesh runs one unnamed istiod per primary. */
export const istioRevisionsSchema = z.strictObject({
  stable: oneOf(STABLE_REVISION_NAMING).default("unnamed").meta({
    description:
      "The stable revision: unnamed (the `istiod` release of a mesh built before revisions) or versioned (`istiod-<1-31-1>`, after the first canary upgrade)",
  }),
  canary: istioVersionSchema.optional().meta({
    description:
      "Stage 1: a second istiod revision of this version next to the stable one (`istiod-<1-31-1>`)",
  }),
  canaryClusters: z.array(z.string(), { error: "must be a list of cluster names" }).optional().meta({
    description: "Primaries that run the canary (default: every primary); remotes follow their primary",
  }),
  samplesTag: oneOf(REVISION_TAGS)
    .default("prod-stable")
    .meta({ description: "Stage 2: the revision tag the sample namespaces (and ingress gateway) choose" }),
  promoted: z.boolean().default(false).meta({
    description:
      "Stage 3: prod-stable (and base's defaultRevision, the east-west gateway) moves to the canary",
  }),
});
export type IstioRevisionsConfig = z.output<typeof istioRevisionsSchema>;

/** The node pool of a created cluster that does not describe one. */
export const DEFAULT_NODE_POOL = nodePoolSchema.parse({});

/**
 * The stages applied so far, each appended by one `pulumi up`: the program cannot read the previous
 * deployment, so the list is how it sees a stage that was skipped (a list that is not a prefix of the order).
 */
const rotationStages = z
  .array(oneOf(ROTATION_STAGES), { error: "must be a list of stages, starting with [trust-both]" })
  .min(1, { error: "is empty: a rotation starts with [trust-both]" })
  .superRefine((stages, ctx) => {
    const wrong = stages.findIndex((stage, i) => stage !== ROTATION_STAGES[i]);
    if (wrong < 0) return;
    const expected = ROTATION_STAGES[wrong];
    ctx.addIssue({
      code: "custom",
      path: [wrong],
      input: stages[wrong],
      message:
        expected === undefined
          ? `${quote(stages[wrong])} comes after drop-old, the last stage: remove caRotation to finish (docs/certificates.md)`
          : `${quote(stages[wrong])} where ${expected} belongs: a rotation applies ${ROTATION_STAGES.join(", ")} in this order, appending one stage per pulumi up, none skipped`,
    });
  });

export const caNewRootSchema = z.strictObject({
  name: dnsLabel(16).optional().meta({
    description:
      "Generated new root: a name for its resources, unlike caRootName (after the rotation it becomes caRootName)",
  }),
  keyAlgorithm: oneOf(CA_KEY_ALGORITHMS).optional().meta({
    description:
      "Key type of a generated new root and of the intermediates re-issued under it (default caKeyAlgorithm)",
  }),
  organization: z.string().min(1).max(64).optional().meta({
    description: "O= of a generated new root and of the re-issued intermediates (default caOrganization)",
  }),
  validityHours: z
    .int()
    .min(24 * 30)
    .optional()
    .meta({ description: "Validity of a generated new root in hours (default caRootValidityHours)" }),
  certificate: z.string().optional().meta({
    description:
      "Your own new root (PEM) instead of a generated one; its key goes in the secret caRotationNewRootPrivateKey",
  }),
});

export const caRotationSchema = z.strictObject({
  stages: rotationStages.meta({
    description: `Stages applied so far, one appended per pulumi up: ${ROTATION_STAGES.join(", ")}`,
  }),
  newRoot: caNewRootSchema.meta({ description: "The root the mesh moves to (fields below)" }),
});

export const meshConfigSchema = z.strictObject({
  // Read from gcp:project; reported under that name (see validate.ts).
  project: projectId.meta({ description: "GCP project for every resource (set as gcp:project)" }),
  topology: oneOf(TOPOLOGIES)
    .default("multi-primary")
    .meta({ description: "Mesh layout: multi-primary, primary-remote or shared-control-plane" }),
  meshId: dnsLabel(16)
    .default("mesh1")
    .meta({ description: "Istio meshID shared by every cluster (DNS-1123 label, at most 16 characters)" }),
  namePrefix: dnsLabel(MAX_NAME_PREFIX).optional().meta({
    description:
      "Prefix of every GCP resource name, so several stacks share a project; empty means the stack name (shortened to 16 characters)",
  }),
  istioVersion: istioVersionSchema.default(DEFAULT_ISTIO_VERSION).meta({
    description: "Version of Istio's base, istiod and gateway Helm charts and images (a 1.30 or 1.31 patch)",
  }),
  istioRevisions: istioRevisionsSchema.optional().meta({
    description:
      "Canary control-plane upgrades with revisions and the tags prod-stable/prod-canary (fields below; docs/upgrades.md)",
  }),
  istioChartRepository: z
    .string()
    .regex(/^(https:\/\/|oci:\/\/)[^\s/?#]+(\/[^\s?#]*)?$/, {
      error: (i) => `${quote(i.input)} is neither an https:// Helm repository nor an oci:// registry path`,
    })
    .default(DEFAULT_CHART_REPOSITORY)
    .meta({
      description: `Where Istio's charts come from: an https Helm repository or an oci:// registry (${OCI_CHART_REPOSITORY}), for mirrors`,
    }),
  istioHub: z
    .string()
    .regex(/^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+$/, {
      error: (i) => `${quote(i.input)} is not an image registry path like docker.io/istio`,
    })
    .default(DEFAULT_HUB)
    .meta({
      description:
        "Registry of Istio's images (global.hub of every Istio release, and the sample images), for mirrors",
    }),
  clusters: z
    .array(clusterSchema, { error: "is required: a list of clusters" })
    .min(MIN_CLUSTERS, { error: CLUSTER_COUNT.tooFew })
    .max(MAX_CLUSTERS, { error: CLUSTER_COUNT.tooMany() })
    .meta({ description: "The clusters (a list of objects, see below)" }),
  deletionProtection: z.boolean().default(false).meta({
    description: "GKE deletion protection; when true, `pulumi destroy` refuses to delete the clusters",
  }),
  privateNodes: z.boolean().default(false).meta({
    description: "Nodes without public IPs (Cloud NAT for egress, webhook firewall rule on tcp:15017)",
  }),
  deleteUnreachable: z.boolean().default(false).meta({
    description:
      "Recovery: drop a cluster's Kubernetes objects from state when its API server is unreachable (a cluster deleted outside Pulumi)",
  }),
  masterAuthorizedNetworks: z.array(cidr, { error: "must be a list of CIDR blocks" }).default([]).meta({
    description:
      "Operator CIDRs allowed to reach the clusters' API servers (needs privateNodes; the mesh's NAT addresses are added); empty allows all",
  }),
  releaseChannel: oneOf(RELEASE_CHANNELS)
    .default("REGULAR")
    .meta({ description: "GKE release channel (RAPID, REGULAR, STABLE or EXTENDED)" }),
  caKeyAlgorithm: oneOf(CA_KEY_ALGORITHMS).default("RSA").meta({
    description:
      "Key type of the mesh root and intermediate CAs (RSA 4096 like Istio's tooling, or ECDSA P-384)",
  }),
  caOrganization: z
    .string()
    .min(1)
    .max(64)
    .default("Istio")
    .meta({ description: "Organization (O=) of the mesh CA certificates" }),
  caRootValidityHours: z
    .int()
    .min(24 * 30)
    .default(24 * 365 * 10)
    .meta({ description: "Validity of a generated root CA in hours (default 10 years)" }),
  caIntermediateValidityHours: z
    .int()
    .min(24)
    .default(24 * 365)
    .meta({ description: "Validity of each cluster's intermediate CA in hours (default 1 year)" }),
  caEarlyRenewalHours: z
    .int()
    .min(0)
    .default(24 * 30)
    .meta({ description: "An intermediate this close to expiry is re-issued on the next `pulumi up`" }),
  caRootCertificate: z.string().optional().meta({
    description:
      "Bring-your-own root CA certificate (PEM); empty generates a root. Requires caRootPrivateKey",
  }),
  caRootName: dnsLabel(16).optional().meta({
    description:
      "Names the generated root's resources (mesh-ca-root-<name>); set when a rotation finishes (caRotation.newRoot.name)",
  }),
  caRotation: caRotationSchema.optional().meta({
    description: "A staged root rotation in progress (docs/certificates.md; fields below)",
  }),
  helloworld: z
    .boolean()
    .default(false)
    .meta({ description: "Deploy helloworld v1/v2 and a curl client per cluster in namespace sample" }),
  onlineBoutique: z
    .boolean()
    .default(false)
    .meta({ description: "Deploy Online Boutique split across clusters with an Istio ingress gateway" }),
  bookinfo: z.boolean().default(false).meta({
    description: "Deploy Bookinfo in namespace bookinfo with reviews-v3 in another cluster than productpage",
  }),
  httpbin: z.boolean().default(false).meta({
    description: "Deploy httpbin in namespace httpbin in one cluster and a curl client in another",
  }),
  fleet: z.boolean().default(false).meta({
    description:
      "Register every GKE cluster (created or adopted) as a membership of the project's fleet; other clusters are not registered",
  }),
  verifyOnUp: z.boolean().default(false).meta({
    description:
      "Run the cross-cluster traffic check at the end of `pulumi up` (needs helloworld, bookinfo or httpbin, and kubectl)",
  }),
});

export type MeshSettingsInput = z.input<typeof meshConfigSchema>;
export type MeshSettings = z.output<typeof meshConfigSchema>;
export type ClusterConfig = MeshSettings["clusters"][number];
export type NodePoolConfig = z.output<typeof nodePoolSchema>;

/** The validated config: the settings with defaults, the resolved name prefix and what validation learnt. */
export type MeshConfig = Omit<MeshSettings, "namePrefix"> & {
  /** Resolved: the configured prefix, or the one derived from the stack name. */
  namePrefix: string;
  /** A bring-your-own root key was given (its value travels separately, as a secret). */
  caRootPrivateKeySet: boolean;
  /** The key of a bring-your-own new root of a rotation was given (it travels separately, as a secret). */
  caRotationNewRootPrivateKeySet: boolean;
  /**
   * API server URL of each `existing: kubeconfig` cluster, by name, read from its kubeconfig's current
   * context: an address (the stack outputs show it), not a secret like the kubeconfig itself.
   */
  kubeconfigServers: Readonly<Record<string, string>>;
};

/** Keys Pulumi.yaml does not declare: gcp:project, and the lists and objects its schema cannot type. */
export const NOT_DECLARED = ["project", "clusters", "caRotation", "istioRevisions"] as const;
