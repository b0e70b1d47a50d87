// The mock cloud: answers every resource the program creates with what the real provider returns
// (computed outputs on top of the echoed inputs), and marks secret outputs the way the providers do.
import * as pulumi from "@pulumi/pulumi";
import type {
  MockCallArgs,
  MockCallResult,
  MockResourceArgs,
  MockResourceResult,
} from "@pulumi/pulumi/runtime";
import { regionOf } from "../../gcp/locations";
import { providerUrnOf } from "../graph";
import { DependencyGraph } from "./cloud/dependencies";
import { CALLS, readExisting } from "./cloud/existing";
import { refuse } from "./cloud/refusal";
import { gcpHandlers } from "./cloud/gcp";
import { GcpLedger } from "./cloud/gcpRules";
import { kubernetesHandlers } from "./cloud/kubernetes";
import { KubernetesLedger } from "./cloud/kubernetesRules";
import { tlsHandlers } from "./cloud/tls";
import { unwrapSecrets, type Registration } from "./recorder";
import { containsUnknown, UNKNOWN } from "./sdkSeam";
import type { DeploymentState } from "./state";
import { planStep, type PlannedStep } from "./steps";

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
   * Clusters (by resource name, `<mesh>-<cluster>`) whose credentials were rotated since the last `up`: the
   * same cluster answers with a new endpoint IP and a new CA, as after `gcloud container clusters update
   * --start-credential-rotation`.
   */
  rotatedCredentials?: readonly string[];
  /**
   * Clusters (by their provider's resource name, `<mesh>-<cluster>`) whose load balancers answer with a host
   * name, as AWS does.
   */
  loadBalancerHostnames?: readonly string[];
  /** The state of the last operation: this evaluation is a later `up` (or its preview) of that stack. */
  prior?: DeploymentState;
  /** Evaluate as `pulumi preview` does: computed outputs are unknown, nothing is created. */
  preview?: boolean;
}

export class CloudState {
  readonly byId = new Map<string, { type: string; name: string; outputs: Record<string, unknown> }>();
  /** `<provider URN>|<namespace>/<name>` of each Helm release this evaluation installed. */
  readonly releases = new Set<string>();
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
  /** The step each registration takes against the prior state (every one a create on a new stack). */
  readonly steps = new Map<string, PlannedStep>();
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
    if (args.id !== undefined && args.id !== "") return this.read(args);
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
    const { prior, preview } = this.state.options;
    const step = planStep(
      {
        ...registration,
        provider: args.provider ?? "",
        replaceWith: registration.replaceWith ?? [],
        ignoreChanges: registration.ignoreChanges ?? [],
        replaceOnChanges: registration.replaceOnChanges ?? [],
      },
      args.type,
      args.inputs as Record<string, unknown>,
      prior ?? new Map(),
      this.steps,
    );
    this.steps.set(registration.urn, step);
    if (preview) return previewAnswer(step, args.inputs as Record<string, unknown>);
    if (step.kind === "update") refuseUpdate(args, step, this.state.project);
    if (step.kind === "same" && step.prior) {
      // The provider finds nothing to do: the stored outputs are the resource's outputs.
      const kept = step.prior;
      this.admitAll(args, registration.urn, kept.outputs, kept.id);
      return { id: kept.id, state: secretsMarked(kept.outputs, kept.secretOutputs) };
    }
    const handler =
      HANDLERS[args.type] ?? (args.type.startsWith("pulumi:providers:") ? providerHandler : undefined);
    if (!handler) this.unhandledTypes.add(args.type);
    const realized = handler ? await handler(args, this.state) : { id: `${args.name}-id` };
    const outputs = { ...args.inputs, ...realized.outputs };
    // An update keeps the resource, and its ID.
    const id = step.kind === "update" && step.prior ? step.prior.id : realized.id;
    this.admitAll(args, registration.urn, outputs, id);
    const secret = new Set([...secretInputs, ...(realized.secretOutputs ?? [])]);
    return { id, state: secretsMarked(outputs, [...secret]) };
  }

  private admitAll(args: MockResourceArgs, urn: string, outputs: Record<string, unknown>, id: string): void {
    const admission = { args, urn, outputs, project: String(args.inputs["project"] ?? this.state.project) };
    this.gcp.admit(admission);
    this.kubernetes.admit(admission);
    this.state.byId.set(id, { type: args.type, name: args.name, outputs });
    if (args.type === "kubernetes:helm.sh/v3:Release") {
      this.state.releases.add(`${providerUrnOf(args.provider ?? "")}|${id}`);
    }
  }

  /**
   * A read: in a preview it runs whenever its ID is known ("Unlike most steps, Read steps run during
   * previews", pulumi pkg/resource/deploy/step.go) and fails for an object that does not exist yet; an
   * unknown ID skips it, and its outputs stay unknown.
   */
  private read(args: MockResourceArgs): MockResourceResult {
    if (args.id === UNKNOWN || containsUnknown(args.id)) {
      if (this.state.options.preview) return { id: undefined, state: {} };
      throw new Error(`the program read ${args.type} with an unknown ID outside a preview`);
    }
    const key = `${providerUrnOf(args.provider ?? "")}|${args.id}`;
    const inPrior = [...(this.state.options.prior?.values() ?? [])].some(
      (e) => e.type === "kubernetes:helm.sh/v3:Release" && `${providerUrnOf(e.provider)}|${e.id}` === key,
    );
    if (!inPrior && !this.state.releases.has(key)) {
      // pulumi-kubernetes answers a read of a missing object with a 404, which the engine reports so.
      throw new Error(`resource '${args.id}' does not exist`);
    }
    return readExisting(args, this.state);
  }

  async call(args: MockCallArgs): Promise<MockCallResult> {
    const answer = CALLS[args.token];
    if (!answer) throw new Error(`the program made an unexpected provider call: ${args.token}`);
    const result = await answer(args.inputs as Record<string, unknown>, this.state);
    if (args.token === "gcp:container/getCluster:getCluster") {
      const location = String(result["location"]);
      this.gcp.adopt({
        project: String(result["project"]),
        location,
        region: regionOf(location),
        name: String(result["name"]),
        endpoint: String(result["endpoint"]),
      });
    }
    return result;
  }
}

