// `npm run bench`: resources, evaluation time against the SDK's floor, and the up and destroy critical
// paths for every topology and N = 2..32, each run in a separate process (scripts/bench-run.ts); writes
// docs/performance.md.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ROOT } from "../offline/engine/stackFiles";
import { RESULT_MARKER, TOPOLOGIES, type Mode, type RunResult, type Topology } from "./bench-run";
import { median, renderPerformance, type Measured } from "./bench-report";

const DEFAULT_SIZES = [2, 4, 8, 16, 32];
const DEFAULT_RUNS = 3;
const runsNote = (runs: number) =>
  `Runs: ${runs} of the program and ${runs} of its floor per configuration, interleaved (program, floor, ` +
  "program, ...), each in a fresh process; the figures are medians.";
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

function runOnce(topology: Topology, clusters: number, mode: Mode, recording?: string): RunResult {
  const args = [
    join(__dirname, "bench-run.ts"),
    topology,
    String(clusters),
    mode,
    ...(recording ? [recording] : []),
  ];
  const child = spawnSync(process.execPath, ["--import", "tsx", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: RUN_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = child.stdout?.split("\n").find((l) => l.startsWith(RESULT_MARKER));
  if (child.status !== 0 || !line) {
    const reason = child.error?.message ?? child.stderr?.trim().split("\n").slice(-5).join("\n");
    throw new Error(`bench run ${topology} N=${clusters} ${mode} failed (exit ${child.status}): ${reason}`);
  }
  return JSON.parse(line.slice(RESULT_MARKER.length)) as RunResult;
}

function measure(topology: Topology, clusters: number, runs: number, workDir: string): Measured {
  const recording = join(workDir, `${topology}-${clusters}.json`);
  const program: RunResult[] = [];
  const floor: RunResult[] = [];
  for (let i = 0; i < runs; i++) {
    program.push(runOnce(topology, clusters, "program", i === 0 ? recording : undefined));
    if (program[0]!.error) break;
    floor.push(runOnce(topology, clusters, "floor", recording));
  }
  const result = program[0]!;
  const samples = runOnce(topology, clusters, "samples");
  if (result.error) return { result, program: [], floor: [], samples };
  if (
    program.some(
      (t) => t.urnDigest !== result.urnDigest || t.graph!.criticalSeconds !== result.graph!.criticalSeconds,
    )
  )
    throw new Error(`${topology} N=${clusters}: two evaluations built different graphs`);
  const stray = floor.find((f) => f.error !== undefined || f.urnDigest !== result.urnDigest);
  if (stray)
    throw new Error(
      `${topology} N=${clusters}: the floor did not register the program's resources: ${stray.error ?? ""}`,
    );
  return { result, program, floor, samples };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const runs = options.runs ?? DEFAULT_RUNS;
  const measured: Measured[] = [];
  const started = Date.now();
  const workDir = mkdtempSync(join(tmpdir(), "bench-"));
  try {
    for (const topology of options.topologies) {
      // Untimed: fills the mock's on-disk certificate cache for every cluster name the smaller meshes reuse.
      runOnce(topology, Math.max(...options.sizes), "samples");
      for (const clusters of options.sizes) {
        const entry = measure(topology, clusters, runs, workDir);
        measured.push(entry);
        console.error(progressLine(entry, Date.now() - started));
      }
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  const page = renderPerformance(measured, runsNote(runs), options.note);
  // Formatted as `npm run lint` expects, so a regenerated page never fails the style check.
  const prettier = await import("prettier");
  const style = (await prettier.resolveConfig(options.out)) ?? {};
  writeFileSync(options.out, await prettier.format(page, { ...style, filepath: options.out }));
  console.error(`Wrote ${options.out}`);
  if (measured.some((m) => m.result.error)) process.exitCode = 1;
}

function progressLine(entry: Measured, elapsedMs: number): string {
  const r = entry.result;
  const head = `${r.topology.padEnd(20)} N=${String(r.clusters).padStart(2)}`;
  if (r.error || !r.graph) return `${head}  failed: ${r.error}`;
  const cpu = median(entry.program.map((p) => p.cpuMs));
  const floor = median(entry.floor.map((p) => p.cpuMs));
  return (
    `${head}  ${String(r.resources).padStart(4)} resources (${entry.samples.resources} with samples)  ` +
    `eval ${cpu.toFixed(0)} ms CPU, floor ${floor.toFixed(0)} ms (x${(cpu / floor).toFixed(2)})  ` +
    `up ${(r.graph.criticalSeconds / 60).toFixed(1)} min  destroy ${(r.graph.destroySeconds / 60).toFixed(1)} min  ` +
    `[${(elapsedMs / 1000).toFixed(0)} s]`
  );
}

void main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
