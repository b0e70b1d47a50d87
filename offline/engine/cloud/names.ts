// Name rules of the real APIs, as pure checks: each returns the API's complaint, or undefined when the
// name is accepted. Sources are cited next to each rule.

export type NameRule = (value: string) => string | undefined;

const tooLong = (value: string, max: number) => value.length > max;

// --- Google Cloud -------------------------------------------------------------------------------------

/** The provider's own validation error (terraform-provider-google-beta verify/validation.go ValidateRegexp). */
const regexpError = (field: string, value: string, regex: string) =>
  `${JSON.stringify(field)} (${JSON.stringify(value)}) doesn't match regexp ${JSON.stringify(regex)}`;

/**
 * Compute Engine resource names (Network, Subnetwork, Firewall, Router, Address, secondary range names):
 * RFC 1035, 1-63 characters. TPGB v7.45.0 verify/validation.go ValidateGCEName, citing
 * https://cloud.google.com/compute/docs/naming-resources#resource-name-format.
 */
export const GCE_NAME = "^(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)$";
export function gceName(field: string): NameRule {
  return (value) => (new RegExp(GCE_NAME).test(value) ? undefined : regexpError(field, value, GCE_NAME));
}

/** TPGB verify/validation.go ValidateRFC1035Name(min, max): the length and the RFC 1035 shape. */
export function rfc1035Name(field: string, min: number, max: number): NameRule {
  const regex = "^[a-z]([-a-z0-9]*[a-z0-9])?$";
  return (value) => {
    const errors: string[] = [];
    if (value.length < min || value.length > max) {
      errors.push(
        `${JSON.stringify(field)} (${JSON.stringify(value)}) must be between ${min} and ${max} characters long`,
      );
    }
    if (!new RegExp(regex).test(value)) {
      errors.push(
        `${JSON.stringify(field)} (${JSON.stringify(value)}) must match regex ${JSON.stringify(regex)}`,
      );
    }
    return errors.length > 0 ? errors.join("; ") : undefined;
  };
}

/** Cloud NAT: RFC 1035, 2-63 (TPGB services/compute/resource_compute_router_nat.go ValidateRFC1035Name(2, 63)). */
export const routerNatName = rfc1035Name("name", 2, 63);

/** Service account ids: RFC 1035, 6-30 (TPGB services/resourcemanager/resource_google_service_account.go). */
export const serviceAccountId = rfc1035Name("account_id", 6, 30);

/**
 * GKE cluster names: at most 40 characters of [a-z0-9-], starting with a letter and ending with a letter or
 * digit (TPGB v7.45.0 services/container/resource_container_cluster.go, the `name` ValidateFunc).
 */
export const clusterName: NameRule = (value) => {
  const errors: string[] = [];
  if (tooLong(value, 40)) errors.push(`"name" cannot be longer than 40 characters`);
  if (!/^[a-z0-9-]+$/.test(value))
    errors.push(`"name" can only contain lowercase letters, numbers and hyphens`);
  if (!/^[a-z]/.test(value)) errors.push(`"name" must start with a letter`);
  if (!/[a-z0-9]$/.test(value)) errors.push(`"name" must end with a number or a letter`);
  return errors.length > 0 ? errors.join("; ") : undefined;
};

/**
 * GKE node pool names: the GKE API (not the provider) enforces this regex, at most 40 characters; the
 * error is quoted in pulumi/pulumi-gcp#1510 and hashicorp/terraform-provider-google#3411.
 */
export const NODE_POOL_NAME = "(?:[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?)";
export const nodePoolName: NameRule = (value) =>
  new RegExp(`^${NODE_POOL_NAME}$`).test(value)
    ? undefined
    : `googleapi: Error 400: Invalid value for field "node_pool.name": ${JSON.stringify(value)}. ` +
      `Must be a match of regex '${NODE_POOL_NAME}' (only alphanumerics and '-' allowed, must start with a ` +
      `letter and end with an alphanumeric, and must be no longer than 40 characters)., badRequest`;

/**
 * Network tags (nodeConfig.tags): "Each tag must be 1-63 characters long, and comply with RFC1035"
 * (Compute API Tags.items; GKE NodeConfig.tags). A leading letter is the documented common subset.
 */
export function networkTag(index: number): NameRule {
  return (value) =>
    new RegExp(GCE_NAME).test(value)
      ? undefined
      : `googleapi: Error 400: Invalid value for field 'resource.tags.items[${index}]': '${value}'. ` +
        `Must be a match of regex '${GCE_NAME.slice(1, -1)}', invalid`;
}

