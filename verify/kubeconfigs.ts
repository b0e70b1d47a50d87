// Kubeconfigs of the stack in a private temporary directory (0700, files 0600), removed afterwards.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ClusterTarget } from "./types";

export interface KubeconfigFiles {
  dir: string;
  paths: ReadonlyMap<string, string>;
  cleanup(): Promise<void>;
}

export async function writeKubeconfigs(
  clusters: readonly ClusterTarget[],
  parent = tmpdir(),
): Promise<KubeconfigFiles> {
  // mkdtemp creates the directory with mode 0700.
  const dir = await mkdtemp(join(parent, "istio-verify-"));
  const paths = new Map<string, string>();
  try {
    for (const cluster of clusters) {
      const path = join(dir, `${cluster.name}.kubeconfig`);
      await writeFile(path, cluster.kubeconfig, { mode: 0o600 });
      paths.set(cluster.name, path);
    }
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return { dir, paths, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
