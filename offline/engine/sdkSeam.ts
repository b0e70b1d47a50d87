// The one place where the offline engine relies on the Pulumi SDK's internals (pinned exactly in
// package.json; test/sdk-seam.test.ts fails if any of this changes):
// - the mock monitor (`@pulumi/pulumi/runtime/mocks`) receives each RegisterResourceRequest and
//   ReadResourceRequest: we wrap `registerResource` and `readResource` to see what the engine sees
//   (parent, dependencies, options), which `Mocks.newResource` is not given;
// - it calls `Mocks.newResource` synchronously, before its first await, so an announcement made just
//   before the call belongs to that call;
// - it keeps each resource's last state in `monitor.resources` (read for recorded outputs);
// - `runtime/settings.waitForRPCs` (stripped from the typings) resolves when no RPC is outstanding.
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";

/** The SDK version this seam was written against and is tested with. */
export const PINNED_SDK_VERSION = "3.276.0";

/** How the SDK encodes a value that is not known yet (previews). */
export const UNKNOWN = pulumi.runtime.unknownValue;

/** What the engine learns of a registration beyond what `Mocks.newResource` is given. */
export interface RegistrationRequest {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string;
  /** Provider reference `<providerURN>::<id>`, or "" for the default provider. */
  readonly provider: string;
  readonly custom: boolean;
  /** Explicit dependsOn and every resource whose outputs feed an input. */
  readonly dependencies: readonly string[];
  readonly additionalSecretOutputs: readonly string[];
  readonly replaceWith: readonly string[];
  readonly deleteBeforeReplace: boolean;
  readonly replaceOnChanges: readonly string[];
  readonly ignoreChanges: readonly string[];
  /** URN of the resource whose deletion takes this one with it, or "". */
  readonly deletedWith: string;
  /** Names this resource was known by before (`aliases: [{ name }]`), resolved against its own parent. */
  readonly aliasNames: readonly string[];
  /** The inputs as sent: secrets still wrapped, unknowns as UNKNOWN. */
  rawInputs(): Record<string, unknown>;
}

interface AliasMessage {
  getUrn(): string;
  getSpec(): { getName(): string } | undefined;
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
  getIgnorechangesList(): string[];
  getDeletedwith(): string;
  getAliasesList(): AliasMessage[];
}
type Callback = (err: unknown, response: unknown) => void;
interface MockMonitorInternals {
  newUrn(parent: string, type: string, name: string): string;
  registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
  readResource(req: RegisterRequest, callback: Callback): Promise<void>;
  registerResourceOutputs(
    req: { getUrn(): string; getOutputs(): { toJavaScript(): unknown } },
    cb: unknown,
  ): void;
  resources: Map<string, { id: string | null; state: unknown }>;
}

function aliasNamesOf(req: RegisterRequest): string[] {
  return req
    .getAliasesList()
    .map((alias) => alias.getSpec()?.getName() || alias.getUrn().split("::").pop() || "")
    .filter((name) => name !== "");
}

function requestOf(req: RegisterRequest, urn: string): RegistrationRequest {
  return {
    urn,
    type: req.getType(),
    name: req.getName(),
    parent: req.getParent(),
    provider: req.getProvider(),
    custom: req.getCustom(),
    dependencies: [...new Set(req.getDependenciesList())],
    additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    replaceWith: req.getReplaceWithList(),
    deleteBeforeReplace: req.getDeletebeforereplace(),
    replaceOnChanges: req.getReplaceonchangesList(),
    ignoreChanges: req.getIgnorechangesList(),
    deletedWith: req.getDeletedwith(),
    aliasNames: aliasNamesOf(req),
    rawInputs: () => req.getObject()?.toJavaScript() ?? {},
  };
}

export interface MonitorHooks {
  /** Just before the mock's newResource runs for this registration (synchronously before it). */
  beforeRegister(request: RegistrationRequest): void;
  /** When the registration has been answered (err set if the mock cloud refused it). */
  afterRegister(request: RegistrationRequest, err: unknown): void;
  /** The stack's own outputs, as sent (secrets still wrapped). */
  stackOutputs(outputs: Record<string, unknown>): void;
}

/** Wraps the active mock monitor (call right after setMocks); returns a reader of recorded state. */
export function attachToMonitor(hooks: MonitorHooks): {
  stateOf(urn: string): unknown;
  idOf(urn: string): string;
} {
  const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitorInternals;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = async (req, callback) => {
    const request = requestOf(req, monitor.newUrn(req.getParent(), req.getType(), req.getName()));
    hooks.beforeRegister(request);
    await register(req, (err, response) => {
      hooks.afterRegister(request, err);
      callback(err, response);
    });
  };
  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req, cb) => {
    if (req.getUrn().includes("::pulumi:pulumi:Stack::")) {
      hooks.stackOutputs(req.getOutputs().toJavaScript() as Record<string, unknown>);
    }
    registerOutputs(req, cb);
  };
  return {
    stateOf: (urn) => monitor.resources.get(urn)?.state,
    idOf: (urn) => monitor.resources.get(urn)?.id ?? "",
  };
}

// Internal to the SDK (stripped from its typings): resolves when every outstanding RPC has finished.
const sdkSettings = settings as unknown as { waitForRPCs?: () => Promise<void> };

export async function waitForRPCs(): Promise<void> {
  if (typeof sdkSettings.waitForRPCs !== "function") {
    throw new Error(
      `@pulumi/pulumi no longer has runtime/settings.waitForRPCs (seam: ${PINNED_SDK_VERSION})`,
    );
  }
  await sdkSettings.waitForRPCs();
}

/** True when a value the SDK handed the mock is (or holds) a value unknown during a preview. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN || pulumi.Output.isInstance(value)) return true;
  if (typeof value === "object" && value !== null && value.constructor?.name === "Unknown") return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsUnknown);
  return false;
}
