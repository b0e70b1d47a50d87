// One benchmark run in its own process (started by scripts/bench.ts); prints one `BENCH_RESULT {json}` line.
//   program: evaluates the program for one topology and cluster count on the mock engine, times it, and
//            analyses the graph (up and destroy critical paths); with a path, writes the recording there.
//   floor:   evaluates, the same way, a replay of that recording (offline/engine/replay.ts): the same
//            resources, classes, inputs and edges with none of the program's own work. The SDK's floor.
//   samples: counts the resources of the same mesh with helloworld and Online Boutique on (untimed).
// The timer covers the evaluation only: module loading (the providers' lazy modules included) and reading
// the recording happen before it, and the mock engine's TLS material is warm (cluster CAs in memory here,
// certificates in the on-disk cache that the untimed first run of each topology fills). Wall time and this
// process's CPU time are both taken: on a shared machine the CPU time is the steadier of the two.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { analyze } from "../offline/analysis";
import { destroyPlan } from "../offline/destroy";
import { physicalFloorSeconds } from "../offline/durations";
import { clusterCaPem } from "../offline/engine/cloud/clusterCa";
import { replay, replayScript, resourceClasses, type ReplayScript } from "../offline/engine/replay";
import { evaluate, type Evaluation } from "../offline/engine/runtime";
import { meshConfig } from "../offline/engine/syntheticMesh";
import { kindOf } from "../offline/groups";

export const TOPOLOGIES = ["multi-primary", "primary-remote", "shared-control-plane"] as const;
export type Topology = (typeof TOPOLOGIES)[number];
export const RESULT_MARKER = "BENCH_RESULT ";
export const MODES = ["program", "floor", "samples"] as const;
export type Mode = (typeof MODES)[number];
/** The samples the resource budget is stated for. */
export const SAMPLES = { helloworld: true, onlineBoutique: true } as const;

export interface RunResult {
  topology: Topology;
  clusters: number;
  mode: Mode;
  evaluationMs: number;
  /** CPU time (user + system) of this process during the evaluation. */
  cpuMs: number;
  resources: number;
  /** Digest of the sorted URNs: the floor must register exactly the program's resources. */
  urnDigest: string;
  error?: string;
  /** Set in program mode. */
  graph?: GraphFigures;
}

export interface GraphFigures {
  criticalSeconds: number;
  criticalSteps: number;
  depth: number;
  sequentialSeconds: number;
  /** One cluster, its node pool, istiod and a gateway load balancer (offline/durations.ts). */
  physicalFloorSeconds: number;
  /** `kind name [seconds]` per step of the critical path. */
  criticalPath: string[];
  destroySeconds: number;
  destroyDependencyBoundSeconds: number;
  destroyWaves: number;
  /** The slowest delete of each wave with a cost, `kind name [seconds]`. */
  destroyPath: string[];
  unmodelledTypes: string[];
}

const step = (type: string, name: string, seconds: number) => `${kindOf(type)} ${name} [${seconds} s]`;

function figures(evaluation: Evaluation): GraphFigures {
  const analysis = analyze(evaluation.resources);
  const { critical } = analysis;
  const destroy = destroyPlan(evaluation.resources);
  const costly = destroy.waves.filter((w) => w.slowest && w.slowest.seconds > 0);
  return {
    criticalSeconds: critical.seconds,
    criticalSteps: critical.path.length,
    depth: critical.depth,
    sequentialSeconds: critical.sequentialSeconds,
    physicalFloorSeconds: physicalFloorSeconds(),
    criticalPath: critical.path.map((s) => step(s.node.record.type, s.node.record.name, s.node.seconds)),
    destroySeconds: destroy.seconds,
    destroyDependencyBoundSeconds: destroy.dependencyBoundSeconds,
    destroyWaves: destroy.waves.filter((w) => w.members.length > 0).length,
    destroyPath: costly.map((w) => step(w.slowest!.record.type, w.slowest!.record.name, w.seconds)),
    unmodelledTypes: [...analysis.unmodelledTypes],
  };
}

const digest = (evaluation: Evaluation) =>
  createHash("sha256")
    .update(
      evaluation.resources
        .map((r) => r.urn)
        .sort()
        .join("\n"),
    )
    .digest("hex")
    .slice(0, 16);

async function run(topology: Topology, clusters: number, mode: Mode, recording?: string): Promise<RunResult> {
  const config = meshConfig(topology, clusters, mode === "samples" ? SAMPLES : {});
  const names = (JSON.parse(config["istio-multicluster:clusters"]!) as { name: string }[]).map((c) => c.name);
  await Promise.all(names.map(clusterCaPem));
  const classes = resourceClasses();
  let program: (() => unknown) | undefined;
  if (mode === "floor") {
    if (!recording) throw new Error("floor mode needs the recording of a program run");
    const script = JSON.parse(readFileSync(recording, "utf8")) as ReplayScript;
    program = () => replay(script, classes);
  }

  const cpu = process.cpuUsage();
  const started = performance.now();
  const evaluation = await evaluate(config, { stack: "bench", ...(program ? { program } : {}) });
  const evaluationMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;

  const base = { topology, clusters, mode, evaluationMs, cpuMs };
  if (evaluation.error !== undefined) {
    const error = evaluation.error instanceof Error ? evaluation.error.message : String(evaluation.error);
    return { ...base, resources: 0, urnDigest: "", error };
  }
  const resources = evaluation.resources.filter((r) => r.custom && r.type !== "pulumi:pulumi:Stack").length;
  if (mode === "program" && recording)
    writeFileSync(recording, JSON.stringify(replayScript(evaluation.resources, evaluation.outputs)));
  return {
    ...base,
    resources,
    urnDigest: digest(evaluation),
    ...(mode === "program" ? { graph: figures(evaluation) } : {}),
  };
}

function parseRunArgs(argv: readonly string[]) {
  const topology = argv[0] as Topology;
  const clusters = Number(argv[1]);
  const mode = (argv[2] ?? "program") as Mode;
  if (
    !TOPOLOGIES.includes(topology) ||
    !Number.isInteger(clusters) ||
    clusters < 1 ||
    !MODES.includes(mode)
  ) {
    throw new Error(
      `usage: bench-run.ts <${TOPOLOGIES.join("|")}> <clusters> [${MODES.join("|")}] [recording.json]`,
    );
  }
  return { topology, clusters, mode, recording: argv[3] };
}

if (require.main === module) {
  // tsx maps every stack trace through source maps; `pulumi up` does not pay that per promise.
  process.setSourceMapsEnabled(false);
  const { topology, clusters, mode, recording } = parseRunArgs(process.argv.slice(2));
  void run(topology, clusters, mode, recording).then(
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
