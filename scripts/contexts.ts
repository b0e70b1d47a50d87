// `npm run contexts -- --stack <name> [--out <file> | --separate <dir>]`: kubeconfig contexts named after
// the clusters of a deployed stack, from `pulumi stack output --json --show-secrets`. Files are 0600.
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { mergedKubeconfig, perClusterKubeconfigs, type ClusterEntry } from "../kube/contexts";
import type { ClusterOutputs } from "../mesh/outputs";
import { readStackOutputs } from "../verify/stackOutputs";
import { processRunner } from "../verify/system";
import { EXIT, VerifyError, type Runner } from "../verify/types";

export const USAGE = `usage: npm run contexts -- --stack <name> [--out <file> | --separate <dir>]
  --out       one kubeconfig with a context per cluster (default: out/contexts/<stack>.kubeconfig)
  --separate  one <cluster>.kubeconfig per cluster in this directory
exit codes: 0 written, 2 usage / stack not deployed / outputs unreadable`;

type Target = { kind: "merged"; file: string } | { kind: "separate"; dir: string };

function usage(message: string): never {
  throw new VerifyError(EXIT.usage, `${message}\n${USAGE}`);
}

export function parseCommandLine(
  argv: readonly string[],
  cwd: string,
): { stack: string; target: Target } | "help" {
  let values;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        stack: { type: "string" },
        out: { type: "string" },
        separate: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    usage(e instanceof Error ? e.message : String(e));
  }
  if (values.help) return "help";
  const { stack, out, separate } = values;
  if (!stack) usage("--stack is required");
  if (out !== undefined && separate !== undefined) usage("give --out or --separate, not both");
  const target: Target =
    separate !== undefined
      ? { kind: "separate", dir: resolve(cwd, separate) }
      : { kind: "merged", file: resolve(cwd, out ?? join("out", "contexts", `${stack}.kubeconfig`)) };
  return { stack, target };
}

/** The clusters of the stack outputs, with messages that say what to do when they are not usable. */
export function clusterEntries(outputs: unknown): ClusterEntry[] {
  const clusters = (outputs as { clusters?: unknown } | null)?.clusters;
  if (typeof clusters !== "object" || clusters === null || Object.keys(clusters).length === 0) {
    throw new VerifyError(
      EXIT.usage,
      "the stack outputs have no `clusters`: deploy it with `pulumi up` first",
    );
  }
  return Object.entries(clusters as Record<string, Partial<ClusterOutputs<string>>>).map(([key, c]) => {
    if (typeof c.kubeconfig !== "string" || c.kubeconfig === "" || c.kubeconfig === "[secret]") {
      throw new VerifyError(
        EXIT.usage,
        `clusters.${key}.kubeconfig is missing or masked (read with --show-secrets)`,
      );
    }
    return {
      name: typeof c.name === "string" ? c.name : key,
      kubeconfig: c.kubeconfig,
      ...(typeof c.endpoint === "string" ? { endpoint: c.endpoint } : {}),
      ...(c.source === "kubeconfig" ? { source: "kubeconfig" as const } : {}),
    };
  });
}

function filesFor(target: Target, entries: readonly ClusterEntry[]): Map<string, string> {
  if (target.kind === "merged") return new Map([[target.file, mergedKubeconfig(entries)]]);
  return new Map(
    [...perClusterKubeconfigs(entries)].map(([name, text]) => [join(target.dir, `${name}.kubeconfig`), text]),
  );
}

async function writePrivate(path: string, text: string): Promise<void> {
  await writeFile(path, text, { mode: 0o600 });
  await chmod(path, 0o600); // an existing file keeps its old mode on write
}

/** Runs the command; returns the exit code. */
export async function main(
  argv: readonly string[],
  run: Runner,
  log: (line: string) => void,
  cwd = process.cwd(),
): Promise<number> {
  try {
    const command = parseCommandLine(argv, cwd);
    if (command === "help") {
      log(USAGE);
      return EXIT.ok;
    }
    const outputs = await readStackOutputs(run, command.stack);
    let entries: ClusterEntry[];
    let files: Map<string, string>;
    try {
      entries = clusterEntries(outputs);
      files = filesFor(command.target, entries);
    } catch (e) {
      if (e instanceof VerifyError) throw e;
      throw new VerifyError(EXIT.usage, e instanceof Error ? e.message : String(e));
    }
    const dir = command.target.kind === "merged" ? resolve(command.target.file, "..") : command.target.dir;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    for (const [path, text] of files) await writePrivate(path, text);
    const names = entries.map((e) => e.name);
    log(`wrote ${files.size} file(s) with contexts ${names.join(", ")} (mode 0600):`);
    for (const path of files.keys()) log(`  ${path}`);
    const example = [...files.keys()][0]!;
    log(`e.g. KUBECONFIG=${example} kubectl --context ${names[0]} get pods -n istio-system`);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof VerifyError) {
      log(`error: ${e.message}`);
      return e.exitCode;
    }
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), processRunner, (line) => console.log(line)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(2);
    },
  );
}
