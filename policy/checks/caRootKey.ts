// No Kubernetes Secret holds a CA root key. Decided rule (README, "Policy pack"):
//  1. no entry is named like a root key (`root-key.pem`, Istio's tooling name, or any `*root?key*`);
//  2. no entry holds a private key whose public key is that of a root in the same Secret: a certificate
//     in `root-cert.pem`, or any self-signed CA certificate in another entry. So a `cacerts` whose
//     `ca-key.pem` is the root's own key (the root plugged in directly) is refused, while the
//     intermediate's key, which the program puts there, passes.
// Messages name entries, never their contents.
import { createPublicKey, X509Certificate, type KeyObject } from "node:crypto";
import {
  KUBERNETES_SECRET,
  objectName,
  secretEntries,
  type CheckedResource,
  type Violations,
} from "./resource";

const ROOT_KEY_NAME = /root[-_.]?(ca[-_.]?)?key/i;
const PEM_BLOCK = /-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----/g;

function pemBlocks(text: string, label: (l: string) => boolean): string[] {
  return [...text.matchAll(PEM_BLOCK)].filter((m) => label(m[1]!)).map((m) => m[0]);
}

const spki = (key: KeyObject) => key.export({ type: "spki", format: "der" }).toString("base64");

function certificates(text: string): X509Certificate[] {
  return pemBlocks(text, (l) => l === "CERTIFICATE").flatMap((pem) => {
    try {
      return [new X509Certificate(pem)];
    } catch {
      return [];
    }
  });
}

/** Public keys (SPKI, base64) of the roots this Secret carries. */
function rootKeys(entries: ReadonlyMap<string, string>): Set<string> {
  const roots = new Set<string>();
  for (const [key, value] of entries) {
    for (const cert of certificates(value)) {
      const selfSigned = cert.ca && cert.checkIssued(cert) && cert.verify(cert.publicKey);
      if (key === "root-cert.pem" || selfSigned) roots.add(spki(cert.publicKey));
    }
  }
  return roots;
}

/** Public keys of the unencrypted private keys in one entry (PKCS#8, PKCS#1 and SEC1 PEM). */
function privateKeyPublics(value: string): string[] {
  return pemBlocks(value, (l) => /^(RSA |EC )?PRIVATE KEY$/.test(l)).flatMap((pem) => {
    try {
      return [spki(createPublicKey(pem))];
    } catch {
      return [];
    }
  });
}

export function checkNoCaRootKey(resource: CheckedResource): Violations {
  if (resource.type !== KUBERNETES_SECRET) return [];
  const entries = secretEntries(resource.props);
  const secret = `Secret ${objectName(resource.props)}`;
  const violations: Violations = [];
  for (const key of entries.keys()) {
    if (ROOT_KEY_NAME.test(key))
      violations.push(`${secret} has an entry "${key}": a CA root key must stay out of clusters.`);
  }
  const roots = rootKeys(entries);
  if (roots.size === 0) return violations;
  for (const [key, value] of entries) {
    if (privateKeyPublics(value).some((pub) => roots.has(pub))) {
      violations.push(
        `${secret} entry "${key}" is the private key of a root CA: only intermediate keys belong in a cluster.`,
      );
    }
  }
  return violations;
}
