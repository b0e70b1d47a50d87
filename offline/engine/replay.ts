// The SDK floor of an evaluation: a trivial program that registers exactly the resources a recording holds
// (the same classes, so the same output properties and secret outputs per resource; the same names,
// parents, providers, dependencies, aliases and secret inputs; every input a plain value) and does nothing else: no config, no plan,
// no Output built from another Output, no apply. Timed next to the real program by `npm run bench`, it is
// the least time this SDK and the mock engine need for that graph.
import * as command from "@pulumi/command";
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { providerUrnOf, STACK_TYPE } from "../graph";
import type { RecordedResource } from "./recorder";

/** What a replay needs of one registration; JSON-serializable, so it can cross a process boundary. */
export type ReplayRecord = Pick<
  RecordedResource,
  | "urn"
  | "type"
  | "name"
  | "custom"
  | "parent"
  | "provider"
  | "dependencies"
  | "aliasNames"
  | "inputs"
  | "secretInputs"
>;

export interface ReplayScript {
  records: ReplayRecord[];
  /** Stack outputs with secrets unwrapped. */
  outputs: Record<string, unknown>;
}

export function replayScript(resources: readonly RecordedResource[], outputs: Record<string, unknown>) {
  const records = resources.map((r): ReplayRecord => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    custom: r.custom,
    parent: r.parent,
    provider: r.provider,
    dependencies: r.dependencies,
    aliasNames: r.aliasNames,
    inputs: r.inputs,
    secretInputs: r.secretInputs,
  }));
  return { records, outputs } satisfies ReplayScript;
}

type Args = Record<string, unknown>;
type CustomClass = new (name: string, args: Args, opts: pulumi.CustomResourceOptions) => pulumi.Resource;

/** Resource classes by type token. Reading them loads the providers' lazy modules: do it before timing. */
export function resourceClasses(): ReadonlyMap<string, CustomClass> {
  const classes: unknown[] = [
    gcp.compute.Address,
    gcp.compute.Firewall,
    gcp.compute.GlobalAddress,
    gcp.compute.Network,
    gcp.compute.Router,
    gcp.compute.RouterNat,
    gcp.compute.Subnetwork,
    gcp.container.Cluster,
    gcp.container.NodePool,
    gcp.projects.IAMMember,
    gcp.serviceaccount.Account,
    k8s.apps.v1.Deployment,
    k8s.core.v1.ConfigMap,
    k8s.core.v1.Namespace,
    k8s.core.v1.Secret,
    k8s.core.v1.Service,
    k8s.core.v1.ServiceAccount,
    k8s.helm.v3.Release,
    tls.CertRequest,
    tls.LocallySignedCert,
    tls.PrivateKey,
    tls.SelfSignedCert,
    command.local.Command,
  ];
  // Every generated resource class carries its type token as a static (hidden from the typings).
  const token = (c: unknown) => (c as { __pulumiType: string }).__pulumiType;
  const map = new Map(classes.map((c) => [token(c), c as CustomClass]));
  map.set(`pulumi:providers:${token(k8s.Provider)}`, k8s.Provider as unknown as CustomClass);
  return map;
}

/** Provider classes send their non-string settings JSON-encoded: decode them so the class encodes them once. */
function decodeSettings(inputs: Args): Args {
  return Object.fromEntries(
    Object.entries(inputs).map(([key, value]) => {
      if (typeof value !== "string") return [key, value];
      try {
        const decoded: unknown = JSON.parse(value);
        return [key, typeof decoded === "string" ? value : decoded];
      } catch {
        return [key, value];
      }
    }),
  );
}

/** A component that, like the program's, registers its (here empty) outputs at once. */
class ReplayedComponent extends pulumi.ComponentResource {
  constructor(type: string, name: string, opts: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
    this.registerOutputs({});
  }
}

/** Registers every record; call inside a Pulumi program (evaluate's `program` option). */
export function replay(script: ReplayScript, classes = resourceClasses()): Record<string, unknown> {
  const created = new Map<string, pulumi.Resource>();
  const resource = (urn: string): pulumi.Resource => {
    const found = created.get(urn);
    if (!found) throw new Error(`replay: ${urn} is used before it is registered`);
    return found;
  };
  for (const r of script.records) {
    if (r.type === STACK_TYPE) continue;
    const parentRecorded = r.parent !== "" && !r.parent.includes(`::${STACK_TYPE}::`);
    const opts: pulumi.CustomResourceOptions = {
      ...(parentRecorded ? { parent: resource(r.parent) } : {}),
      ...(r.dependencies.length > 0 ? { dependsOn: r.dependencies.map(resource) } : {}),
      // The SDK resolves each alias per registration: the floor pays for them as the program does.
      ...(r.aliasNames.length > 0 ? { aliases: r.aliasNames.map((name) => ({ name })) } : {}),
    };
    if (!r.custom) {
      created.set(r.urn, new ReplayedComponent(r.type, r.name, opts));
      continue;
    }
    const args: Args = r.type.startsWith("pulumi:providers:") ? decodeSettings(r.inputs) : { ...r.inputs };
    for (const key of r.secretInputs) args[key] = pulumi.secret(args[key]);
    const custom: pulumi.CustomResourceOptions = {
      ...opts,
      ...(r.provider !== ""
        ? { provider: resource(providerUrnOf(r.provider)) as pulumi.ProviderResource }
        : {}),
    };
    const Class = classes.get(r.type);
    if (Class) created.set(r.urn, new Class(r.name, args, custom));
    else if (r.type.startsWith("kubernetes:") && typeof args["apiVersion"] === "string")
      created.set(r.urn, new k8s.apiextensions.CustomResource(r.name, args as never, custom));
    else throw new Error(`replay: no resource class for ${r.type}`);
  }
  return script.outputs;
}