/**
 * GCE labels (GKE resourceLabels): keys 1-63 of lowercase letters, digits, '_' and '-' (international
 * characters allowed), starting with a lowercase or international letter; values 0-63 of the same set;
 * at most 64 labels. https://cloud.google.com/resource-manager/docs/creating-managing-labels#requirements
 */
export function gceLabels(field: string, labels: Record<string, unknown>): string | undefined {
  const key = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u;
  const value = /^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u;
  const entries = Object.entries(labels);
  const invalid = (what: string, text: string) =>
    `googleapi: Error 400: Invalid value for field '${field}': label ${what} '${text}' violates the ` +
    `label requirements (lowercase letters, digits, '_' and '-', at most 63 characters), badRequest`;
  if (entries.length > 64) return `googleapi: Error 400: '${field}' has more than 64 labels, badRequest`;
  for (const [k, v] of entries) {
    if (!key.test(k)) return invalid("key", k);
    if (!value.test(String(v))) return invalid("value", String(v));
  }
  return undefined;
}

// --- Kubernetes (k8s.io/apimachinery/pkg/util/validation/validation.go) --------------------------------

const DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1035_LABEL = "[a-z]([-a-z0-9]*[a-z0-9])?";
const QUALIFIED_NAME = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_VALUE = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";

const shape = (regex: string, max: number, explanation: string): NameRule => {
  const compiled = new RegExp(`^${regex}$`);
  return (value) => {
    if (tooLong(value, max)) return `must be no more than ${max} characters`;
    return compiled.test(value) ? undefined : `${explanation}, regex used for validation is '${regex}')`;
  };
};

/** IsDNS1123Subdomain: most object names (Secret, ConfigMap, Deployment, custom resources...). */
export const dns1123Subdomain = shape(
  DNS1123_SUBDOMAIN,
  253,
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and " +
    "must start and end with an alphanumeric character (e.g. 'example.com'",
);

/** IsDNS1123Label: Namespace names. */
export const dns1123Label = shape(
  DNS1123_LABEL,
  63,
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start " +
    "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc'",
);

/**
 * IsDNS1035Label: Service names (ValidateServiceName = NameIsDNS1035Label; the message is quoted in
 * pulumi/pulumi-kubernetes#2001). KEP-5311 relaxes this to a DNS-1123 label behind a feature gate (alpha
 * in 1.34): the stricter rule holds on every GKE version.
 */
export const dns1035Label = shape(
  DNS1035_LABEL,
  63,
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic " +
    "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123'",
);

/** IsValidLabelValue: at most 63 characters, alphanumeric at both ends, `-_.` inside; may be empty. */
export const labelValue = shape(
  LABEL_VALUE,
  63,
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and " +
    "must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345'",
);

/** IsQualifiedName: label keys, `[prefix/]name` with a DNS-1123 subdomain prefix and a 63-character name. */
export const labelKey: NameRule = (key) => {
  const parts = key.split("/");
  if (parts.length > 2) return "a qualified name must consist of an optional DNS subdomain prefix and a name";
  const [prefix, name] = parts.length === 2 ? [parts[0]!, parts[1]!] : [undefined, parts[0]!];
  if (prefix !== undefined) {
    const problem = prefix === "" ? "prefix part must be non-empty" : dns1123Subdomain(prefix);
    if (problem) return `prefix part ${problem}`;
  }
  return shape(
    QUALIFIED_NAME,
    63,
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " +
      "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc'",
  )(name);
};

// --- Helm (helm.sh/helm/v3 pkg/action and pkg/chartutil ValidateReleaseName) -------------------------

/**
 * Release names: this regex and at most 53 characters ("we reserve 10 for charts to add data",
 * releaseNameMaxLen in pkg/action/action.go). The regex is Helm's; it allows dot-separated DNS labels.
 */
const HELM_RELEASE_NAME = `^${DNS1123_LABEL}(\\.${DNS1123_LABEL})*$`;
export const helmReleaseName: NameRule = (value) =>
  new RegExp(HELM_RELEASE_NAME).test(value) && value.length <= 53
    ? undefined
    : `release name ${JSON.stringify(value)}: invalid release name, must match regex ${HELM_RELEASE_NAME} ` +
      `and the length must not be longer than 53`;
