// The mesh's certificate authority: one root (generated here, or the user's own) and one intermediate CA
// per cluster that runs istiod, handed to istiod as the `cacerts` plug-in CA. The root key never leaves
// Pulumi state: only intermediates, their keys and the root certificate go into clusters.
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import type { RotationStage } from "../config/schema";
import { cacertsFiles, intermediateSubject, ISTIOD_DNS_NAME, rootSubject } from "../pki/cacerts";
import { stageEffects, trustBundle, type RootRole } from "../pki/rotation";
import { formerChild, formerly } from "./formerNames";

const CA_USES = ["cert_signing", "crl_signing", "digital_signature"];

const keySpecOf = (algorithm: "RSA" | "ECDSA"): tls.PrivateKeyArgs =>
  algorithm === "RSA" ? { algorithm: "RSA", rsaBits: 4096 } : { algorithm: "ECDSA", ecdsaCurve: "P384" };

/** A root the component does not generate: the user's own. */
export interface ByoRoot {
  certificatePem: string;
  /** Secret. */
  privateKeyPem: pulumi.Input<string>;
}

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
  byoRoot?: ByoRoot;
  /** Names a generated root's resources (`<name>-root-<rootName>`); unset: `<name>-root`. */
  rootName?: string;
  /** A staged rotation to another root (pki/rotation.ts): the root above stays as it is. */
  rotation?: {
    stage: RotationStage;
    newRoot: { generated: { name: string; validityHours: number } } | { byo: ByoRoot };
    /** Of a generated new root and of the intermediates signed by it. */
    keyAlgorithm: "RSA" | "ECDSA";
    organization: string;
  };
}

interface Root {
  certPem: pulumi.Output<string>;
  /** Secret. */
  keyPem: pulumi.Output<string>;
}

const byoRoot = (root: ByoRoot): Root => ({
  certPem: pulumi.output(root.certificatePem),
  keyPem: pulumi.secret(root.privateKeyPem),
});

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
  /** The root every intermediate chains to (PEM). */
  readonly rootCertPem: pulumi.Output<string>;
  /** The roots every cluster trusts (PEM bundle): the root above, and during a rotation the other one. */
  readonly trustBundlePem: pulumi.Output<string>;
  private readonly intermediates = new Map<string, Intermediate>();

  constructor(name: string, args: MeshCertificateAuthorityArgs, opts?: pulumi.ComponentResourceOptions) {
    const errors = validateMeshCaArgs(args);
    if (errors.length > 0) throw new Error(`MeshCertificateAuthority ${name}:\n  ${errors.join("\n  ")}`);
    super("istio-multicluster:pki:MeshCertificateAuthority", name, {}, opts);

    const current = args.byoRoot
      ? byoRoot(args.byoRoot)
      : this.generatedRoot(name, `-root${args.rootName ? `-${args.rootName}` : ""}`, opts, {
          keyAlgorithm: args.keyAlgorithm,
          organization: args.organization,
          validityHours: args.rootValidityHours,
        });
    const { rotation } = args;
    let next: Root | undefined;
    if (rotation) {
      const { newRoot } = rotation;
      next =
        "byo" in newRoot
          ? byoRoot(newRoot.byo)
          : this.generatedRoot(name, `-root-${newRoot.generated.name}`, opts, {
              keyAlgorithm: rotation.keyAlgorithm,
              organization: rotation.organization,
              validityHours: newRoot.generated.validityHours,
            });
    }
    const effects = stageEffects(rotation?.stage);
    const rootOf = (role: RootRole) => (role === "new" ? next! : current);
    const signer = rootOf(effects.signedBy);
    // Intermediates re-issued under the new root take its settings (a rotation may change the algorithm).
    const issue = effects.signedBy === "new" ? rotation! : args;
    const keySpec = keySpecOf(issue.keyAlgorithm);
    this.rootCertPem = signer.certPem;
    this.trustBundlePem = pulumi.all(effects.trusts.map((r) => rootOf(r).certPem)).apply(trustBundle);

    for (const cluster of args.clusters) {
      const key = new tls.PrivateKey(`${name}-${cluster}-intermediate-ca-key`, keySpec, {
        parent: this,
        ...formerly(`${cluster}-intermediate-ca-key`),
      });
      const csr = new tls.CertRequest(
        `${name}-${cluster}-intermediate-ca-csr`,
        {
          privateKeyPem: key.privateKeyPem,
          subject: intermediateSubject(issue.organization, cluster),
          dnsNames: [ISTIOD_DNS_NAME],
        },
        { parent: this, ...formerly(`${cluster}-intermediate-ca-csr`) },
      );
      const cert = new tls.LocallySignedCert(
        `${name}-${cluster}-intermediate-ca`,
        {
          certRequestPem: csr.certRequestPem,
          caCertPem: signer.certPem,
          caPrivateKeyPem: signer.keyPem,
          isCaCertificate: true,
          // Intent: sign workloads only. Go's x509 (behind the provider) omits a zero path length, so the
          // effective limit comes from the generated root's pathlen:1.
          maxPathLength: 0,
          setSubjectKeyId: true,
          // No extendedKeyUsage: a restrictive one on a CA constrains every workload certificate below it.
          allowedUses: [...CA_USES, "key_encipherment"],
          validityPeriodHours: args.intermediateValidityHours,
          earlyRenewalHours: args.earlyRenewalHours,
        },
        { parent: this, ...formerly(`${cluster}-intermediate-ca`) },
      );
      this.intermediates.set(cluster, { key, cert });
    }

    this.registerOutputs({ rootCertPem: this.rootCertPem, trustBundlePem: this.trustBundlePem });
  }

  /**
   * A generated root: a key and a self-signed certificate named `${name}${suffix}`, found under the name
   * their component had before (formerNames.ts) with the same suffix.
   */
  private generatedRoot(
    name: string,
    suffix: string,
    opts: pulumi.ComponentResourceOptions | undefined,
    settings: { keyAlgorithm: "RSA" | "ECDSA"; organization: string; validityHours: number },
  ): Root {
    const resourceName = `${name}${suffix}`;
    const key = new tls.PrivateKey(`${resourceName}-key`, keySpecOf(settings.keyAlgorithm), {
      parent: this,
      ...formerChild(opts, `${suffix}-key`),
    });
    const cert = new tls.SelfSignedCert(
      resourceName,
      {
        privateKeyPem: key.privateKeyPem,
        subject: rootSubject(settings.organization),
        isCaCertificate: true,
        // The provider cannot write pathlen:0 on an intermediate (see the intermediates); pathlen:1 here
        // gives the same guarantee: nothing under an intermediate may act as a CA.
        maxPathLength: 1,
        setSubjectKeyId: true,
        allowedUses: CA_USES,
        validityPeriodHours: settings.validityHours,
        // No early renewal: a new root is a staged rotation (caRotation, docs/certificates.md).
      },
      { parent: this, ...formerChild(opts, suffix) },
    );
    return { certPem: cert.certPem, keyPem: pulumi.secret(key.privateKeyPem) };
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
        .all([
          intermediate.cert.certPem,
          intermediate.key.privateKeyPem,
          this.rootCertPem,
          this.trustBundlePem,
        ])
        .apply(
          ([intermediateCertPem, intermediateKeyPem, rootCertPem, trustBundlePem]): Record<string, string> =>
            cacertsFiles({ intermediateCertPem, intermediateKeyPem, rootCertPem, trustBundlePem }),
        ),
    );
  }
}
