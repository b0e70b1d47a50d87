// Property names of the installed @pulumi/gcp, read from its typings: an independent record of how the
// bridge names each Terraform field (camelCase, plural lists, MaxItems=1 blocks as objects).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../../offline/engine/stackFiles";

const GCP = join(ROOT, "node_modules", "@pulumi", "gcp");

/** Interface name -> its property names, over every interface of a typings file (namespaces ignored). */
function interfacesOf(source: string, indent: string): Map<string, Set<string>> {
  const interfaces = new Map<string, Set<string>>();
  const block = new RegExp(`\\n${indent}(?:export )?interface (\\w+) \\{\\n([\\s\\S]*?)\\n${indent}\\}`, "g");
  for (const [, name, body] of source.matchAll(block)) {
    const props = interfaces.get(name!) ?? new Set<string>();
    for (const [, prop] of body!.matchAll(new RegExp(`^${indent}    (?:readonly )?(\\w+)\\??:`, "gm"))) {
      props.add(prop!);
    }
    interfaces.set(name!, props);
  }
  return interfaces;
}

let nestedTypes: Map<string, Set<string>> | undefined;

/** Nested input and output types (`ClusterNodeConfig`, `SubnetworkSecondaryIpRange`, ...). */
export function nestedTypeProperties(): Map<string, Set<string>> {
  if (!nestedTypes) {
    nestedTypes = new Map();
    for (const file of ["input.d.ts", "output.d.ts"]) {
      const source = readFileSync(join(GCP, "types", file), "utf8");
      for (const [name, props] of interfacesOf(source, "    ")) {
        nestedTypes.set(name, new Set([...(nestedTypes.get(name) ?? []), ...props]));
      }
    }
  }
  return nestedTypes;
}

/** The top-level properties of a resource (its `<Class>State` interface: inputs and outputs). */
export function resourceProperties(token: string): Set<string> {
  const [, modulePath, className] = token.split(":") as [string, string, string];
  const [module, resource] = modulePath.split("/") as [string, string];
  // Files are named after the resource's module path, except where the SDK lowercases them (iAMMember).
  const candidates = [resource, resource.toLowerCase()].map((f) => join(GCP, module, `${f}.d.ts`));
  const file = candidates.find((path) => {
    try {
      readFileSync(path);
      return true;
    } catch {
      return false;
    }
  });
  if (!file) throw new Error(`no typings for ${token}`);
  const state = interfacesOf(readFileSync(file, "utf8"), "").get(`${className}State`);
  if (!state) throw new Error(`${file} has no ${className}State`);
  return state;
}

/**
 * The nested type that holds the fields below a Pulumi path, e.g. `Cluster` + `nodeConfig` ->
 * `ClusterNodeConfig`; list segments are singular in type names (`cidrBlocks` -> `...CidrBlock`).
 */
export function nestedTypeNames(className: string, parentPath: string): string[] {
  const types = nestedTypeProperties();
  let names = [className];
  for (const segment of parentPath.split(".")) {
    const pascal = segment[0]!.toUpperCase() + segment.slice(1);
    const forms = new Set([
      pascal,
      pascal.replace(/ies$/, "y"),
      pascal.replace(/es$/, ""),
      pascal.replace(/s$/, ""),
    ]);
    names = names.flatMap((prefix) => [...forms].map((f) => prefix + f)).filter((n) => types.has(n));
  }
  return names;
}

/** @pulumi/gcp's installed version. */
export function installedPulumiGcpVersion(): string {
  return (JSON.parse(readFileSync(join(GCP, "package.json"), "utf8")) as { version: string }).version;
}
