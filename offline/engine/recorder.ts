// Records what the engine would see for every resource: the SDK sends parent, provider and the full
// dependency list (explicit dependsOn and every resource whose outputs feed an input) in each
// RegisterResourceRequest. The mock runtime hides those from Mocks.newResource, so we read the request.
import * as pulumi from "@pulumi/pulumi";
import { attachToMonitor, type RegistrationRequest } from "./sdkSeam";

export interface RecordedResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  parent: string;
  /** Provider reference `<providerURN>::<id>`, or "" for the default provider. */
  provider: string;
  /** URNs this resource waits for (dependsOn and implicit input dependencies). */
  dependencies: string[];
  inputs: Record<string, unknown>;
  /** Top-level input keys that were marked secret when sent. */
  secretInputs: string[];
  additionalSecretOutputs: string[];
  /** URNs whose replacement replaces this resource too (the replaceWith option). */
  replaceWith: string[];
  /** The deleteBeforeReplace option. */
  deleteBeforeReplace: boolean;
  /** Input paths whose change replaces the resource (the replaceOnChanges option). */
  replaceOnChanges: string[];
  /** Input paths whose changes the engine ignores (the ignoreChanges option). */
  ignoreChanges: string[];
  /** URN of the resource whose deletion takes this one with it (deletedWith), or "". */
  deletedWith: string;
  /** Earlier names of this resource (aliases), each resolved against its current parent. */
  aliasNames: string[];
  /** What the mock cloud returned for the resource. */
  outputs: Record<string, unknown>;
  /** The ID the mock cloud gave it ("" for components, or unknown in a preview). */
  id: string;
  /** Top-level output keys the provider's answer marked secret. */
  secretOutputs: string[];
}

/** What the engine knows of a registration before the provider sees it (the mock's strict checks need it). */
export type Registration = Pick<RegistrationRequest, "urn" | "type" | "name" | "parent" | "dependencies"> &
  Partial<RegistrationRequest>;

/** A registration the mock cloud refused, worded as the engine reports a failed provider call. */
export class RegistrationError extends Error {
  constructor(
    readonly urn: string,
    override readonly cause: unknown,
  ) {
    const [type, name] = urn.split("::").slice(-2);
    super(`failed to register new resource ${name} [${type?.split("$").pop()}]: ${messageOf(cause)}`);
    this.name = "RegistrationError";
  }
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

export interface Recording {
  resources: RecordedResource[];
  /** Registrations the mock cloud refused, in the order they failed. */
  failures: RegistrationError[];
  /** URNs registered more than once: the real engine rejects these (each is also a failure). */
  duplicateUrns: string[];
  /** Serialized stack outputs exactly as sent to the engine (secrets still wrapped). */
  stackOutputs: Record<string, unknown> | undefined;
  inFlight: number;
}

const SECRET_SIG = pulumi.runtime.specialSigKey;

function secretKeys(struct: Record<string, unknown>): string[] {
  return Object.entries(struct)
    .filter(
      ([, v]) =>
        typeof v === "object" && v !== null && (v as Record<string, unknown>)[SECRET_SIG] !== undefined,
    )
    .filter(([, v]) => (v as Record<string, unknown>)[SECRET_SIG] === pulumi.runtime.specialSecretSig)
    .map(([k]) => k);
}

/**
 * Wraps the active mock monitor (see sdkSeam.ts). Call right after setMocks. `announce` hears of each
 * registration just before the mock's newResource runs for it.
 */
export function startRecording(announce: (registration: RegistrationRequest) => void = () => {}): Recording {
  const recording: Recording = {
    resources: [],
    failures: [],
    duplicateUrns: [],
    stackOutputs: undefined,
    inFlight: 0,
  };
  const seen = new Set<string>();
  const outputsOf = (urn: string) => (unwrapSecrets(monitor.stateOf(urn)) ?? {}) as Record<string, unknown>;
  const monitor = attachToMonitor({
    beforeRegister(request) {
      recording.inFlight++;
      announce(request);
    },
    afterRegister(request, err) {
      if (err) recording.failures.push(new RegistrationError(request.urn, err));
      else {
        if (seen.has(request.urn)) {
          recording.duplicateUrns.push(request.urn);
          // The real engine refuses a second registration of one URN: so does this one.
          recording.failures.push(
            new RegistrationError(request.urn, new Error(`Duplicate resource URN '${request.urn}'`)),
          );
        }
        seen.add(request.urn);
        recording.resources.push(
          recordOf(request, {
            outputs: () => outputsOf(request.urn),
            id: () => monitor.idOf(request.urn),
            secretOutputs: () => secretKeys((monitor.stateOf(request.urn) ?? {}) as Record<string, unknown>),
          }),
        );
      }
      recording.inFlight--;
    },
    stackOutputs(outputs) {
      recording.stackOutputs = outputs;
    },
  });
  return recording;
}

/**
 * A record whose inputs and outputs are decoded on first read: most evaluations (the offline plan, the
 * benchmark) never look at most of them.
 */
function recordOf(
  request: RegistrationRequest,
  answer: { outputs(): Record<string, unknown>; id(): string; secretOutputs(): string[] },
): RecordedResource {
  let raw: Record<string, unknown> | undefined;
  const inputsRaw = () => (raw ??= request.rawInputs());
  let inputs: Record<string, unknown> | undefined;
  let outputs: Record<string, unknown> | undefined;
  return {
    urn: request.urn,
    type: request.type,
    name: request.name,
    custom: request.custom,
    parent: request.parent,
    provider: request.provider,
    dependencies: [...request.dependencies],
    additionalSecretOutputs: [...request.additionalSecretOutputs],
    replaceWith: [...request.replaceWith],
    deleteBeforeReplace: request.deleteBeforeReplace,
    replaceOnChanges: [...request.replaceOnChanges],
    ignoreChanges: [...request.ignoreChanges],
    deletedWith: request.deletedWith,
    aliasNames: [...request.aliasNames],
    get inputs() {
      return (inputs ??= unwrapSecrets(inputsRaw()) as Record<string, unknown>);
    },
    get secretInputs() {
      return secretKeys(inputsRaw());
    },
    get outputs() {
      return (outputs ??= answer.outputs());
    },
    get id() {
      return answer.id();
    },
    get secretOutputs() {
      return answer.secretOutputs();
    },
  };
}

/** Replaces `{sig: secret, value}` wrappers by their values, recursively. */
export function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  if (record[SECRET_SIG] === pulumi.runtime.specialSecretSig) return unwrapSecrets(record["value"]);
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
}