const providerHandler: Handler = (args) => ({ id: `${args.name}-provider-id` });

/** What a preview answers: the stored outputs where nothing changes, the known inputs otherwise. */
function previewAnswer(step: PlannedStep, inputs: Record<string, unknown>): MockResourceResult {
  if (step.kind === "same" && step.prior) {
    return { id: step.prior.id, state: secretsMarked(step.prior.outputs, step.prior.secretOutputs) };
  }
  if (step.kind === "update" && step.prior)
    return { id: step.prior.id, state: { ...step.prior.outputs, ...inputs } };
  // A create: the provider computes the ID and every output it adds, so those stay unknown.
  return { id: undefined, state: inputs };
}

function secretsMarked(outputs: Record<string, unknown>, secret: readonly string[]): Record<string, unknown> {
  const keys = new Set(secret);
  return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, keys.has(k) ? pulumi.secret(v) : v]));
}

/**
 * Updates the provider carries out on something that no longer exists. A GKE cluster's nodeConfig is the
 * default pool's: the provider applies a change of it to "default-pool" (terraform-provider-google
 * resource_container_cluster.go Update: nodePoolNodeConfigUpdate(..., "default-pool")), which
 * removeDefaultNodePool deleted, and GKE answers 404.
 */
function refuseUpdate(args: MockResourceArgs, step: PlannedStep, project: string): void {
  if (args.type !== "gcp:container/cluster:Cluster" || args.inputs["removeDefaultNodePool"] !== true) return;
  if (!step.reasons.some((r) => r === "nodeConfig" || r.startsWith("nodeConfig."))) return;
  const pool = `projects/${args.inputs["project"] ?? project}/locations/${args.inputs["location"]}/clusters/${args.inputs["name"]}/nodePools/default-pool`;
  refuse(
    `googleapi: Error 404: Not found: ${pool}., notFound (updating the nodeConfig of a cluster whose default pool was removed)`,
  );
}
