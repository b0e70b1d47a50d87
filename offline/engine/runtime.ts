// Evaluates the real program on the mock cloud and returns the recording: one call, one evaluation.
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { stackProgram } from "../../mesh/stack";
import { MockCloud, type CloudOptions } from "./mockCloud";
import { PROJECT } from "./stackFiles";
import { startRecording, unwrapSecrets, type RecordedResource, type Recording } from "./recorder";

export interface Evaluation extends Recording {
  cloud: MockCloud;
  /** Stack outputs with secrets unwrapped (for assertions on values). */
  outputs: Record<string, unknown>;
  error: unknown;
}

interface MonitorWithState {
  resources: Map<string, { state: { toJavaScript?: () => unknown } | Record<string, unknown> }>;
}

/**
 * `config` holds fully qualified keys (`istio-multicluster:topology`, `gcp:project`) with string values,
 * as the Pulumi CLI hands them to a program.
 */
export async function evaluate(
  config: Record<string, string>,
  options: { stack?: string; program?: () => unknown; cloud?: CloudOptions } = {},
): Promise<Evaluation> {
  const cloud = new MockCloud(config["gcp:project"], options.cloud);
  await pulumi.runtime.setMocks(cloud, PROJECT, options.stack ?? "test", false);
  pulumi.runtime.setAllConfig(config, []);
  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorWithState;
  const recording = startRecording((urn) => {
    const state = monitor.resources.get(urn)?.state;
    return (unwrapSecrets(state) ?? {}) as Record<string, unknown>;
  });
  let error: unknown;
  const program = options.program ?? stackProgram;
  // A program that throws (invalid config) is caught here rather than left to reject inside the SDK's
  // Stack initialisation, which would surface as an unhandled rejection.
  await pulumi.runtime.runInPulumiStack(async () => {
    try {
      return program();
    } catch (e) {
      error = e;
      return {};
    }
  });
  await settle(recording);
  return {
    ...recording,
    cloud,
    outputs: (unwrapSecrets(recording.stackOutputs) ?? {}) as Record<string, unknown>,
    error,
  };
}

// Internal to the SDK (stripped from its typings): resolves when every outstanding RPC has finished.
const { waitForRPCs } = settings as unknown as { waitForRPCs(): Promise<void> };

/** Waits until no registration is in flight and the SDK has no pending work. */
async function settle(recording: Recording): Promise<void> {
  for (let quiet = 0; quiet < 3;) {
    await waitForRPCs();
    await new Promise((resolve) => setImmediate(resolve));
    quiet = recording.inFlight === 0 ? quiet + 1 : 0;
  }
}

/** Resources other than the stack itself. */
export function created(evaluation: Recording): RecordedResource[] {
  return evaluation.resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
}
