// `npm test` runs the test files in a few processes rather than one process each. A file's start-up alone
// (loading the Pulumi SDKs, the program and the mock engine: about 1.5 s of CPU) was over a third of the
// suite's time on two cores. Each shard process loads its share of test/*.test.ts, chosen here; any file
// still runs on its own with `node --import tsx --test test/<file>.test.ts`.
import { readdirSync } from "node:fs";
import { join } from "node:path";

export const TEST_DIR = join(__dirname, "..");
/** Twice the two cores `npm run test:unit` uses: a shard that ends early leaves room for the next. */
export const SHARD_COUNT = 4;

/**
 * Seconds each slower file took on its own (start-up included), on two cores, measured with
 * `for f in test/*.test.ts; do /usr/bin/time -f "%e $f" node --import tsx --test $f >/dev/null; done`.
 * They only balance the shards: a stale or missing entry costs time, never a test.
 */
export const MEASURED_SECONDS: Readonly<Record<string, number>> = {
  "lifecycle.test.ts": 12.3,
  "day2.test.ts": 10.8,
  "plan-command.test.ts": 8.7,
  "gcp-resources.test.ts": 7.1,
  "graph-identity.test.ts": 5.9,
  "revisions-mesh.test.ts": 5.6,
  "installed-package.test.ts": 5.4,
  "rotation.test.ts": 5.1,
  "risks.test.ts": 4.8,
  "infrastructure.test.ts": 4.3,
  "destroy.test.ts": 4.2,
  "mesh-names.test.ts": 4.2,
  "plan-mermaid.test.ts": 3.9,
  "samples-seeds.test.ts": 3.7,
  "stack-secrets.test.ts": 3.4,
  "example.test.ts": 3.3,
  "mockKeys.test.ts": 3.2,
  "provider-facts.test.ts": 3.2,
  "config.test.ts": 3.1,
};
/** What a file not listed above is taken to cost. */
export const DEFAULT_SECONDS = 2;

export function testFiles(dir: string = TEST_DIR): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".test.ts"))
    .sort();
}

/**
 * Longest first, each onto the shard with the least work so far (the classic LPT rule): every file lands
 * in exactly one shard, and no shard gets a second heavy file while another has none.
 */
export function planShards(
  files: readonly string[],
  count: number,
  seconds: Readonly<Record<string, number>> = MEASURED_SECONDS,
): string[][] {
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`shard count must be a positive integer: ${count}`);
  const cost = (file: string) => seconds[file] ?? DEFAULT_SECONDS;
  const shards = Array.from({ length: count }, () => ({ files: [] as string[], load: 0 }));
  const heaviestFirst = [...new Set(files)].sort((a, b) => cost(b) - cost(a) || a.localeCompare(b));
  for (const file of heaviestFirst) {
    const lightest = shards.reduce((min, shard) => (shard.load < min.load ? shard : min));
    lightest.files.push(file);
    lightest.load += cost(file);
  }
  return shards.map((shard) => shard.files.sort());
}

/** Registers the tests of shard `index` (1-based) with node:test, synchronously, as a test file does. */
export function loadShard(index: number): void {
  const files = planShards(testFiles(), SHARD_COUNT)[index - 1];
  if (files === undefined) throw new Error(`there is no shard ${index} of ${SHARD_COUNT}`);
  // A file's tests must be registered before node:test starts running this process's tests, hence require.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  for (const file of files) require(join(TEST_DIR, file));
}
