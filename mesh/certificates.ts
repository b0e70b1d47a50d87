// Mesh CA of the graph: one root (generated, or the user's own) and an intermediate per istiod cluster.
import type * as pulumi from "@pulumi/pulumi";
import { MeshCertificateAuthority } from "../components/meshCa";
import type { MeshConfig } from "../config/schema";
import type { MeshPlan } from "../plan/types";

export function buildMeshCa(
  plan: MeshPlan,
  config: MeshConfig,
  caRootPrivateKey: pulumi.Output<string> | undefined,
): MeshCertificateAuthority {
  const byoRoot =
    config.caRootCertificate !== undefined && caRootPrivateKey !== undefined
      ? { certificatePem: config.caRootCertificate, privateKeyPem: caRootPrivateKey }
      : undefined;
  return new MeshCertificateAuthority("mesh-ca", {
    clusters: plan.clusters.filter((c) => c.runsIstiod).map((c) => c.name),
    keyAlgorithm: config.caKeyAlgorithm,
    organization: config.caOrganization,
    rootValidityHours: config.caRootValidityHours,
    intermediateValidityHours: config.caIntermediateValidityHours,
    earlyRenewalHours: config.caEarlyRenewalHours,
    ...(byoRoot ? { byoRoot } : {}),
  });
}
