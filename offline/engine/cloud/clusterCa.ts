// A real self-signed CA certificate for each mock GKE cluster (ECDSA P-256: instant to generate), so the
// kubeconfigs and remote secrets the program builds carry certificate data that parses like GKE's.
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const cache = new Map<string, Promise<string>>();

export function clusterCaPem(clusterName: string): Promise<string> {
  let pem = cache.get(clusterName);
  if (!pem) {
    pem = generate(clusterName);
    cache.set(clusterName, pem);
  }
  return pem;
}

async function generate(clusterName: string): Promise<string> {
  const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
  const keys = await webcrypto.subtle.generateKey(alg, true, ["sign", "verify"]);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: `CN=${clusterName}-ca`,
    notBefore: new Date("2026-01-01T00:00:00Z"),
    notAfter: new Date("2056-01-01T00:00:00Z"),
    signingAlgorithm: alg,
    keys: keys as webcrypto.CryptoKeyPair,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
  });
  return cert.toString("pem");
}
