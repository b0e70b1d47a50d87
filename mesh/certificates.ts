// Mesh CA of the graph: one root (generated, or the user's own) and an intermediate per istiod cluster.
import type * as pulumi from "@pulumi/pulumi";
import { MeshCertificateAuthority } from "../components/meshCa";
import type { CaPlan } from "../plan/types";

export function buildMeshCa(
  ca: CaPlan,
  caRootPrivateKey: pulumi.Output<string> | undefined,
  parent: pulumi.Resource,
): MeshCertificateAuthority {
  if ((ca.byoRootCertificate === undefined) !== (caRootPrivateKey === undefined)) {
    // Validation pairs the two; reaching here means a caller skipped it.
    throw new Error("buildMeshCa: a bring-your-own root needs both its certificate and its private key");
  }
  return new MeshCertificateAuthority(
    "mesh-ca",
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
    },
    { parent },
  );
}
