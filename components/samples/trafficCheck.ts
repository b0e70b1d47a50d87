// The optional last step of `pulumi up` (config verifyOnUp): runs the traffic check on the machine running
// Pulumi, against the clusters just built. Needs kubectl and gke-gcloud-auth-plugin there.
import { createHash } from "node:crypto";
import { join } from "node:path";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { formerChild } from "../formerNames";

/** Name of the environment variable that carries the verification input (secret: it holds kubeconfigs). */
export const VERIFY_INPUT_ENV = "MESH_VERIFY_INPUT";
/**
 * The check's entry as plain JavaScript, found from this file wherever the package is installed:
 * `npm run build` compiles verify/main.ts there, and `prepare` runs it on install (from git), pack and
 * publish, so a consumer's program needs neither tsx nor this repository's scripts/.
 */
export const VERIFY_ENTRY = join(__dirname, "..", "..", "bin", "verify", "main.js");

/** The command the check runs: `node` from PATH, in any working directory. */
export function verifyCommand(entry: string = VERIFY_ENTRY): string {
  return `node ${JSON.stringify(entry)} --from-env ${VERIFY_INPUT_ENV}`;
}

export interface TrafficCheckArgs {
  /**
   * JSON shaped like the stack outputs (`clusters` with kubeconfigs, `samples`): what
   * `npm run verify -- --stack` would read once the stack is exported.
   */
  input: pulumi.Input<string>;
  /** Readable facts whose change should rerun the check (topology, clusters, placement...). */
  fingerprint: pulumi.Input<string>;
  /** Everything the check exercises: every sample resource and each cluster's mesh readiness. */
  waitFor: pulumi.Input<pulumi.Resource>[];
}

export class TrafficCheck extends pulumi.ComponentResource {
  readonly stdout: pulumi.Output<string>;

  constructor(name: string, args: TrafficCheckArgs, opts?: pulumi.ComponentResourceOptions) {
    super("istio-multicluster:samples:TrafficCheck", name, {}, opts);
    if (args.waitFor.length === 0)
      throw new Error(`TrafficCheck ${name}: args.waitFor must list what the check depends on`);
    const input = pulumi.secret(args.input);
    // A digest of the whole input (kubeconfigs included, hence secret) reruns the check when a cluster is
    // replaced or the samples move; the fingerprint keeps the reason readable in the diff.
    const digest = input.apply((json) => createHash("sha256").update(json).digest("hex"));
    const check = new command.local.Command(
      `${name}-command`,
      {
        create: verifyCommand(),
        environment: pulumi.secret({ [VERIFY_INPUT_ENV]: input }),
        triggers: [args.fingerprint, digest],
        logging: "stdoutAndStderr",
        addPreviousOutputInEnv: false,
      },
      { parent: this, dependsOn: args.waitFor, ...formerChild(opts, "-command") },
    );
    this.stdout = check.stdout;
    this.registerOutputs({ stdout: this.stdout });
  }
}
