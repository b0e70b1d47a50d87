// Reading what the curl clients got back from helloworld and deciding whether traffic crossed clusters.

const HELLO = /^Hello version: ([\w.-]+), instance: (\S+)$/;

export interface HelloResponse {
  version: string;
  instance: string;
}

/** `Hello version: v2, instance: helloworld-v2-7d6b9f-x2k4p` -> { version, instance }. */
export function parseHelloLine(line: string): HelloResponse | undefined {
  const match = HELLO.exec(line.trim());
  return match ? { version: match[1]!, instance: match[2]! } : undefined;
}

/** What one client saw over one or more rounds of calls. */
export interface Tally {
  calls: number;
  versions: Record<string, number>;
  errors: number;
  /** First few lines that were not a helloworld answer (errors from curl or Envoy). */
  errorSamples: string[];
}

export const emptyTally = (): Tally => ({ calls: 0, versions: {}, errors: 0, errorSamples: [] });

/**
 * Adds one round: `stdout` holds one line per call (curl -w '\n'), `stderr` curl's own errors.
 * Calls that produced no helloworld answer count as errors.
 */
export function addRound(tally: Tally, calls: number, stdout: string, stderr: string): Tally {
  const versions = { ...tally.versions };
  const samples = [...tally.errorSamples];
  let answered = 0;
  const keep = (line: string) => {
    if (samples.length < 3 && !samples.includes(line)) samples.push(line);
  };
  for (const raw of stdout.split("\n")) {
    const line = raw.trim();
    if (line === "") continue;
    const hello = parseHelloLine(line);
    if (hello) {
      versions[hello.version] = (versions[hello.version] ?? 0) + 1;
      answered++;
    } else keep(line);
  }
  for (const raw of stderr.split("\n")) if (raw.trim() !== "") keep(raw.trim());
  return {
    calls: tally.calls + calls,
    versions,
    errors: tally.errors + Math.max(0, calls - answered),
    errorSamples: samples,
  };
}

export const missingVersions = (tally: Tally, expected: readonly string[]): string[] =>
  expected.filter((v) => !tally.versions[v]);

/** `v1: 11, v2: 9 (20 calls, 0 errors)` */
export function formatDistribution(tally: Tally): string {
  const seen = Object.keys(tally.versions)
    .sort()
    .map((v) => `${v}: ${tally.versions[v]}`);
  return `${seen.length > 0 ? seen.join(", ") : "no answers"} (${tally.calls} calls, ${tally.errors} errors)`;
}
