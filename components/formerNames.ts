// Resources under a MulticlusterMesh carry the mesh's name (two meshes may share cluster and network names).
// Stacks created before that keep every resource through a name alias to its former name. The parent chain's
// types did not change, so the engine resolves `{ name }` against the same type chain as the old URN
// (pulumi/pulumi pkg/resource/deploy/step_generator.go, collapseAliasToUrn: an unset type and parent are
// the resource's own). Reads (`Resource.get`) need none: a read is repeated on every update.
import type * as pulumi from "@pulumi/pulumi";

/** Options that find a resource under the name it had before it carried its mesh's name. */
export function formerly(name: string): { aliases: pulumi.Alias[] } {
  return { aliases: [{ name }] };
}

/**
 * The former name of a child named `${component}${suffix}`, read from the name alias its component was
 * given (`formerly`): for the few children whose former name came from the component's own former name.
 */
export function formerChild(
  componentOpts: pulumi.ComponentResourceOptions | undefined,
  suffix: string,
): { aliases?: pulumi.Alias[] } {
  const names = (componentOpts?.aliases ?? []).flatMap((a) =>
    typeof a === "object" && a !== null && "name" in a && typeof a.name === "string" ? [a.name] : [],
  );
  return names.length > 0 ? { aliases: names.map((name) => ({ name: `${name}${suffix}` })) } : {};
}
