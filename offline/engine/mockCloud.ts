// The mock cloud: answers every resource the program creates with what the real provider returns
// (computed outputs on top of the echoed inputs), and marks secret outputs the way the providers do.
import * as pulumi from "@pulumi/pulumi";
import type {
  MockCallArgs,
  MockCallResult,
  MockResourceArgs,
  MockResourceResult,
} from "@pulumi/pulumi/runtime";
import { gcpHandlers } from "./cloud/gcp";
import { kubernetesHandlers } from "./cloud/kubernetes";
import { tlsHandlers } from "./cloud/tls";
import { unwrapSecrets } from "./recorder";

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
}

export class CloudState {
  readonly byId = new Map<string, { type: string; name: string; outputs: Record<string, unknown> }>();
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

export class MockCloud implements pulumi.runtime.Mocks {
  readonly state: CloudState;
  readonly unhandledTypes = new Set<string>();

  constructor(project = "my-gcp-project", options: CloudOptions = {}) {
    this.state = new CloudState(project, options);
  }

  async newResource(args: MockResourceArgs): Promise<MockResourceResult> {
    if (!args.custom) return { id: undefined, state: {} }; // components have no cloud state
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
    this.state.byId.set(realized.id, { type: args.type, name: args.name, outputs });
    const secret = new Set([...secretInputs, ...(realized.secretOutputs ?? [])]);
    const state = Object.fromEntries(
      Object.entries(outputs).map(([k, v]) => [k, secret.has(k) ? pulumi.secret(v) : v]),
    );
    return { id: realized.id, state };
  }

  call(args: MockCallArgs): MockCallResult {
    throw new Error(`the program made an unexpected provider call: ${args.token}`);
  }
}

const providerHandler: Handler = (args) => ({ id: `${args.name}-provider-id` });
