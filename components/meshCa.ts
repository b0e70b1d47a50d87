// The mesh's certificate authority: one root (generated here, or the user's own) and one intermediate CA
// per cluster that runs istiod, handed to istiod as the `cacerts` plug-in CA. The root key never leaves
// Pulumi state: only intermediates, their keys and the root certificate go into clusters.
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { cacertsFiles, intermediateSubject, ISTIOD_DNS_NAME, rootSubject } from "../pki/cacerts";

export interface MeshCertificateAuthorityArgs {
  /** Clusters that run istiod: each gets its own intermediate CA. */
  clusters: string[];
  keyAlgorithm: "RSA" | "ECDSA";
  /** O= of every certificate. */
  organization: string;
  rootValidityHours: number;
  intermediateValidityHours: number;
  /** An intermediate this close to expiry is re-issued on the next `pulumi up`. */
  earlyRenewalHours: number;
  /** Bring your own root instead of generating one. */
  byoRoot?: {
    certificatePem: string;
    /** Secret. */
    privateKeyPem: pulumi.Input<string>;
  };
}

interface Intermediate {
  key: tls.PrivateKey;
  cert: tls.LocallySignedCert;
}

/**
 * What the component itself cannot work without: one intermediate per named cluster. The settings behind
 * the other arguments (validities, algorithm, a bring-your-own root) are checked by config validation.
 */
export function validateMeshCaArgs(args: Pick<MeshCertificateAuthorityArgs, "clusters">): string[] {
  if (args.clusters.length === 0) return ["clusters: needs at least one cluster that runs istiod"];
  return args.clusters.flatMap((c, i) =>
    args.clusters.indexOf(c) !== i ? [`clusters[${i}]: "${c}" is listed twice`] : [],
  );
}

export class MeshCertificateAuthority extends pulumi.ComponentResource {
  /** The mesh root every workload trusts (PEM). */
  readonly rootCertPem: pulumi.Output<string>;
  private readonly intermediates = new Map<string, Intermediate>();

  constructor(name: string, args: MeshCertificateAuthorityArgs, opts?: pulumi.ComponentResourceOptions) {
    const errors = validateMeshCaArgs(args);
    if (errors.length > 0) throw new Error(`MeshCertificateAuthority ${name}:\n  ${errors.join("\n  ")}`);
    super("istio-multicluster:pki:MeshCertificateAuthority", name, {}, opts);

    const keySpec: tls.PrivateKeyArgs =
      args.keyAlgorithm === "RSA"
        ? { algorithm: "RSA", rsaBits: 4096 }
        : { algorithm: "ECDSA", ecdsaCurve: "P384" };
    const caUses = ["cert_signing", "crl_signing", "digital_signature"];

    let rootKeyPem: pulumi.Output<string>;
    if (args.byoRoot) {
      this.rootCertPem = pulumi.output(args.byoRoot.certificatePem);
      rootKeyPem = pulumi.secret(args.byoRoot.privateKeyPem);
    } else {
      const rootKey = new tls.PrivateKey(`${name}-root-key`, keySpec, { parent: this });
      const root = new tls.SelfSignedCert(
        `${name}-root`,
        {
          privateKeyPem: rootKey.privateKeyPem,
          subject: rootSubject(args.organization),
          isCaCertificate: true,
          // The provider cannot write pathlen:0 on an intermediate (see the note below); pathlen:1 here
          // gives the same guarantee: nothing under an intermediate may act as a CA.
          maxPathLength: 1,
          setSubjectKeyId: true,
          allowedUses: caUses,
          validityPeriodHours: args.rootValidityHours,
          // No early renewal: a new root is not hot-reloaded by the mesh (docs/certificates.md).
        },
        { parent: this },
      );
      this.rootCertPem = root.certPem;
      rootKeyPem = pulumi.secret(rootKey.privateKeyPem);
    }

    for (const cluster of args.clusters) {
      const key = new tls.PrivateKey(`${cluster}-intermediate-ca-key`, keySpec, { parent: this });
      const csr = new tls.CertRequest(
        `${cluster}-intermediate-ca-csr`,
        {
          privateKeyPem: key.privateKeyPem,
          subject: intermediateSubject(args.organization, cluster),
          dnsNames: [ISTIOD_DNS_NAME],
        },
        { parent: this },
      );
      const cert = new tls.LocallySignedCert(
        `${cluster}-intermediate-ca`,
        {
          certRequestPem: csr.certRequestPem,
          caCertPem: this.rootCertPem,
          caPrivateKeyPem: rootKeyPem,
          isCaCertificate: true,
          // Intent: sign workloads only. Go's x509 (behind the provider) omits a zero path length, so the
          // effective limit comes from the generated root's pathlen:1.
          maxPathLength: 0,
          setSubjectKeyId: true,
          // No extendedKeyUsage: a restrictive one on a CA constrains every workload certificate below it.
          allowedUses: [...caUses, "key_encipherment"],
          validityPeriodHours: args.intermediateValidityHours,
          earlyRenewalHours: args.earlyRenewalHours,
        },
        { parent: this },
      );
      this.intermediates.set(cluster, { key, cert });
    }

    this.registerOutputs({ rootCertPem: this.rootCertPem });
  }

  /** Clusters with an intermediate, in the order given. */
  get clusters(): string[] {
    return [...this.intermediates.keys()];
  }

  /**
   * Contents of the `cacerts` Secret for one istiod cluster (secret): `ca-cert.pem`, `ca-key.pem`,
   * `root-cert.pem` and `cert-chain.pem`.
   */
  cacertsData(cluster: string): pulumi.Output<Record<string, string>> {
    const intermediate = this.intermediates.get(cluster);
    if (!intermediate) {
      throw new Error(
        `MeshCertificateAuthority: unknown cluster "${cluster}" (intermediates exist for: ${this.clusters.join(", ")})`,
      );
    }
    return pulumi.secret(
      pulumi
        .all([intermediate.cert.certPem, intermediate.key.privateKeyPem, this.rootCertPem])
        .apply(([intermediateCertPem, intermediateKeyPem, rootCertPem]): Record<string, string> =>
          cacertsFiles({ intermediateCertPem, intermediateKeyPem, rootCertPem }),
        ),
    );
  }
}
