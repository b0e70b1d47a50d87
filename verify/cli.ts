// `npm run verify -- --stack <name>` (or `--from-env VAR` during `pulumi up`): arguments, input, cleanup,
// summary and exit code. Side effects come in through deps so every path is tested.
import { parseArgs } from "node:util";
import { DEFAULT_OPTIONS, verifyMesh, type VerifyOptions } from "./check";
import { parseVerifyInput } from "./input";
import { writeKubeconfigs } from "./kubeconfigs";
import { readStackOutputs } from "./stackOutputs";
import { EXIT, VerifyError, type VerifyDeps } from "./types";

export const USAGE = `usage: npm run verify -- --stack <name> [--calls 20] [--timeout 180]
       npm run verify -- --from-env <VARIABLE>   (JSON shaped like the stack outputs; used by verifyOnUp)
exit codes: 0 ok, 1 a check failed, 2 usage / stack not deployed / tool missing, 3 cluster unreachable`;

export type Source = { stack: string } | { envVar: string };

export function parseCommandLine(
  argv: readonly string[],
): { source: Source; options: VerifyOptions } | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        stack: { type: "string" },
        "from-env": { type: "string" },
        calls: { type: "string" },
        timeout: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    throw new VerifyError(EXIT.usage, `${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
  }
  if (parsed.help) return "help";
  const stack = parsed.stack;
  const envVar = parsed["from-env"];
  if ((stack === undefined) === (envVar === undefined)) {
    throw new VerifyError(EXIT.usage, `give exactly one of --stack or --from-env\n${USAGE}`);
  }
  const integer = (flag: string, raw: string | undefined, min: number, fallback: number) => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min)
      throw new VerifyError(EXIT.usage, `--${flag} must be an integer >= ${min}, got ${raw}`);
    return value;
  };
  return {
    source: stack !== undefined ? { stack } : { envVar: envVar! },
    options: {
      ...DEFAULT_OPTIONS,
      calls: integer("calls", parsed.calls, 20, DEFAULT_OPTIONS.calls),
      timeoutSeconds: integer("timeout", parsed.timeout, 0, DEFAULT_OPTIONS.timeoutSeconds),
    },
  };
}

async function readSource(source: Source, deps: VerifyDeps, env: NodeJS.ProcessEnv): Promise<unknown> {
  if ("stack" in source) return readStackOutputs(deps.run, source.stack);
  const raw = env[source.envVar];
  if (!raw) throw new VerifyError(EXIT.usage, `environment variable ${source.envVar} is empty`);
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new VerifyError(EXIT.usage, `environment variable ${source.envVar} is not JSON`);
  }
}

/** Runs the whole verification and returns the process exit code. */
export async function main(
  argv: readonly string[],
  deps: VerifyDeps,
  env: NodeJS.ProcessEnv = {},
  tempParent?: string,
): Promise<number> {
  try {
    const command = parseCommandLine(argv);
    if (command === "help") {
      deps.log(USAGE);
      return EXIT.ok;
    }
    const input = parseVerifyInput(await readSource(command.source, deps, env));
    deps.log(
      `verifying ${input.clusters.length} clusters: ${input.clusters.map((c) => `${c.name} (${c.role})`).join(", ")}`,
    );
    const files = await writeKubeconfigs(input.clusters, tempParent);
    try {
      const report = await verifyMesh(input, files.paths, deps, command.options);
      deps.log(
        report.exitCode === EXIT.ok
          ? "PASS every check succeeded"
          : `FAILED (exit ${report.exitCode}): ${report.failures.length} problem(s)\n  - ${report.failures.join("\n  - ")}`,
      );
      return report.exitCode;
    } finally {
      await files.cleanup();
    }
  } catch (e) {
    if (e instanceof VerifyError) {
      deps.log(`error: ${e.message}`);
      return e.exitCode;
    }
    throw e;
  }
}
