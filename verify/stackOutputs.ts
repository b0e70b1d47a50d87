// Reading a stack's outputs through the Pulumi CLI, with the failures people actually hit.
import { EXIT, VerifyError, type Runner } from "./types";

export async function readStackOutputs(run: Runner, stack: string): Promise<unknown> {
  const result = await run("pulumi", ["stack", "output", "--json", "--show-secrets", "--stack", stack], {
    timeoutMs: 120_000,
  });
  if (result.notFound) {
    throw new VerifyError(
      EXIT.usage,
      "the pulumi CLI was not found on PATH: install it (https://www.pulumi.com/docs/iac/download-install/)",
    );
  }
  if (result.timedOut) throw new VerifyError(EXIT.usage, `pulumi stack output --stack ${stack} timed out`);
  if (result.code !== 0) {
    const detail = result.stderr.trim().split("\n")[0] ?? "";
    if (/no stack named|stack .* not found|could not find stack/i.test(result.stderr)) {
      throw new VerifyError(
        EXIT.usage,
        `stack "${stack}" does not exist: create and deploy it with pulumi up --stack ${stack}`,
      );
    }
    if (/not logged in|PULUMI_ACCESS_TOKEN|login/i.test(result.stderr)) {
      throw new VerifyError(EXIT.usage, `pulumi is not logged in to a backend: run pulumi login (${detail})`);
    }
    throw new VerifyError(EXIT.usage, `pulumi stack output --stack ${stack} failed: ${detail}`);
  }
  try {
    return result.stdout.trim() === "" ? {} : (JSON.parse(result.stdout) as unknown);
  } catch {
    throw new VerifyError(EXIT.usage, `pulumi stack output --stack ${stack} did not print JSON`);
  }
}
