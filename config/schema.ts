// Shape of the stack config, checked with zod before any resource exists. Cross-field rules
// (topology vs roles, overlapping ranges) live in ./rules.ts so that every problem is reported at once.
import { z } from "zod";
import { isIpv4Cidr } from "../addressing/cidr";
import {
  DEFAULT_CHART_REPOSITORY,
  DEFAULT_HUB,
  DEFAULT_ISTIO_VERSION,
  SUPPORTED_MINORS,
} from "../istio/artifacts";
import { DNS_LABEL } from "../kube/names";

export const TOPOLOGIES = ["multi-primary", "primary-remote", "shared-control-plane"] as const;
export type Topology = (typeof TOPOLOGIES)[number];
export const ROLES = ["primary", "remote"] as const;
export type Role = (typeof ROLES)[number];
export const RELEASE_CHANNELS = ["RAPID", "REGULAR", "STABLE", "EXTENDED"] as const;
export type ReleaseChannel = (typeof RELEASE_CHANNELS)[number];
export const CA_KEY_ALGORITHMS = ["RSA", "ECDSA"] as const;
export type CaKeyAlgorithm = (typeof CA_KEY_ALGORITHMS)[number];

export const MAX_CLUSTERS = 64;

const ZONE = /^[a-z]+-[a-z]+[0-9]+-[a-z]$/;
export const REGION = /^[a-z]+-[a-z]+[0-9]+$/;

const dnsLabel = (maxLength: number) =>
  z
    .string()
    .refine((v) => DNS_LABEL.test(v), { error: (i) => `${JSON.stringify(i.input)} is not a DNS-1123 label` })
    .refine((v) => /^[a-z]/.test(v), { error: (i) => `${JSON.stringify(i.input)} must start with a letter` })
    .refine((v) => v.length <= maxLength, {
      error: (i) => `${JSON.stringify(i.input)} is longer than ${maxLength} characters`,
    });

/** `x.y.z` without leading zeros, on a supported minor. */
const istioVersion = z
  .string()
  .regex(/^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/, {
    error: (i) => `${JSON.stringify(i.input)} is not a version x.y.z (digits, no leading zeros)`,
  })
  .refine((v) => (SUPPORTED_MINORS as readonly string[]).includes(v.split(".").slice(0, 2).join(".")), {
    error: (i) =>
      `${JSON.stringify(i.input)} is not supported: supported Istio minors are ${SUPPORTED_MINORS.join(" and ")} (for example ${DEFAULT_ISTIO_VERSION})`,
  });

const cidr = z.string().refine(isIpv4Cidr, {
  error: (i) => `${JSON.stringify(i.input)} is not an IPv4 CIDR block like 10.0.0.0/20`,
});

export const nodePoolSchema = z.strictObject({
  machineType: z
    .string()
    .regex(/^[a-z][a-z0-9]*-[a-z0-9-]+$/, {
      error: (i) => `${JSON.stringify(i.input)} is not a GCE machine type`,
    })
    .default("e2-standard-4"),
  nodeCount: z.int().min(1).max(100).default(2),
  spot: z.boolean().default(false),
  diskSizeGb: z.int().min(20).max(2000).default(50),
});

export const clusterSchema = z.strictObject({
  // GKE allows 40 characters; the name also prefixes subnet, address and firewall names.
  name: dnsLabel(40),
  location: z.string().refine((v) => ZONE.test(v) || REGION.test(v), {
    error: (i) => `${JSON.stringify(i.input)} is neither a GCP zone (us-east1-b) nor a region (us-east1)`,
  }),
  network: dnsLabel(40),
  role: z.enum(ROLES, { error: (i) => `${JSON.stringify(i.input)} is not one of: ${ROLES.join(", ")}` }),
  nodePool: nodePoolSchema.prefault({}),
  nodeCidr: cidr.optional(),
  podCidr: cidr.optional(),
  serviceCidr: cidr.optional(),
});

export const meshConfigSchema = z.strictObject({
  // Read from gcp:project; reported under that name (see validate.ts).
  project: z
    .string({ error: "is required (pulumi config set gcp:project <id>)" })
    .regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, {
      error: (i) => `${JSON.stringify(i.input)} is not a GCP project id`,
    }),
  topology: z
    .enum(TOPOLOGIES, { error: (i) => `${JSON.stringify(i.input)} is not one of: ${TOPOLOGIES.join(", ")}` })
    .default("multi-primary"),
  meshId: dnsLabel(16).default("mesh1"),
  istioVersion: istioVersion.default(DEFAULT_ISTIO_VERSION),
  istioChartRepository: z
    .string()
    .regex(/^(https:\/\/|oci:\/\/)[^\s/?#]+(\/[^\s?#]*)?$/, {
      error: (i) =>
        `${JSON.stringify(i.input)} is neither an https:// Helm repository nor an oci:// registry path`,
    })
    .default(DEFAULT_CHART_REPOSITORY),
  istioHub: z
    .string()
    .regex(/^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+$/, {
      error: (i) => `${JSON.stringify(i.input)} is not an image registry path like docker.io/istio`,
    })
    .default(DEFAULT_HUB),
  clusters: z
    .array(clusterSchema, { error: "is required: a list of clusters" })
    .min(2, { error: "needs at least two clusters for a multi-cluster mesh" })
    .max(MAX_CLUSTERS, { error: `has more than ${MAX_CLUSTERS} clusters` }),
  deletionProtection: z.boolean().default(false),
  privateNodes: z.boolean().default(false),
  releaseChannel: z.enum(RELEASE_CHANNELS).default("REGULAR"),
  // Mesh CA (see components/meshCa.ts). The root private key itself is a secret key read separately:
  // validation only learns whether it is set.
  caKeyAlgorithm: z.enum(CA_KEY_ALGORITHMS).default("RSA"),
  caOrganization: z.string().min(1).max(64).default("Istio"),
  caRootValidityHours: z
    .int()
    .min(24 * 30)
    .default(24 * 365 * 10),
  caIntermediateValidityHours: z
    .int()
    .min(24)
    .default(24 * 365),
  caEarlyRenewalHours: z
    .int()
    .min(0)
    .default(24 * 30),
  caRootCertificate: z
    .string()
    .refine((v) => v.includes("-----BEGIN CERTIFICATE-----"), {
      error: "is not a PEM certificate (-----BEGIN CERTIFICATE-----)",
    })
    .optional(),
  caRootPrivateKeySet: z.boolean().default(false),
  // Sample applications and the traffic check.
  helloworld: z.boolean().default(false),
  onlineBoutique: z.boolean().default(false),
  verifyOnUp: z.boolean().default(false),
});

export type MeshConfigInput = z.input<typeof meshConfigSchema>;
/** The settings a user writes (stack config or MulticlusterMesh args), without what the program adds. */
export type MeshSettingsInput = Omit<MeshConfigInput, "caRootPrivateKeySet">;
export type MeshConfig = z.output<typeof meshConfigSchema>;
export type ClusterConfig = MeshConfig["clusters"][number];
