// The mock cloud: answers every resource the program creates with what the real provider returns
// (computed outputs on top of the echoed inputs), and marks secret outputs the way the providers do.
import * as pulumi from "@pulumi/pulumi";
import type {
  MockCallArgs,
  MockCallResult,
  MockResourceArgs,
  MockResourceResult,
} from "@pulumi/pulumi/runtime";
import { providerUrnOf } from "../graph";
import { DependencyGraph } from "./cloud/dependencies";
import { CALLS, readExisting } from "./cloud/existing";
import { gcpHandlers } from "./cloud/gcp";
import { GcpLedger } from "./cloud/gcpRules";
import { kubernetesHandlers } from "./cloud/kubernetes";
import { KubernetesLedger } from "./cloud/kubernetesRules";
import { tlsHandlers } from "./cloud/tls";
import { unwrapSecrets, type Registration } from "./recorder";

function isSecretWrapper(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig
  );
}

export interface Realized {
  id: string;
  /** Outputs to add to (or override in) the echoed inputs. */
  outputs?: Record<string, unknown>;
  /** Output keys the provider itself marks secret (beyond the SDK's additionalSecretOutputs). */
  secretOutputs?: string[];
}

export type Handler = (args: MockResourceArgs, cloud: CloudState) => Realized | Promise<Realized>;

/** What the cloud remembers between calls, so later resources can read earlier ones (a subnet's range...). */
export interface CloudOptions {
  /**
   * Clusters (by resource name) whose credentials were rotated since the last `up`: the same cluster
   * answers with a new endpoint IP and a new CA, as after `gcloud container clusters update
   * --start-credential-rotation`.
   */
  rotatedCredentials?: readonly string[];
  /** Clusters (by resource name) whose platform load balancers answer with a host name, as AWS does. */
  loadBalancerHostnames?: readonly string[];
}

export class CloudState {
  readonly byId = new Map<string, { type: string; name: string; outputs: Record<string, unknown> }>();
  /** Existing GKE clusters the program read (container.getCluster), by name, as GKE answered. */
  readonly adoptedClusters = new Map<string, Record<string, unknown>>();
  constructor(
    readonly project: string,
    readonly options: CloudOptions = {},
  ) {}

  find(
    type: string,
    predicate: (outputs: Record<string, unknown>) => boolean,
  ): Record<string, unknown> | undefined {
    for (const r of this.byId.values()) if (r.type === type && predicate(r.outputs)) return r.outputs;
    return undefined;
  }
}

/** Stable small integer from a string: deterministic addresses and ids for identical programs. */
export function stableHash(text: string): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h;
}

const HANDLERS: Record<string, Handler> = { ...gcpHandlers, ...kubernetesHandlers, ...tlsHandlers };

/**
 * The mock cloud. Like the real APIs it refuses what they refuse (see cloud/gcpRules.ts and
 * cloud/kubernetesRules.ts): newResource throws, and the registration fails as the provider call would.
 */
export class MockCloud implements pulumi.runtime.Mocks {
  readonly state: CloudState;
  readonly unhandledTypes = new Set<string>();
  /** What each registered resource waits for (from the registration requests). */
  readonly graph = new DependencyGraph();
  readonly gcp = new GcpLedger();
  readonly kubernetes = new KubernetesLedger(this.gcp, this.graph);
  /** Registrations announced by the recorder and not yet seen by newResource, per type and name. */
  private readonly announced = new Map<string, Registration[]>();

  constructor(project = "my-gcp-project", options: CloudOptions = {}) {
    this.state = new CloudState(project, options);
  }

  /** The engine's view of the next registration of this type and name (see recorder.ts). */
  announce(registration: Registration): void {
    const key = `${registration.type}\u0000${registration.name}`;
    const queue = this.announced.get(key);
    if (queue) queue.push(registration);
    else this.announced.set(key, [registration]);
  }

  private registrationOf(args: MockResourceArgs): Registration {
    const key = `${args.type}\u0000${args.name}`;
    const queue = this.announced.get(key);
    const registration = queue?.shift();
    if (queue?.length === 0) this.announced.delete(key);
    // Called directly (no recorder): a URN of its own and no known dependencies.
    return (
      registration ?? {
        urn: `urn:pulumi:mock::mock::${args.type}::${args.name}`,
        type: args.type,
        name: args.name,
        parent: "",
        dependencies: [],
      }
    );
  }

  async newResource(args: MockResourceArgs): Promise<MockResourceResult> {
    // A read (`Resource.get`) registers nothing: it answers with what the cloud holds.
    if (args.id !== undefined && args.id !== "") return readExisting(args, this.state);
    // Synchronously, before any await: the recorder announced this registration just before the call.
    const registration = this.registrationOf(args);
    if (!args.custom) return { id: undefined, state: {} }; // components have no cloud state
    // The engine also waits for the provider, and for a parent that is a custom resource (graph.ts).
    const provider = args.provider ? [providerUrnOf(args.provider)] : [];
    const parent = this.graph.has(registration.parent) ? [registration.parent] : [];
    this.graph.add(registration.urn, [...registration.dependencies, ...provider, ...parent]);
    // Inputs arrive with secrets still wrapped. Handlers see plain values; the engine keeps an output
    // secret when the input of the same name was secret, as the real engine does.
    const secretInputs = Object.entries(args.inputs as Record<string, unknown>)
      .filter(([, v]) => isSecretWrapper(v))
      .map(([k]) => k);
    args = { ...args, inputs: unwrapSecrets(args.inputs) };
    const handler =
      HANDLERS[args.type] ?? (args.type.startsWith("pulumi:providers:") ? providerHandler : undefined);
    if (!handler) this.unhandledTypes.add(args.type);
    const realized = handler ? await handler(args, this.state) : { id: `${args.name}-id` };
    const outputs = { ...args.inputs, ...realized.outputs };
    const admission = {
      args,
      urn: registration.urn,
      outputs,
      project: String(args.inputs["project"] ?? this.state.project),
    };
    this.gcp.admit(admission);
    this.kubernetes.admit(admission);
    this.state.byId.set(realized.id, { type: args.type, name: args.name, outputs });
    const secret = new Set([...secretInputs, ...(realized.secretOutputs ?? [])]);
    const state = Object.fromEntries(
      Object.entries(outputs).map(([k, v]) => [k, secret.has(k) ? pulumi.secret(v) : v]),
    );
    return { id: realized.id, state };
  }

  call(args: MockCallArgs): MockCallResult | Promise<MockCallResult> {
    const answer = CALLS[args.token];
    if (!answer) throw new Error(`the program made an unexpected provider call: ${args.token}`);
    return answer(args.inputs as Record<string, unknown>, this.state);
  }
}

const providerHandler: Handler = (args) => ({ id: `${args.name}-provider-id` });
