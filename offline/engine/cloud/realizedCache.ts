// Disk memo for mock handlers whose outputs are a pure function of their inputs (certificates with a
// fixed start date and name-derived serials): the first evaluation on a machine does the X.509 work,
// later ones read the result, so timings measure the program rather than the mock's encoders.
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Handler, Realized } from "../mockCloud";
/** The mock cloud's per-machine cache (generated keys, realized certificates), outside the repository. */
export const MOCK_CACHE_DIR = join(
  __dirname,
  "..",
  "..",
  "..",
  "node_modules",
  ".cache",
  "istio-multicluster",
);
const REALIZED_DIR = process.env["ISTIO_MC_REALIZED_CACHE"] ?? join(MOCK_CACHE_DIR, "realized");

export function memoizeOnDisk(kind: string, handler: Handler): Handler {
  return async (args, cloud) => {
    const digest = createHash("sha256")
      .update(JSON.stringify([kind, args.name, args.inputs]))
      .digest("hex");
    const file = join(REALIZED_DIR, `${kind}-${digest}.json`);
    try {
      return JSON.parse(await readFile(file, "utf8")) as Realized;
    } catch {
      const realized = await handler(args, cloud);
      await mkdir(REALIZED_DIR, { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify(realized));
      await rename(temporary, file); // atomic: parallel test processes never read half a file
      return realized;
    }
  };
}
