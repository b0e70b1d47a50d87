// `npm run docs [-- --check]`: writes the configuration reference (generated from config/schema.ts) into
// README.md between its markers, formatted as prettier formats the README; --check only reports a stale one.
import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import * as prettier from "prettier";
import { configReference, withReference } from "../config/reference";

export const README = resolve(__dirname, "..", "README.md");

/** The README as it should read: its own text with the current reference, formatted. */
export async function currentReadme(readme: string): Promise<string> {
  const options = (await prettier.resolveConfig(README)) ?? {};
  return prettier.format(withReference(readme, configReference()), { ...options, filepath: README });
}

async function main(check: boolean): Promise<number> {
  const readme = await readFile(README, "utf8");
  const wanted = await currentReadme(readme);
  if (wanted === readme) return 0;
  if (check) {
    console.error("README.md's configuration reference is stale: run npm run docs");
    return 1;
  }
  await writeFile(README, wanted);
  console.log("README.md: configuration reference updated");
  return 0;
}

if (require.main === module) {
  main(process.argv.includes("--check")).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
