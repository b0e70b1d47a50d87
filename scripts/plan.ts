// `npm run plan -- --stack <name>`: what `pulumi up` would build for a stack, without a cloud or the
// Pulumi CLI. Evaluates the real program with the stack's config on the mock engine, prints resources
// per cluster and kind, totals, the critical path, the address plan and the GCP footprint with its quotas,
// and writes <stack>.svg, <stack>.md (Mermaid) and <stack>.dot. With `--against <target>` it first checks
// the target config, then prints what `pulumi up` would create, update, replace and delete to get there,
// with a WARNING line per risky change, before the stack's own plan; with --destroy, the order
// `pulumi destroy` takes instead, checked, and where deletion protection stops it.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { SECRET_KEYS } from "../config/load";
import { ConfigError } from "../config/validate";
import { renderAddresses } from "../offline/addressReport";
import { renderDiff } from "../offline/diffReport";
import { rotationWarnings } from "../offline/rotationWarnings";
import { footprintOf } from "../offline/footprint";
import { renderFootprint } from "../offline/footprintReport";
import { diffEvaluations } from "../offline/engine/diff";
import { assignGroups } from "../offline/groups";
import type { MeshPlan } from "../plan/types";
import { planOfConfig } from "../offline/configPlan";
import { changeRisks } from "../offline/risks";
import { revisionTransitionProblems } from "../plan/revisionTransition";
import { analyze, formatDuration } from "../offline/analysis";
import { buildDiagram, renderDot, renderMarkdown, type Detail } from "../offline/diagram";
import { destroyPlan } from "../offline/destroy";
import { checkDestroyOrder } from "../offline/destroyChecks";
import { protectedStop } from "../offline/destroyProtection";
import { destroyExitCode, renderDestroyReport } from "../offline/destroyReport";
import type { ResourceRecord } from "../offline/graph";
import { renderReport, type ReportHeading } from "../offline/render";
import { renderSvg } from "../offline/svg";
import { evaluate } from "../offline/engine/runtime";
import { up } from "../offline/engine/lifecycle";
import { previewFailure, secondUpReport } from "../offline/lifecycleReport";
import {
  listStacks,
  loadStack,
  loadStackFile,
  PROJECT,
  ROOT,
  stackNameOf,
  withOverrides,
  type CliConfig,
  type StackFile,
} from "../offline/engine/stackFiles";
import { renderSecretPlaceholders } from "../offline/secretPlaceholdersNote";

const USAGE = `usage: npm run plan -- [--stack <name> | --stack-file <path>] [--against <target>] [--out <dir>] [--detail auto|full|collapsed] [--destroy] [--refresh]
  --stack       stack whose Pulumi.<name>.yaml to evaluate (default: dev)
  --stack-file  a stack file anywhere, e.g. one not added yet (named after Pulumi.<name>.yaml unless
                --stack names it)
  --against     a target config: a stack file, or JSON overrides of the stack's keys
                ('{"clusters": [...]}'); prints first what pulumi up would change to get there,
                with a WARNING line for each risky change
  --out         directory for <stack>.svg, <stack>.md and <stack>.dot (default: out/plan)
  --detail      one node per resource (full), per component and cluster (collapsed), or by size (auto)
  --destroy     print the order \`pulumi destroy\` takes and its critical path, check it (exit 1 on a violation),
                and where deletion protection would stop it
  --refresh     the second \`pulumi up --refresh\` after the first up: what it would change (exit 1 unless nothing)
Every config is first previewed as \`pulumi preview\` runs on a new stack (exit 1 when that would fail).`;

interface PlanOptions {
  stack: string;
  stackFile: string | undefined;
  against: string | undefined;
  outDir: string;
  detail: Detail;
  destroy: boolean;
  refresh: boolean;
}

class UsageError extends Error {}

/** Where the command prints: the console when run, a buffer when a test runs it in-process. */
export interface PlanIo {
  write(text: string): void;
  log(line: string): void;
  error(line: string): void;
}

const consoleIo: PlanIo = {
  write: (text) => process.stdout.write(text),
  log: (line) => console.log(line),
  error: (line) => console.error(line),
};

export function parseArgs(argv: readonly string[]): PlanOptions | "help" {
  const options: PlanOptions = {
    stack: "dev",
    stackFile: undefined,
    against: undefined,
    outDir: join(ROOT, "out", "plan"),
    detail: "auto",
    destroy: false,
    refresh: false,
  };
  let named = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") return "help";
    if (arg === "--destroy" || arg === "--refresh") {
      options[arg === "--destroy" ? "destroy" : "refresh"] = true;
      continue;
    }
    const [flag, inline] = arg.includes("=") ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = inline ?? argv[++i];
    if (value === undefined || value === "") throw new UsageError(`${flag} needs a value`);
    if (flag === "--stack") {
      options.stack = value;
      named = true;
    } else if (flag === "--stack-file") {
      options.stackFile = resolve(value);
      // The stack's name scopes GCP names: an explicit --stack keeps it for a file named otherwise.
      if (!named) options.stack = stackNameOf(value);
    } else if (flag === "--against") options.against = value;
    else if (flag === "--out") options.outDir = resolve(value);
    else if (flag === "--detail") {
      if (value !== "auto" && value !== "full" && value !== "collapsed") {
        throw new UsageError(`--detail must be auto, full or collapsed, not "${value}"`);
      }
      options.detail = value;
    } else throw new UsageError(`unknown argument "${arg}"`);
  }
  return options;
}

