// The changes of a diff that a reviewer must not miss, each with why it is risky and what to do: replaced
// GKE clusters, privateNodes switched, a new namePrefix, a new meshId, a remote ahead of its primary's Istio,
// and a cluster with deletion protection that the change deletes. Pure: two plans and the diff between their
// evaluations in, warnings out. A new root CA, and every stage of a root rotation, is the rotation's own
// check (offline/rotationWarnings.ts), whose lines the diff shows with these.
import type { MeshDiff, Step } from "./engine/diff";
import type { MeshPlan } from "../plan/types";

export interface Warning {
  /** Short, stable name of the risk (`clusters-replaced`), for tests and for filtering. */
  readonly risk: string;
  /** What changes, in one line. */
  readonly summary: string;
  /** Why it is risky. */
  readonly why: string;
  /** What to do about it. */
  readonly action: string;
}

const GKE_CLUSTER = "gcp:container/cluster:Cluster";
const FORCES = / \(forces replacement\)$/;

const list = (names: readonly string[]) => names.join(", ");
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The mesh cluster a GKE cluster step is about: its GCP name looked up in the plans, else the step's name. */
function meshClusterNamed(step: Step, plans: readonly MeshPlan[]): string {
  const gcpName = step.record.inputs["name"];
  for (const plan of plans)
    for (const c of plan.clusters) if (c.source === "created" && c.gcp.gkeCluster === gcpName) return c.name;
  return step.name;
}

function replacedClusters(before: MeshPlan, after: MeshPlan, diff: MeshDiff): Warning[] {
  const replaced = diff.of("replace").filter((s) => s.type === GKE_CLUSTER);
  if (replaced.length === 0) return [];
  const names = replaced.map((s) => meshClusterNamed(s, [after, before])).sort();
  const fields = [...new Set(replaced.flatMap((s) => s.reasons.map((r) => r.replace(FORCES, ""))))].sort();
  return [
    {
      risk: "clusters-replaced",
      summary:
        `${plural(replaced.length, "GKE cluster")} replaced (${list(names)}), ` +
        `forced by ${fields.length > 0 ? list(fields) : "a force-new input"}`,
      why:
        "a replaced cluster is deleted before its successor is created (its name is fixed): its workloads, " +
        "PersistentVolumes and anything this program does not manage are lost, and it is out of the mesh meanwhile",
      action:
        "to move a cluster, add a new one under another name, shift traffic, then remove the old one " +
        "(docs/day2.md); otherwise revert the field",
    },
  ];
}

function privateNodesSwitched(before: MeshPlan, after: MeshPlan): Warning[] {
  if (before.gke.privateNodes === after.gke.privateNodes) return [];
  const created = after.clusters.filter((c) => c.source === "created").map((c) => c.name);
  return [
    {
      risk: "private-nodes-switched",
      summary: `privateNodes ${after.gke.privateNodes ? "on" : "off"}: every created cluster is replaced (${list(created)})`,
      why:
        "GKE cannot add or remove a cluster's control-plane range (masterIpv4CidrBlock) in place, so every " +
        "created cluster is deleted and created again, with everything in it",
      action:
        "build the new setting as a second mesh (another stack or namePrefix) and move traffic, or accept " +
        "a full rebuild in a maintenance window",
    },
  ];
}

function namePrefixChanged(before: MeshPlan, after: MeshPlan): Warning[] {
  if (before.namePrefix === after.namePrefix) return [];
  return [
    {
      risk: "name-prefix-changed",
      summary: `namePrefix "${before.namePrefix}" -> "${after.namePrefix}": every GCP name changes`,
      why:
        "GCP names are fixed at creation, so every network, cluster, address and service account is " +
        "replaced, and everything in the clusters with them",
      action:
        `keep the deployed names with \`pulumi config set namePrefix ${before.namePrefix}\` (a renamed ` +
        "stack changes the default prefix); change it only to build a new mesh",
    },
  ];
}

