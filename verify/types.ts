// Shared vocabulary of the verification: what it reads, how it runs commands, what it returns.
import type {
  BookinfoOutputs,
  ClusterOutputs,
  HelloworldOutputs,
  HttpbinOutputs,
  OnlineBoutiqueOutputs,
} from "../mesh/outputs";

/** Exit codes of `npm run verify`, stable for CI pipelines. */
export const EXIT = {
  ok: 0,
  /** A check ran and failed: traffic, remote secrets, frontend, missing pod. */
  checkFailed: 1,
  /** Bad arguments, stack not deployed or without outputs, pulumi/kubectl/auth plugin missing. */
  usage: 2,
  /** A cluster's API server could not be reached or refused the credentials. */
  unreachable: 3,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error that ends the run with a given exit code and a message meant for people. */
export class VerifyError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = "VerifyError";
  }
}

/** What the checks need of one cluster's stack outputs (mesh/outputs.ts ClusterOutputs, resolved). */
export type ClusterTarget = Pick<ClusterOutputs<string>, "name" | "role" | "kubeconfig" | "watches"> &
  Partial<Pick<ClusterOutputs<string>, "network">>;

export interface VerifyInput {
  topology?: string;
  clusters: ClusterTarget[];
  helloworld?: Pick<HelloworldOutputs, "namespace"> & {
    /** Version each cluster runs. */
    placement: Record<string, string>;
  };
  onlineBoutique?: Pick<OnlineBoutiqueOutputs<string>, "url">;
  bookinfo?: Pick<BookinfoOutputs, "namespace" | "productpageCluster" | "reviewsV3Cluster">;
  httpbin?: Pick<HttpbinOutputs, "namespace" | "serverCluster" | "clientCluster">;
  /** The roots the clusters should trust (rootCertificate) and the rotation stage (verify/trust.ts). */
  trust?: { roots: string; stage?: string };
}

export interface RunResult {
  /** Exit status; null when the process could not start or was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut?: boolean;
  /** The executable does not exist (ENOENT). */
  notFound?: boolean;
}

/** Runs one command; injected so the logic is tested without clusters. */
export type Runner = (
  command: string,
  args: readonly string[],
  options?: { timeoutMs?: number },
) => Promise<RunResult>;

export interface HttpResult {
  status: number;
}

export interface VerifyDeps {
  run: Runner;
  /** Rejects on network errors and timeouts. */
  httpGet(url: string, timeoutMs: number): Promise<HttpResult>;
  sleep(ms: number): Promise<void>;
  now(): number;
  log(line: string): void;
}