function readStackFile(options: PlanOptions, io: PlanIo): StackFile | undefined {
  if (options.stackFile !== undefined) {
    if (existsSync(options.stackFile)) return loadStackFile(options.stackFile);
    io.error(`plan: stack file ${options.stackFile} does not exist`);
    return undefined;
  }
  const stacks = listStacks();
  if (stacks.includes(options.stack)) return loadStack(options.stack);
  io.error(`plan: unknown stack "${options.stack}": there is no Pulumi.${options.stack}.yaml`);
  io.error(`known stacks: ${stacks.join(", ")}`);
  return undefined;
}

/** The first `pulumi preview` of a new stack: a read of something not created yet fails it. */
async function previewPasses(
  io: PlanIo,
  config: CliConfig,
  stack: string,
  what: string,
  secretKeys?: readonly string[],
): Promise<boolean> {
  const failure = await previewFailure(config, { stack, ...(secretKeys ? { secretKeys } : {}) });
  if (failure === undefined) return true;
  io.error(`plan: \`pulumi preview\` of ${what} as a new stack would fail: ${failure}`);
  return false;
}

async function plan(options: PlanOptions, io: PlanIo): Promise<number> {
  const stackFile = readStackFile(options, io);
  if (stackFile === undefined) return 1;
  const { config, secretKeys } = stackFile;
  // A bad target is reported before anything is evaluated: read, then validated like the program does.
  const against = options.against === undefined ? undefined : targetConfig(options.against, stackFile, io);
  const [target, targetSecrets] = [against?.config, against?.secretKeys ?? []];
  let targetPlan: MeshPlan | undefined;
  if (options.against !== undefined) {
    if (target === undefined) return 1;
    const checked = planOfConfig(target, options.stack, targetSecrets);
    if (!checked.ok) {
      reportFailure(io, new ConfigError(checked.problems), `the target ${options.against}`, options.against);
      return 1;
    }
    targetPlan = checked.plan;
  }
  // What the plan could not know comes first: secrets it planned with placeholders.
  io.write(renderSecretPlaceholders(stackFile));
  // With --refresh this evaluation is the first `up` the second ones start from.
  const firstUp = options.refresh
    ? await up(config, undefined, { stack: options.stack, secretKeys })
    : undefined;
  const evaluation = firstUp?.evaluation ?? (await evaluate(config, { stack: options.stack, secretKeys }));
  if (evaluation.error !== undefined) {
    reportFailure(
      io,
      evaluation.error,
      `stack "${options.stack}"`,
      options.stackFile ?? `Pulumi.${options.stack}.yaml`,
    );
    return 1;
  }

  if (!(await previewPasses(io, config, options.stack, `stack "${options.stack}"`, secretKeys))) return 1;
  if (options.refresh) {
    const report = await secondUpReport(config, options.stack, { secretKeys }, firstUp);
    io.write(report.text);
    return report.empty ? 0 : 1;
  }
  const records = evaluation.resources;
  const heading = { stack: options.stack, topology: config["istio-multicluster:topology"] };
  if (options.destroy) return destroyReport(records, heading, io);
  const basePlan = planOf(config, secretKeys, options.stack);
  if (options.against !== undefined && target !== undefined && targetPlan !== undefined) {
    // The diff first: it is what a reviewer of the change reads; the base plan follows for reference.
    const after = await evaluate(target, { stack: options.stack, secretKeys: targetSecrets });
    if (after.error !== undefined) {
      reportFailure(io, after.error, `the target ${options.against}`, options.against);
      return 1;
    }
    const preview = `the target ${options.against}`;
    if (!(await previewPasses(io, target, options.stack, preview, targetSecrets))) return 1;
    const diff = diffEvaluations(records, after.resources);
    const groups = new Map([...assignGroups(records), ...assignGroups(after.resources)]);
    const heading = `Changes from stack "${options.stack}" to ${describeTarget(options.against)}:`;
    const warnings = changeRisks(basePlan, targetPlan, diff);
    const rotation = rotationWarnings(basePlan.ca, targetPlan.ca);
    io.write(renderDiff(diff, groups, heading, warnings, rotation));
    // Canary stages (docs/upgrades.md): a step that removes or skips what workloads rely on is refused.
    const skipped = revisionTransitionProblems(basePlan, targetPlan);
    if (skipped.length > 0) {
      io.error(`plan: the target skips a stage of the canary upgrade:`);
      for (const problem of skipped) io.error(`  - ${problem}`);
      return 1;
    }
    io.log("");
    io.log(`The stack as it is (before the change):`);
    io.log("");
  }
  const analysis = analyze(records);
  io.write(renderReport(analysis, heading));

  const diagram = buildDiagram(analysis, options.detail);
  mkdirSync(options.outDir, { recursive: true });
  const markdownPath = join(options.outDir, `${options.stack}.md`);
  const dotPath = join(options.outDir, `${options.stack}.dot`);
  writeFileSync(markdownPath, renderMarkdown(analysis, diagram, heading));
  const { critical } = analysis;
  const title = `istio-multicluster ${options.stack}: ${analysis.resourceCount} resources, critical path ${formatDuration(critical.seconds)}`;
  const dot = renderDot(diagram, title);
  writeFileSync(dotPath, dot);
  const svgPath = join(options.outDir, `${options.stack}.svg`);
  writeFileSync(svgPath, await renderSvg(dot));
  const shown = (path: string) => relative(process.cwd(), path) || path;
  io.log("");
  io.log(renderAddresses(basePlan).trimEnd());
  io.log("");
  io.log(renderFootprint(footprintOf(basePlan, records)).trimEnd());
  io.log("");
  io.log(`Wrote ${shown(svgPath)} (open it), ${shown(markdownPath)} (Mermaid) and ${shown(dotPath)}.`);
  return 0;
}