function meshIdChanged(before: MeshPlan, after: MeshPlan): Warning[] {
  if (before.meshId === after.meshId) return [];
  return [
    {
      risk: "mesh-id-changed",
      summary: `meshId "${before.meshId}" -> "${after.meshId}": pods created from now on carry the new one`,
      why:
        "the injector writes the mesh ID into each pod when the pod is created (ISTIO_META_MESH_ID, " +
        "injection-template.yaml), so running workloads and gateways keep the old one: until each is " +
        "restarted, metrics and traces carry two mesh IDs, where Istio expects one across the mesh",
      action:
        "after the up, restart the injected workloads and the gateways (`kubectl rollout restart " +
        "deployment -n <namespace>` in every cluster), or keep the deployed meshId",
    },
  ];
}

/** -1, 0 or 1 by major, minor and patch (versions are validated `x.y.z`). */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [a.split(".").map(Number), b.split(".").map(Number)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0) ? -1 : 1;
  return 0;
}

/** Remotes whose Istio would be newer than their primary's, by remote name: `remote -> [its, primary's]`. */
function remotesAhead(plan: MeshPlan): Map<string, [string, string]> {
  const byName = new Map(plan.clusters.map((c) => [c.name, c]));
  const ahead = new Map<string, [string, string]>();
  for (const c of plan.clusters) {
    const primary = c.remote ? byName.get(c.remote.primary) : undefined;
    if (primary && compareVersions(c.istio.version, primary.istio.version) > 0)
      ahead.set(c.name, [c.istio.version, primary.istio.version]);
  }
  return ahead;
}

function remoteAheadOfPrimary(before: MeshPlan, after: MeshPlan): Warning[] {
  const was = remotesAhead(before);
  const byName = new Map(after.clusters.map((c) => [c.name, c]));
  return [...remotesAhead(after)]
    .filter(([name, versions]) => was.get(name)?.join() !== versions.join())
    .map(([name, [version, primaryVersion]]) => {
      const primary = byName.get(name)!.remote!.primary;
      return {
        risk: "remote-ahead-of-primary",
        summary: `remote ${name} would run Istio ${version}, ahead of its primary ${primary} (${primaryVersion})`,
        why:
          "a remote's sidecars and gateways come from its primary's injector and istiod: a remote ahead of " +
          "them runs charts newer than the control plane that configures it (docs/day2.md)",
        action: `upgrade ${primary} first (or with ${name}): set its istioVersion to ${version} in the same change`,
      };
    });
}

function protectedClustersDeleted(before: MeshPlan, after: MeshPlan, diff: MeshDiff): Warning[] {
  if (!before.gke.deletionProtection) return [];
  const gone = diff.steps.filter(
    (s) => s.type === GKE_CLUSTER && (s.kind === "delete" || s.kind === "replace"),
  );
  if (gone.length === 0) return [];
  const names = gone.map((s) => meshClusterNamed(s, [before, after])).sort();
  return [
    {
      risk: "protected-cluster-deleted",
      summary: `${plural(gone.length, "cluster")} with deletion protection would be deleted (${list(names)})`,
      why:
        "the provider refuses to delete a cluster whose state has deletionProtection: true, before calling " +
        "GKE, so `pulumi up` stops there, after the steps that ran before it",
      action:
        "first `pulumi config set deletionProtection false && pulumi up` with the clusters still in the " +
        "config, then apply this change (and turn protection on again afterwards)",
    },
  ];
}

/** Every risk of going from `before` to `after`, in the order a reviewer should read them. */
export function changeRisks(before: MeshPlan, after: MeshPlan, diff: MeshDiff): Warning[] {
  return [
    ...protectedClustersDeleted(before, after, diff),
    ...namePrefixChanged(before, after),
    ...meshIdChanged(before, after),
    ...privateNodesSwitched(before, after),
    ...replacedClusters(before, after, diff),
    ...remoteAheadOfPrimary(before, after),
  ];
}
