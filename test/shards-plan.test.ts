// npm test's shards (test/shards/plan.ts): every test file runs, in exactly one shard, and the work is spread.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  DEFAULT_SECONDS,
  MEASURED_SECONDS,
  planShards,
  SHARD_COUNT,
  TEST_DIR,
  testFiles,
} from "./shards/plan";

const SHARD_DIR = join(TEST_DIR, "shards");

describe("npm test's shards", () => {
  it("load every test file of test/ exactly once", () => {
    const files = readdirSync(TEST_DIR).filter((f) => f.endsWith(".test.ts"));
    assert.ok(files.includes("shards-plan.test.ts") && files.length > 40, "the test files were listed");
    const loaded = planShards(testFiles(), SHARD_COUNT).flat();
    assert.deepEqual([...loaded].sort(), [...files].sort());
  });

  it("are the files npm run test:unit runs, one per shard, each loading its own number", () => {
    const script = (
      JSON.parse(readFileSync(join(TEST_DIR, "..", "package.json"), "utf8")) as {
        scripts: Record<string, string>;
      }
    ).scripts["test:unit"]!;
    assert.match(script, / test\/shards\/\*\.test\.ts$/);
    const shardFiles = readdirSync(SHARD_DIR)
      .filter((f) => f.endsWith(".test.ts"))
      .sort();
    assert.deepEqual(
      shardFiles,
      Array.from({ length: SHARD_COUNT }, (_, i) => `${i + 1}.test.ts`),
    );
    for (const file of shardFiles) {
      const calls = [...readFileSync(join(SHARD_DIR, file), "utf8").matchAll(/loadShard\((\d+)\)/g)];
      assert.deepEqual(
        calls.map((c) => c[1]),
        [file.split(".")[0]],
        `${file} loads its own shard`,
      );
    }
  });

  it("measure only files that exist", () => {
    const files = new Set(testFiles());
    assert.deepEqual(
      Object.keys(MEASURED_SECONDS).filter((f) => !files.has(f)),
      [],
    );
  });

  it("partition any list, and no shard carries more than an even share plus its heaviest file", () => {
    const file = fc.stringMatching(/^[a-z]{1,6}\.test\.ts$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(file, { maxLength: 40 }),
        fc.integer({ min: 1, max: 8 }),
        fc.dictionary(file, fc.double({ min: 0.1, max: 30, noNaN: true })),
        (files, count, seconds) => {
          const shards = planShards(files, count, seconds);
          assert.equal(shards.length, count);
          assert.deepEqual(shards.flat().sort(), [...files].sort());
          const cost = (f: string) => seconds[f] ?? DEFAULT_SECONDS;
          const loads = shards.map((shard) => shard.reduce((sum, f) => sum + cost(f), 0));
          const total = files.reduce((sum, f) => sum + cost(f), 0);
          const heaviest = Math.max(0, ...files.map(cost));
          for (const load of loads) assert.ok(load <= total / count + heaviest + 1e-9, `${load} of ${total}`);
        },
      ),
    );
  });

  it("spread the measured files: the heaviest shard is within the heaviest file of the lightest", () => {
    const cost = (f: string) => MEASURED_SECONDS[f] ?? DEFAULT_SECONDS;
    const loads = planShards(testFiles(), SHARD_COUNT).map((s) => s.reduce((sum, f) => sum + cost(f), 0));
    assert.ok(
      Math.max(...loads) - Math.min(...loads) <= Math.max(...Object.values(MEASURED_SECONDS)),
      `${loads}`,
    );
  });

  it("refuses a shard count that is not a positive integer", () => {
    assert.throws(() => planShards(["a.test.ts"], 0), /positive integer/);
    assert.throws(() => planShards(["a.test.ts"], 1.5), /positive integer/);
  });
});
