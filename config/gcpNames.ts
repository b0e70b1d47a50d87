// The planner's GCP resources (plan/resources.ts) for the settings that parsed, each with the fields
// that make its name and what is wrong with it: validation reports names against the fields to change.
import { NAME_RULES, nameRuleProblem, type NameKind } from "../gcp/names";
import { planGcpResources, type GcpResource, type NamePart } from "../plan/resources";
import type { RuleInput } from "./rules";

export interface NamedThing {
  readonly kind: NameKind;
  /** Where the name must be unique: the project, a region, a location, a cluster... */
  readonly scope: string;
  readonly name: string;
  /** The field a user most likely changes, first in the message. */
  readonly field: string;
  /** Everything the name is made of. */
  readonly parts: readonly string[];
  readonly problem?: string;
  readonly resource: GcpResource;
}

/** The planner's resources for what parsed; duplicate cluster names are reported on their own (rules.ts). */
export function meshGcpResources(input: RuleInput): GcpResource[] {
  const { settings, clusters } = input;
  const unique = clusters.filter(
    (c, i) => clusters.findIndex((o) => o.cluster.name === c.cluster.name) === i,
  );
  return planGcpResources({
    project: settings.project ?? "",
    namePrefix: input.namePrefix,
    topology: settings.topology ?? "multi-primary",
    privateNodes: settings.privateNodes ?? false,
    fleet: settings.fleet ?? false,
    onlineBoutique: settings.onlineBoutique ?? false,
    clusters: unique.map(({ cluster }) => cluster),
  });
}

export function meshGcpNames(input: RuleInput): NamedThing[] {
  const fieldOf = new Map<string, string>();
  for (const { field, cluster } of input.clusters)
    if (!fieldOf.has(cluster.name)) fieldOf.set(cluster.name, field);
  const partName = (part: NamePart) =>
    "setting" in part
      ? input.namePrefixField
      : "region" in part
        ? `the region ${part.region}`
        : `${fieldOf.get(part.cluster)}.${part.key}`;
  return meshGcpResources(input).map((resource) => {
    const parts = resource.madeOf.map(partName);
    const problem = nameRuleProblem(NAME_RULES[resource.kind], resource.name);
    const made = parts.length > 1 ? ` (made of ${parts.join(", ")}: shorten one of them)` : "";
    return {
      kind: resource.kind,
      scope: `${resource.project}/${resource.scope}/${resource.within}`,
      name: resource.name,
      field: parts[0]!,
      parts,
      resource,
      ...(problem ? { problem: `${problem}${made}` } : {}),
    };
  });
}
