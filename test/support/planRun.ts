// `npm run plan -- <args>` called in this process, its output captured: the command's own entry point,
// without a start-up of the whole program per case.
import { runPlan } from "../../scripts/plan";

export interface PlanRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export async function planInProcess(...args: string[]): Promise<PlanRun> {
  let stdout = "";
  let stderr = "";
  const status = await runPlan(args, {
    write: (text) => (stdout += text),
    log: (line) => (stdout += `${line}\n`),
    error: (line) => (stderr += `${line}\n`),
  });
  return { status, stdout, stderr };
}
