// Private keys for the mock tls.PrivateKey as pure functions of (algorithm, resource name), so a fresh
// machine (or `npm ci`, which empties node_modules/.cache) evaluates a 64-cluster mesh without generating
// 65 RSA 4096 keys (about a second of CPU each). Keys stay real: RSA 4096 keys are products of two primes
// from a committed pool of OpenSSL-generated primes (mockRsaPrimes.txt), ECDSA and Ed25519 keys come from
// a hash of the name. All of it is mock material, public in git, for the offline engine only.
import { createECDH, createHash, createPrivateKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The prime pool, relative to the repository root. */
export const MOCK_RSA_PRIMES_FILE = "offline/engine/cloud/mockRsaPrimes.txt";
export const MOCK_RSA_PRIMES_HEADER = `# MOCK KEY MATERIAL, PUBLIC: read only by the offline engine's mock tls.PrivateKey
# (offline/engine/cloud/mockKeys.ts), which builds each RSA 4096 mock key from two of these primes. Keys made
# from them are known to anyone with this repository: never use them outside the offline engine.
# One base64 prime of 2048 bits per line, from real RSA 4096 keys; regenerate: npx tsx scripts/mock-rsa-primes.ts
`;
/** Only RSA of this size comes from the pool; other sizes are generated (and cached) as before. */
export const POOLED_RSA_BITS = 4096;
const E = 65537n;
// Versioned, so that a change to the derivation changes every key rather than some.
const SALT = "istio-multicluster offline mock key v1";

let pool: bigint[] | undefined;
function primes(): bigint[] {
  if (!pool) {
    pool = readFileSync(join(__dirname, "..", "..", "..", MOCK_RSA_PRIMES_FILE), "utf8")
      .split("\n")
      .filter((line) => line !== "" && !line.startsWith("#"))
      .map((line) => BigInt(`0x${Buffer.from(line, "base64").toString("hex")}`));
    if (new Set(pool).size !== pool.length)
      throw new Error(`${MOCK_RSA_PRIMES_FILE}: a prime is listed twice`);
  }
  return pool;
}

/** `bytes` bytes of SHA-512 output over (salt, spec, name): the seed every derivation starts from. */
function seed(spec: string, name: string, bytes: number): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 0; blocks.length * 64 < bytes; i++) {
    blocks.push(createHash("sha512").update(`${SALT}\0${spec}\0${name}\0${i}`).digest());
  }
  return Buffer.concat(blocks).subarray(0, bytes);
}

const toBigInt = (b: Buffer): bigint => BigInt(`0x${b.toString("hex") || "0"}`);
function b64url(n: bigint): string {
  const hex = n.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex").toString("base64url");
}
function modInverse(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [((a % m) + m) % m, m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  if (r0 !== 1n) throw new Error("not invertible");
  return ((s0 % m) + m) % m;
}
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));

/** The pair of pool primes numbered `slot`, in lexicographic order of (i, j), i < j. */
function pairAt(slot: number, count: number): [number, number] {
  let i = 0;
  while (slot >= count - 1 - i) {
    slot -= count - 1 - i;
    i++;
  }
  return [i, i + 1 + slot];
}

/** Which of the pool's pairs a name maps to (exported for the collision test). */
export function rsaPoolSlot(name: string): number {
  const count = primes().length;
  const pairs = (count * (count - 1)) / 2;
  return Number(toBigInt(seed(`rsa${POOLED_RSA_BITS}`, name, 16)) % BigInt(pairs));
}

/** The RSA key built from the primes at `slot`: the provider's key type and size, e = 65537. */
function rsaKeyAt(slot: number): KeyObject {
  const all = primes();
  const [a, b] = pairAt(slot, all.length).map((i) => all[i]!) as [bigint, bigint];
  const [p, q] = a > b ? [a, b] : [b, a];
  const n = p * q;
  if (n.toString(2).length !== POOLED_RSA_BITS)
    throw new Error(`${MOCK_RSA_PRIMES_FILE}: slot ${slot} is short`);
  const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
  const d = modInverse(E, lambda);
  const key = { kty: "RSA", n, e: E, d, p, q, dp: d % (p - 1n), dq: d % (q - 1n), qi: modInverse(q, p) };
  const jwk = Object.fromEntries(
    Object.entries(key).map(([k, v]) => [k, typeof v === "bigint" ? b64url(v) : v]),
  );
  return createPrivateKey({ key: jwk, format: "jwk" });
}

// Slots handed out in this process: two names on one slot would share a key, so the later one is told to
// generate its own (a mesh's root and intermediates must differ). 128 primes make 8128 pairs: 65 names
// share a slot with odds of about 1 in 4, so a large mesh may generate a key or two.
const slotOwners = new Map<number, string>();

/** The pooled RSA key of a resource, or undefined when another name already holds its slot. */
export function pooledRsaKey(name: string): KeyObject | undefined {
  const slot = rsaPoolSlot(name);
  const owner = slotOwners.get(slot);
  if (owner !== undefined && owner !== name) return undefined;
  slotOwners.set(slot, name);
  return rsaKeyAt(slot);
}

// Curves Node imports as JWK; P224 (the provider's default curve) is generated instead.
const JWK_CURVES: Record<string, { node: string; jwk: string; bits: number }> = {
  P256: { node: "prime256v1", jwk: "P-256", bits: 256 },
  P384: { node: "secp384r1", jwk: "P-384", bits: 384 },
  P521: { node: "secp521r1", jwk: "P-521", bits: 521 },
};

/**
 * An ECDSA key derived from the name: the private scalar is the seed cut to one bit less than the curve
 * order's length, so it is below the order without knowing it (and not zero but with odds of 2^-255).
 */
export function derivedEcKey(curve: string, name: string): KeyObject | undefined {
  const c = JWK_CURVES[curve];
  if (!c) return undefined;
  const bytes = Math.ceil(c.bits / 8);
  const scalar = toBigInt(seed(`ecdsa${curve}`, name, bytes)) >> BigInt(bytes * 8 - (c.bits - 1));
  const d = Buffer.from(scalar.toString(16).padStart(bytes * 2, "0"), "hex");
  const ecdh = createECDH(c.node);
  ecdh.setPrivateKey(d);
  const point = ecdh.getPublicKey();
  const x = point.subarray(1, 1 + bytes).toString("base64url");
  const y = point.subarray(1 + bytes).toString("base64url");
  return createPrivateKey({
    key: { kty: "EC", crv: c.jwk, d: d.toString("base64url"), x, y },
    format: "jwk",
  });
}

// PKCS#8 for Ed25519 (RFC 8410): this fixed prefix, then the 32-byte private key.
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/** An Ed25519 key whose 32-byte private key is the seed of the name. */
export function derivedEd25519Key(name: string): KeyObject {
  return createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed("ed25519", name, 32)]),
    format: "der",
    type: "pkcs8",
  });
}
