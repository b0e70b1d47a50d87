// Mesh CA of the graph: one root (generated, or the user's own) and an intermediate per istiod cluster,
// plus the new root of a staged rotation while one is in progress.
import type * as pulumi from "@pulumi/pulumi";
import { formerly } from "../components/formerNames";
import { MeshCertificateAuthority, type MeshCertificateAuthorityArgs } from "../components/meshCa";
import type { CaPlan, CaRotationPlan } from "../plan/types";

/** Secret keys of the user's own roots, as validation paired them with their certificates. */
export interface RootKeys {
  caRootPrivateKey?: pulumi.Output<string>;
  caRotationNewRootPrivateKey?: pulumi.Output<string>;
}

function rotationArgs(
  rotation: CaRotationPlan,
  newRootKey: pulumi.Output<string> | undefined,
): MeshCertificateAuthorityArgs["rotation"] {
  const { newRoot } = rotation;
  if ((newRoot.kind === "byo") !== (newRootKey !== undefined)) {
    throw new Error("buildMeshCa: a bring-your-own new root needs both its certificate and its private key");
  }
  return {
    stage: rotation.stage,
    newRoot:
      newRoot.kind === "byo"
        ? { byo: { certificatePem: newRoot.certificate, privateKeyPem: newRootKey! } }
        : { generated: { name: newRoot.name, validityHours: newRoot.validityHours } },
    keyAlgorithm: rotation.keyAlgorithm,
    organization: rotation.organization,
  };
}

export function buildMeshCa(
  meshName: string,
  ca: CaPlan,
  keys: RootKeys,
  parent: pulumi.Resource,
): MeshCertificateAuthority {
  const caRootPrivateKey = keys.caRootPrivateKey;
  if ((ca.byoRootCertificate === undefined) !== (caRootPrivateKey === undefined)) {
    // Validation pairs the two; reaching here means a caller skipped it.
    throw new Error("buildMeshCa: a bring-your-own root needs both its certificate and its private key");
  }
  return new MeshCertificateAuthority(
    `${meshName}-ca`,
    {
      clusters: [...ca.intermediates],
      keyAlgorithm: ca.keyAlgorithm,
      organization: ca.organization,
      rootValidityHours: ca.rootValidityHours,
      intermediateValidityHours: ca.intermediateValidityHours,
      earlyRenewalHours: ca.earlyRenewalHours,
      ...(ca.byoRootCertificate !== undefined && caRootPrivateKey !== undefined
        ? { byoRoot: { certificatePem: ca.byoRootCertificate, privateKeyPem: caRootPrivateKey } }
        : {}),
      ...(ca.rootName !== undefined ? { rootName: ca.rootName } : {}),
      ...(ca.rotation !== undefined
        ? { rotation: rotationArgs(ca.rotation, keys.caRotationNewRootPrivateKey) }
        : {}),
    },
    { parent, ...formerly("mesh-ca") },
  );
}
