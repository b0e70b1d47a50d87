// The istiod Helm releases of one cluster, one per revision, with their values: what the control plane
// component creates and what scripts/render-charts.ts renders with the real charts. Pure.
import { istiodNameOf, UNNAMED_REVISION } from "../plan/revisions";
import type { ClusterPlan, IstioRevision } from "../plan/types";
import type { IstioInstall } from "./artifacts";
import {
  primaryIstiodValues,
  remoteIstiodValues,
  revisionInstall,
  withMultiRoot,
  withRevision,
  type PrimaryIstiodValues,
  type RemoteIstiodValues,
  type RevisionValues,
} from "./values";

export interface IstiodRelease {
  readonly revision: IstioRevision;
  /** Helm release name: `istiod`, or `istiod-<revision>` (the chart names its objects alike). */
  readonly helmName: string;
  readonly install: IstioInstall;
  /** Whether values carry `revision`/`revisionTags` (never for a mesh without istioRevisions). */
  readonly revisioned: boolean;
}

/** A mesh without revisions: its one unnamed istiod, exactly as before revisions existed. */
const unrevisioned = (cluster: Pick<ClusterPlan, "istio">): IstiodRelease => ({
  revision: { name: UNNAMED_REVISION, version: cluster.istio.version, tags: [] },
  helmName: "istiod",
  install: cluster.istio,
  revisioned: false,
});

export function istiodReleases(cluster: Pick<ClusterPlan, "istio" | "revisions">): IstiodRelease[] {
  if (!cluster.revisions) return [unrevisioned(cluster)];
  return cluster.revisions.revisions.map((revision) => ({
    revision,
    helmName: istiodNameOf(revision.name),
    install: revisionInstall(cluster, revision),
    revisioned: true,
  }));
}

/** A primary's values for one release; `multiRoot` while a root rotation needs it (pki/rotation.ts). */
export function primaryReleaseValues(
  meshId: string,
  cluster: Pick<ClusterPlan, "name" | "network" | "istiodExposure" | "istio">,
  release: IstiodRelease,
  multiRoot = false,
): PrimaryIstiodValues | (PrimaryIstiodValues & RevisionValues) {
  const plain = primaryIstiodValues(meshId, { ...cluster, istio: release.install });
  const values = release.revisioned ? withRevision(plain, release.revision) : plain;
  return multiRoot ? withMultiRoot(values) : values;
}

export function remoteReleaseValues(
  cluster: Pick<ClusterPlan, "name" | "network" | "istio" | "remote">,
  release: IstiodRelease,
  remotePilotAddress: string,
  meshRootPem: string,
): RemoteIstiodValues | (RemoteIstiodValues & RevisionValues) {
  const values = remoteIstiodValues({ ...cluster, istio: release.install }, remotePilotAddress, meshRootPem);
  return release.revisioned ? withRevision(values, release.revision) : values;
}
