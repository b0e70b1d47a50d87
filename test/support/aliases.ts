// The URNs the engine would look a registration up by: its own, and one per name alias. The engine completes
// an alias spec from the resource itself (pulumi/pulumi pkg/resource/deploy/step_generator.go,
// collapseAliasToUrn: an empty type or parent is the resource's own, and an aliased parent's old URN enters
// only through its types). The program's aliases give names only and never change a type, so an alias URN
// is the resource's own URN with the old name.
import type { RecordedResource } from "../../offline/engine/recorder";

/** The URN and every alias URN of a resource. */
export function identitiesOf(resource: RecordedResource): string[] {
  const base = resource.urn.slice(0, resource.urn.lastIndexOf("::") + 2);
  return [resource.urn, ...resource.aliasNames.map((name) => `${base}${name}`)];
}
