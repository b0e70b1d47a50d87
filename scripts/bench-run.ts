// One benchmark run in its own process (started by scripts/bench.ts): evaluates the program for one
// topology and cluster count on the mock engine and prints one `BENCH_RESULT {json}` line.
// The timer covers the program's evaluation only: module loading happens before it, and the mock
// engine's key material is warm (cluster CAs in memory here, TLS keys in the on-disk cache that the
// untimed first run of each configuration fills).
import { performance } from "node:perf_hooks";
import { analyze } from "../offline/analysis";
import { kindOf } from "../offline/groups";
import { clusterCaPem } from "../offline/engine/cloud/clusterCa";
import { evaluate } from "../offline/engine/runtime";
import { meshConfig } from "../offline/engine/syntheticMesh";

export const TOPOLOGIES = ["multi-primary", "primary-remote", "shared-control-plane"] as const;
export type Topology = (typeof TOPOLOGIES)[number];
export const RESULT_MARKER = "BENCH_RESULT ";
/**
 * `sdk-defaults`: Node's defaults. `sdk-stacks-off`: Error.stackTraceLimit = 0 during the evaluation. The SDK
 * records `new Error().stack` for every promise it creates (runtime/debuggable.js), one per output property
 * of every resource; with stacks off the figure is closer to the program's own work.
 */
export const MODES = ["sdk-defaults", "sdk-stacks-off"] as const;
export type Mode = (typeof MODES)[number];

export interface RunResult {
  topology: Topology;
  clusters: number;
  mode: Mode;
  evaluationMs: number;
  resources: number;
  criticalSeconds: number;
  criticalSteps: number;
  depth: number;
  sequentialSeconds: number;
  /** `kind name [seconds]` per step of the critical path. */
  criticalPath: string[];
  unmodelledTypes: string[];
  error?: string;
}

async function run(topology: Topology, clusters: number, mode: Mode): Promise<RunResult> {
  const config = meshConfig(topology, clusters);
  const names = (JSON.parse(config["istio-multicluster:clusters"]!) as { name: string }[]).map((c) => c.name);
  await Promise.all(names.map(clusterCaPem));

  const stackTraceLimit = Error.stackTraceLimit;
  if (mode === "sdk-stacks-off") Error.stackTraceLimit = 0;
  const started = performance.now();
  const evaluation = await evaluate(config, { stack: "bench" });
  const evaluationMs = performance.now() - started;
  Error.stackTraceLimit = stackTraceLimit;

  const base = { topology, clusters, mode, evaluationMs };
  if (evaluation.error !== undefined) {
    const error = evaluation.error instanceof Error ? evaluation.error.message : String(evaluation.error);
    return {
      ...base,
      resources: 0,
      criticalSeconds: 0,
      criticalSteps: 0,
      depth: 0,
      sequentialSeconds: 0,
      criticalPath: [],
      unmodelledTypes: [],
      error,
    };
  }
  const analysis = analyze(evaluation.resources);
  const { critical } = analysis;
  return {
    ...base,
    resources: analysis.resourceCount,
    criticalSeconds: critical.seconds,
    criticalSteps: critical.path.length,
    depth: critical.depth,
    sequentialSeconds: critical.sequentialSeconds,
    criticalPath: critical.path.map(
      (s) => `${kindOf(s.node.record.type)} ${s.node.record.name} [${s.node.seconds} s]`,
    ),
    unmodelledTypes: [...analysis.unmodelledTypes],
  };
}

function parseRunArgs(argv: readonly string[]): { topology: Topology; clusters: number; mode: Mode } {
  const topology = argv[0] as Topology;
  const clusters = Number(argv[1]);
  const mode = (argv[2] ?? "sdk-defaults") as Mode;
  if (
    !TOPOLOGIES.includes(topology) ||
    !Number.isInteger(clusters) ||
    clusters < 1 ||
    !MODES.includes(mode)
  ) {
    throw new Error(`usage: bench-run.ts <${TOPOLOGIES.join("|")}> <clusters> [${MODES.join("|")}]`);
  }
  return { topology, clusters, mode };
}

if (require.main === module) {
  // tsx maps every stack trace through source maps; `pulumi up` does not pay that per promise.
  process.setSourceMapsEnabled(false);
  const { topology, clusters, mode } = parseRunArgs(process.argv.slice(2));
  void run(topology, clusters, mode).then(
    (result) => {
      process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
