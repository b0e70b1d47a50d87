// Rules that relate several fields: topology against roles and networks, unique names, address ranges.
// Each returns problems as "<field>: <message>" so the user sees exactly what to change.
import { formatCidr, isPrivate, overlaps, parseCidr, type Ipv4Range } from "../addressing/cidr";
import { RESERVED_RANGES } from "../addressing/pools";
import type { MeshConfig } from "./schema";

type Rule = (config: MeshConfig) => string[];

const uniqueClusterNames: Rule = ({ clusters }) =>
  clusters.flatMap((c, i) => {
    const first = clusters.findIndex((o) => o.name === c.name);
    return first < i ? [`clusters[${i}].name: "${c.name}" is already used by clusters[${first}]`] : [];
  });

const rolesFitTopology: Rule = ({ topology, clusters }) => {
  if (topology === "multi-primary") {
    return clusters.flatMap((c, i) =>
      c.role === "remote"
        ? [`clusters[${i}].role: "remote" is not allowed in multi-primary (every cluster runs istiod)`]
        : [],
    );
  }
  const primaries = clusters.filter((c) => c.role === "primary").length;
  return primaries === 1
    ? []
    : [`clusters: ${topology} needs exactly one cluster with role "primary", found ${primaries}`];
};

const oneNetworkForSharedControlPlane: Rule = ({ topology, clusters }) => {
  if (topology !== "shared-control-plane") return [];
  const first = clusters[0]?.network;
  return clusters.flatMap((c, i) =>
    c.network !== first
      ? [
          `clusters[${i}].network: "${c.network}" differs from "${first}": shared-control-plane puts every cluster on one network`,
        ]
      : [],
  );
};

const RANGE_LIMITS = {
  nodeCidr: { min: 8, max: 29 },
  podCidr: { min: 9, max: 21 },
  serviceCidr: { min: 16, max: 27 },
} as const;
type RangeField = keyof typeof RANGE_LIMITS;

const explicitRanges: Rule = ({ clusters, privateNodes }) => {
  const problems: string[] = [];
  const seen: { field: string; text: string; range: Ipv4Range }[] = [];
  clusters.forEach((c, i) => {
    for (const key of Object.keys(RANGE_LIMITS) as RangeField[]) {
      const text = c[key];
      const range = text === undefined ? undefined : parseCidr(text);
      if (text === undefined || range === undefined) continue;
      const field = `clusters[${i}].${key}`;
      const { min, max } = RANGE_LIMITS[key];
      if (range.prefix < min || range.prefix > max) {
        problems.push(`${field}: "${text}" must have a prefix length between /${min} and /${max}`);
      }
      if (!isPrivate(range)) problems.push(`${field}: "${text}" is not in private (RFC 1918) address space`);
      const clash = seen.find((s) => overlaps(s.range, range));
      if (clash) problems.push(`${field}: "${text}" overlaps ${clash.field} "${clash.text}"`);
      if (privateNodes && overlaps(RESERVED_RANGES.controlPlanes, range)) {
        problems.push(
          `${field}: "${text}" overlaps ${formatCidr(RESERVED_RANGES.controlPlanes)}, kept for private control planes`,
        );
      }
      seen.push({ field, text, range });
    }
  });
  return problems;
};

const caRootPair: Rule = ({ caRootCertificate, caRootPrivateKeySet }) => {
  if (caRootCertificate !== undefined && !caRootPrivateKeySet) {
    return ["caRootPrivateKey: is required (as a secret) when caRootCertificate is set"];
  }
  if (caRootCertificate === undefined && caRootPrivateKeySet) {
    return ["caRootCertificate: is required when caRootPrivateKey is set"];
  }
  return [];
};

const caValidity: Rule = ({ caRootValidityHours, caIntermediateValidityHours, caEarlyRenewalHours }) => [
  ...(caIntermediateValidityHours >= caRootValidityHours
    ? [`caIntermediateValidityHours: ${caIntermediateValidityHours} must be shorter than caRootValidityHours`]
    : []),
  ...(caEarlyRenewalHours >= caIntermediateValidityHours
    ? [`caEarlyRenewalHours: ${caEarlyRenewalHours} must be shorter than caIntermediateValidityHours`]
    : []),
];

const samplesNeedEachOther: Rule = ({ verifyOnUp, helloworld }) =>
  verifyOnUp && !helloworld ? ["verifyOnUp: needs helloworld: true (the check calls helloworld)"] : [];

export const CROSS_FIELD_RULES: readonly Rule[] = [
  uniqueClusterNames,
  rolesFitTopology,
  oneNetworkForSharedControlPlane,
  explicitRanges,
  caRootPair,
  caValidity,
  samplesNeedEachOther,
];
