// Records what the engine would see for every resource: the SDK sends parent, provider and the full
// dependency list (explicit dependsOn and every resource whose outputs feed an input) in each
// RegisterResourceRequest. The mock runtime hides those from Mocks.newResource, so we read the request.
import * as pulumi from "@pulumi/pulumi";

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
  /** URN of the resource whose deletion takes this one with it (deletedWith), or "". */
  deletedWith: string;
  /** What the mock cloud returned for the resource. */
  outputs: Record<string, unknown>;
}

/**
 * What the engine knows of a registration before the provider sees it: the mock cloud's strict checks
 * need the URN, parent and dependencies, which Mocks.newResource is not given.
 */
export interface Registration {
  urn: string;
  type: string;
  name: string;
  parent: string;
  dependencies: string[];
}

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
  /** URNs registered more than once: the real engine rejects these. */
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

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getCustom(): boolean;
  getDependenciesList(): string[];
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  getAdditionalsecretoutputsList(): string[];
  getReplaceWithList(): string[];
  getDeletebeforereplace(): boolean;
  getReplaceonchangesList(): string[];
  getDeletedwith(): string;
}
type Callback = (err: unknown, response: { getUrn(): string } | undefined) => void;
interface MonitorLike {
  newUrn(parent: string, type: string, name: string): string;
  registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
  registerResourceOutputs(
    req: { getUrn(): string; getOutputs(): { toJavaScript(): unknown } },
    cb: unknown,
  ): void;
}

/**
 * Wraps the active mock monitor. Call right after setMocks. `announce` hears of each registration just
 * before the mock's newResource runs for it (the mock monitor calls newResource synchronously).
 */
export function startRecording(
  outputsOf: (urn: string) => Record<string, unknown>,
  announce: (registration: Registration) => void = () => {},
): Recording {
  const recording: Recording = {
    resources: [],
    failures: [],
    duplicateUrns: [],
    stackOutputs: undefined,
    inFlight: 0,
  };
  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike;
  const seen = new Set<string>();

  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = async (req, callback) => {
    recording.inFlight++;
    const object = req.getObject();
    const urn = monitor.newUrn(req.getParent(), req.getType(), req.getName());
    announce({
      urn,
      type: req.getType(),
      name: req.getName(),
      parent: req.getParent(),
      dependencies: [...new Set(req.getDependenciesList())],
    });
    await register(req, (err, response) => {
      if (err) recording.failures.push(new RegistrationError(urn, err));
      if (!err && response) {
        if (seen.has(urn)) recording.duplicateUrns.push(urn);
        seen.add(urn);
        recording.resources.push(
          recordOf(
            req,
            urn,
            () => object?.toJavaScript() ?? {},
            () => outputsOf(urn),
          ),
        );
      }
      recording.inFlight--;
      callback(err, response);
    });
  };

  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req, cb) => {
    if (req.getUrn().includes("::pulumi:pulumi:Stack::")) {
      recording.stackOutputs = req.getOutputs().toJavaScript() as Record<string, unknown>;
    }
    registerOutputs(req, cb);
  };
  return recording;
}

/**
 * A record whose inputs and outputs are decoded on first read: most evaluations (the offline plan, the
 * benchmark) never look at most of them.
 */
function recordOf(
  req: RegisterRequest,
  urn: string,
  rawInputs: () => Record<string, unknown>,
  outputsOf: () => Record<string, unknown>,
): RecordedResource {
  let raw: Record<string, unknown> | undefined;
  const inputsRaw = () => (raw ??= rawInputs());
  let inputs: Record<string, unknown> | undefined;
  let outputs: Record<string, unknown> | undefined;
  return {
    urn,
    type: req.getType(),
    name: req.getName(),
    custom: req.getCustom(),
    parent: req.getParent(),
    provider: req.getProvider(),
    dependencies: [...new Set(req.getDependenciesList())],
    additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    replaceWith: req.getReplaceWithList(),
    deleteBeforeReplace: req.getDeletebeforereplace(),
    replaceOnChanges: req.getReplaceonchangesList(),
    deletedWith: req.getDeletedwith(),
    get inputs() {
      return (inputs ??= unwrapSecrets(inputsRaw()) as Record<string, unknown>);
    },
    get secretInputs() {
      return secretKeys(inputsRaw());
    },
    get outputs() {
      return (outputs ??= outputsOf());
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
