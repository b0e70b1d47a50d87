// tls.PrivateKey of the mock TLS provider: real keys in the PEM and OpenSSH flavours the provider returns.
// Keys are functions of (algorithm, resource name) where mockKeys.ts can make them at once (RSA 4096 from a
// committed prime pool, ECDSA and Ed25519 from the name); the others are generated once per machine and
// cached on disk.
import { createHash, createPrivateKey, createPublicKey, generateKeyPair } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Handler } from "../mockCloud";
import { derivedEcKey, derivedEd25519Key, pooledRsaKey, POOLED_RSA_BITS } from "./mockKeys";
import { MOCK_CACHE_DIR } from "./realizedCache";
import { opensshPrivateKey, pem, sshParts } from "./sshEncoding";

/**
 * Per-machine cache of the keys that are generated (RSA sizes other than 4096, P224, pool collisions);
 * ISTIO_MC_KEY_CACHE points elsewhere (a cold-cache timing, say).
 */
const KEY_CACHE_DIR = process.env["ISTIO_MC_KEY_CACHE"] ?? join(MOCK_CACHE_DIR, "keys");

export const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
export const num = (v: unknown, fallback: number): number => (typeof v === "number" ? v : fallback);
export const sha = (alg: string, data: string | Uint8Array) => createHash(alg).update(data).digest();

export const CURVES: Record<string, { node: string; web: string; hash: string; ssh: string }> = {
  P224: { node: "secp224r1", web: "", hash: "", ssh: "" },
  P256: { node: "prime256v1", web: "P-256", hash: "SHA-256", ssh: "nistp256" },
  P384: { node: "secp384r1", web: "P-384", hash: "SHA-384", ssh: "nistp384" },
  P521: { node: "secp521r1", web: "P-521", hash: "SHA-512", ssh: "nistp521" },
};
export const curveOf = (key: KeyObject) =>
  Object.entries(CURVES).find(([, c]) => c.node === key.asymmetricKeyDetails?.namedCurve);

const inProcess = new Map<string, Promise<KeyObject>>();

/** A private key for (algorithm, name): from the disk cache, else generated off the main thread. */
function cachedKey(spec: string, name: string, generate: () => Promise<KeyObject>): Promise<KeyObject> {
  const file = join(
    KEY_CACHE_DIR,
    `${spec}-${name.replace(/[^A-Za-z0-9_.-]/g, "_")}-${sha("sha1", name).toString("hex").slice(0, 8)}.pem`,
  );
  let key = inProcess.get(file);
  if (!key) {
    key = readFile(file, "utf8")
      .then((pem) => createPrivateKey(pem))
      .catch(async () => {
        const fresh = await generate();
        await mkdir(KEY_CACHE_DIR, { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`; // concurrent test processes: write, then rename atomically
        await writeFile(tmp, fresh.export({ type: "pkcs8", format: "pem" }) as string, { mode: 0o600 });
        await rename(tmp, file);
        return fresh;
      });
    inProcess.set(file, key);
  }
  return key;
}

const genPair = promisify(generateKeyPair) as unknown as (
  type: string,
  opts: object,
) => Promise<{ privateKey: KeyObject }>;

export const privateKeyHandler: Handler = async (args) => {
  const algorithm = str(args.inputs["algorithm"]) ?? "RSA";
  const rsaBits = num(args.inputs["rsaBits"], 2048);
  const ecdsaCurve = str(args.inputs["ecdsaCurve"]) ?? "P224";
  let key: KeyObject;
  if (algorithm === "RSA") {
    key =
      (rsaBits === POOLED_RSA_BITS ? pooledRsaKey(args.name) : undefined) ??
      (await cachedKey(
        `rsa${rsaBits}`,
        args.name,
        async () => (await genPair("rsa", { modulusLength: rsaBits, publicExponent: 65537 })).privateKey,
      ));
  } else if (algorithm === "ECDSA") {
    const curve = CURVES[ecdsaCurve];
    if (!curve) throw new Error(`tls.PrivateKey ${args.name}: unsupported ecdsaCurve "${ecdsaCurve}"`);
    key =
      derivedEcKey(ecdsaCurve, args.name) ??
      (await cachedKey(
        `ecdsa${ecdsaCurve}`,
        args.name,
        async () => (await genPair("ec", { namedCurve: curve.node })).privateKey,
      ));
  } else if (algorithm === "ED25519") {
    key = derivedEd25519Key(args.name);
  } else {
    throw new Error(`tls.PrivateKey ${args.name}: unsupported algorithm "${algorithm}"`);
  }
  const publicDer = createPublicKey(key).export({ type: "spki", format: "der" });
  const ssh = sshParts(key, curveOf(key)?.[1].ssh);
  const flavour = algorithm === "RSA" ? "pkcs1" : algorithm === "ECDSA" ? "sec1" : "pkcs8";
  return {
    id: sha("sha1", publicDer).toString("hex"),
    outputs: {
      algorithm,
      rsaBits,
      ecdsaCurve,
      privateKeyPem: key.export({ type: flavour, format: "pem" } as { type: "pkcs8"; format: "pem" }),
      privateKeyPemPkcs8: key.export({ type: "pkcs8", format: "pem" }),
      privateKeyOpenssh: ssh ? opensshPrivateKey(ssh[0], ssh[1]) : "",
      publicKeyPem: pem("PUBLIC KEY", publicDer),
      publicKeyOpenssh: ssh
        ? `${ssh[0].subarray(4, 4 + ssh[0].readUInt32BE(0)).toString()} ${ssh[0].toString("base64")}\n`
        : "",
      publicKeyFingerprintMd5: ssh ? (sha("md5", ssh[0]).toString("hex").match(/../g) ?? []).join(":") : "",
      publicKeyFingerprintSha256: ssh
        ? `SHA256:${sha("sha256", ssh[0]).toString("base64").replace(/=+$/, "")}`
        : "",
    },
    secretOutputs: ["privateKeyPem", "privateKeyPemPkcs8", "privateKeyOpenssh"],
  };
};
