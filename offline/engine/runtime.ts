// Evaluates the real program on the mock cloud and returns the recording: one call, one evaluation.
import * as pulumi from "@pulumi/pulumi";
import { stackProgram } from "../../mesh/stack";
import { MockCloud, type CloudOptions } from "./mockCloud";
import { SECRET_KEYS } from "../../config/load";
import { PROJECT } from "./stackFiles";
import { startRecording, unwrapSecrets, type RecordedResource, type Recording } from "./recorder";
import { waitForRPCs } from "./sdkSeam";

export interface Evaluation extends Recording {
  cloud: MockCloud;
  /** Stack outputs with secrets unwrapped (for assertions on values). */
  outputs: Record<string, unknown>;
  /**
   * Why the evaluation failed, as `pulumi up` would report it: the program's own exception, else the
   * first registration the mock cloud refused, else the first rejection nothing handled.
   */
  error: unknown;
}

/**
 * `config` holds fully qualified keys (`istio-multicluster:topology`, `gcp:project`) with string values,
 * as the Pulumi CLI hands them to a program.
 */
export async function evaluate(
  config: Record<string, string>,
  options: {
    stack?: string;
    program?: () => unknown;
    cloud?: CloudOptions;
    /** Secret keys set without --secret (to test that the program refuses them). */
    plainTextKeys?: readonly string[];
    /**
     * Exactly the keys the CLI passes as secrets (PULUMI_CONFIG_SECRET_KEYS), as a stack file says them
     * (StackFile.secretKeys); without it, every secret key of the program present in `config` is secret.
     */
    secretKeys?: readonly string[];
  } = {},
): Promise<Evaluation> {
  const cloud = new MockCloud(config["gcp:project"], options.cloud);
  await pulumi.runtime.setMocks(cloud, PROJECT, options.stack ?? "test", options.cloud?.preview ?? false);
  // As `pulumi config set --secret` leaves them: the secret keys reach the program marked secret.
  const secretKeys =
    options.secretKeys ??
    SECRET_KEYS.map((k) => `${PROJECT}:${k}`).filter(
      (k) => k in config && !(options.plainTextKeys ?? []).includes(k.split(":")[1]!),
    );
  pulumi.runtime.setAllConfig(config, [...secretKeys]);
  const recording = startRecording((registration) => cloud.announce(registration));
  let error: unknown;
  const program = options.program ?? stackProgram;
  let stackError: unknown;
  const rejections = takeOverRejections();
  // The SDK stores `new Error().stack` on each of the promises it makes per output (for its leak report,
  // which a finished evaluation never prints): formatting those stacks, through tsx's source maps, was half
  // of an evaluation's time. Errors are reported by their message here, so stacks stay off meanwhile.
  const { stackTraceLimit } = Error;
  Error.stackTraceLimit = 0;
  try {
    // A program that throws (invalid config) is caught here rather than left to reject inside the SDK's
    // Stack initialisation, which would surface as an unhandled rejection.
    await pulumi.runtime
      .runInPulumiStack(async () => {
        try {
          return program();
        } catch (e) {
          error = e;
          return {};
        }
      })
      .catch((e: unknown) => void (stackError = e)); // stack outputs that read a refused resource
    await settle(recording);
  } finally {
    rejections.release();
    Error.stackTraceLimit = stackTraceLimit;
  }
  return {
    ...recording,
    cloud,
    outputs: (unwrapSecrets(recording.stackOutputs) ?? {}) as Record<string, unknown>,
    error: error ?? recording.failures[0] ?? stackError ?? rejections.first(),
  };
}

/**
 * While the program runs, this process is its language host: a refused registration rejects the outputs
 * of every resource that reads it, and the Node language host reports such rejections as the program's
 * failure. Other listeners (the test runner's) are set aside meanwhile and restored afterwards.
 */
function takeOverRejections(): { first(): unknown; release(): void } {
  const others = process.listeners("unhandledRejection");
  const seen: unknown[] = [];
  const listener = (reason: unknown) => void seen.push(reason);
  process.removeAllListeners("unhandledRejection");
  process.on("unhandledRejection", listener);
  return {
    first: () => seen[0],
    release() {
      process.off("unhandledRejection", listener);
      for (const other of others) process.on("unhandledRejection", other);
    },
  };
}

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
