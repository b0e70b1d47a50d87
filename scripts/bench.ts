// `npm run bench`: resources, evaluation time and critical path for every topology and N = 2..32,
// each run in a separate process (scripts/bench-run.ts); writes docs/performance.md.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ROOT } from "../offline/engine/stackFiles";
import { RESULT_MARKER, TOPOLOGIES, type Mode, type RunResult, type Topology } from "./bench-run";
import { median, renderPerformance, type Measured } from "./bench-report";

const DEFAULT_SIZES = [2, 4, 8, 16, 32];
/** Fewer timed runs for the big meshes keep `npm run bench` near five minutes on two cores. */
const runsFor = (clusters: number) => (clusters <= 8 ? 3 : 2);
const RUNS_NOTE =
  "Runs: 3 per configuration and mode, 2 for N >= 16, to keep `npm run bench` near six minutes on two " +
  "cores (a process start costs about 2.5 s).";
const RUN_TIMEOUT_MS = 180_000;

interface BenchOptions {
  sizes: number[];
  topologies: Topology[];
  runs: number | undefined;
  out: string;
  /** A sentence added to the page, e.g. on what state of the program was measured. */
  note: string | undefined;
}

function parseArgs(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = {
    sizes: DEFAULT_SIZES,
    topologies: [...TOPOLOGIES],
    runs: undefined,
    out: join(ROOT, "docs", "performance.md"),
    note: undefined,
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === "--sizes") options.sizes = value.split(",").map(Number);
    else if (flag === "--topologies") options.topologies = value.split(",") as Topology[];
    else if (flag === "--runs") options.runs = Number(value);
    else if (flag === "--out") options.out = resolve(value);
    else if (flag === "--note") options.note = value;
    else
      throw new Error(
        `unknown argument ${flag}; use --sizes 2,4 --topologies multi-primary --runs 3 --out <file>`,
      );
  }
  if (options.sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error("--sizes: positive integers");
  if (options.topologies.some((t) => !TOPOLOGIES.includes(t)))
    throw new Error(`--topologies: ${TOPOLOGIES.join(",")}`);
  return options;
}

function runOnce(topology: Topology, clusters: number, mode: Mode = "sdk-defaults"): RunResult {
  const child = spawnSync(
    process.execPath,
    ["--import", "tsx", join(__dirname, "bench-run.ts"), topology, String(clusters), mode],
    { cwd: ROOT, encoding: "utf8", timeout: RUN_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 },
  );
  const line = child.stdout?.split("\n").find((l) => l.startsWith(RESULT_MARKER));
  if (child.status !== 0 || !line) {
    const reason = child.error?.message ?? child.stderr?.trim().split("\n").slice(-5).join("\n");
    throw new Error(`bench run ${topology} N=${clusters} failed (exit ${child.status}): ${reason}`);
  }
  return JSON.parse(line.slice(RESULT_MARKER.length)) as RunResult;
}

function measure(topology: Topology, clusters: number, runs: number): Measured {
  const timed = Array.from({ length: runs }, () => runOnce(topology, clusters, "sdk-defaults"));
  const stacksOff = Array.from({ length: runs }, () => runOnce(topology, clusters, "sdk-stacks-off"));
  const result = timed[0]!;
  if (result.error) return { result, timesMs: [], stacksOffMs: [] };
  const all = [...timed, ...stacksOff];
  if (all.some((t) => t.resources !== result.resources || t.criticalSeconds !== result.criticalSeconds)) {
    throw new Error(`${topology} N=${clusters}: two evaluations built different graphs`);
  }
  return {
    result,
    timesMs: timed.map((t) => t.evaluationMs),
    stacksOffMs: stacksOff.map((t) => t.evaluationMs),
  };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const measured: Measured[] = [];
  const started = Date.now();
  for (const topology of options.topologies) {
    // Untimed: fills the mock's on-disk TLS key cache for every cluster name the smaller meshes reuse.
    runOnce(topology, Math.max(...options.sizes));
    for (const clusters of options.sizes) {
      const entry = measure(topology, clusters, options.runs ?? runsFor(clusters));
      measured.push(entry);
      const r = entry.result;
      const time = entry.timesMs.length > 0 ? `${median(entry.timesMs).toFixed(0)} ms` : `failed: ${r.error}`;
      console.error(
        `${topology.padEnd(20)} N=${String(clusters).padStart(2)}  ${String(r.resources).padStart(4)} resources  ` +
          `eval ${time.padStart(8)}  critical ${(r.criticalSeconds / 60).toFixed(1)} min / ${r.criticalSteps} steps  ` +
          `sequential ${(r.sequentialSeconds / 60).toFixed(1)} min  [${((Date.now() - started) / 1000).toFixed(0)} s]`,
      );
    }
  }
  const runsNote = options.runs === undefined ? RUNS_NOTE : `Runs: ${options.runs} per configuration.`;
  const page = renderPerformance(measured, runsNote, options.note);
  // Formatted as `npm run lint` expects, so a regenerated page never fails the style check.
  const prettier = await import("prettier");
  const style = (await prettier.resolveConfig(options.out)) ?? {};
  writeFileSync(options.out, await prettier.format(page, { ...style, filepath: options.out }));
  console.error(`Wrote ${options.out}`);
  if (measured.some((m) => m.result.error)) process.exitCode = 1;
}

void main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