function reportFailure(io: PlanIo, error: unknown, what: string, fix: string): void {
  if (error instanceof ConfigError) {
    io.error(`plan: ${what} has an ${error.message}`);
    io.error(`Fix ${fix}; no resource was created.`);
  } else {
    io.error(`plan: the program failed for ${what}:`);
    io.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
}

/** The plan behind a config that evaluated (so validation passed). */
function planOf(config: CliConfig, secretKeys: readonly string[], stack: string): MeshPlan {
  const checked = planOfConfig(config, stack, secretKeys);
  if (!checked.ok) throw new ConfigError(checked.problems);
  return checked.plan;
}

const describeTarget = (against: string) =>
  against.trimStart().startsWith("{")
    ? `its config with ${Object.keys(JSON.parse(against) as object).join(", ")} overridden`
    : against;

/**
 * `--against`: a stack file (read as the CLI reads it, secrets and all), or JSON overrides of the stack's
 * keys (`{"clusters": [...]}`), which keep the stack's secret keys secret.
 */
function targetConfig(
  against: string,
  base: StackFile,
  io: PlanIo,
): Pick<StackFile, "config" | "secretKeys"> | undefined {
  if (against.trimStart().startsWith("{")) {
    let overrides: unknown;
    try {
      overrides = JSON.parse(against);
    } catch (error) {
      io.error(
        `plan: --against is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      );
      return undefined;
    }
    if (typeof overrides !== "object" || overrides === null || Array.isArray(overrides)) {
      io.error("plan: --against JSON must be an object of config keys");
      return undefined;
    }
    const config = withOverrides(overrides as Record<string, unknown>, base.config);
    const secret = SECRET_KEYS.map((k) => `${PROJECT}:${k}`).filter((k) => k in config);
    return { config, secretKeys: [...new Set([...base.secretKeys, ...secret])] };
  }
  const path = resolve(against);
  if (!existsSync(path)) {
    io.error(`plan: --against ${against}: no such stack file`);
    return undefined;
  }
  return loadStackFile(path);
}

function destroyReport(records: readonly ResourceRecord[], heading: ReportHeading, io: PlanIo): number {
  const order = destroyPlan(records);
  const checks = checkDestroyOrder(records, order);
  const stop = protectedStop(records, order);
  io.write(renderDestroyReport(order, checks, assignGroups(records), heading, stop));
  return destroyExitCode(checks);
}

/** `npm run plan` with these arguments; resolves to its exit code. */
export async function runPlan(argv: readonly string[], io: PlanIo = consoleIo): Promise<number> {
  let options: PlanOptions | "help";
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.error(`plan: ${error.message}\n${USAGE}`);
    return 1;
  }
  if (options === "help") {
    io.log(USAGE);
    return 0;
  }
  try {
    return await plan(options, io);
  } catch (error) {
    io.error(`plan: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (require.main === module) {
  // A resource the mock engine cannot realize fails as an unhandled rejection: report it, exit 1.
  process.on("unhandledRejection", (reason) => {
    console.error(`plan: the program failed: ${reason instanceof Error ? reason.message : String(reason)}`);
    process.exit(1);
  });
  // Exit explicitly: the mock runtime may keep handles open after the evaluation.
  void runPlan(process.argv.slice(2)).then((code) => process.exit(code));
}
