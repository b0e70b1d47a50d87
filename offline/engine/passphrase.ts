// Secrets of a stack that uses the passphrase provider, read as the Pulumi CLI reads them. Facts from
// pulumi/pulumi (sdk/go/common/resource/config/crypt.go, pkg/secrets/passphrase/manager.go):
// - `encryptionsalt` is `v1:<base64 salt>:v1:<base64 nonce>:<base64 ciphertext>`: the salt, then the word
//   "pulumi" encrypted with the derived key, which tells a wrong passphrase from a right one;
// - the key is PBKDF2 of the passphrase with SHA-256, 1,000,000 iterations, 32 bytes;
// - a `secure:` value is `v1:<base64 nonce>:<base64 ciphertext>`, AES-256-GCM with a 12-byte nonce and
//   the 16-byte tag after the ciphertext (Go's Seal), no additional data;
// - the passphrase comes from PULUMI_CONFIG_PASSPHRASE when it is set (even empty), else from the file
//   PULUMI_CONFIG_PASSPHRASE_FILE names, trimmed of surrounding white space.
import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

const ITERATIONS = 1_000_000;
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** What the salt's check value decrypts to under the right passphrase. */
const CHECK_WORD = "pulumi";

export class PassphraseError extends Error {
  override name = "PassphraseError";
}

/** A key that encrypts and decrypts a stack's `secure:` values. */
export interface StackCrypter {
  decrypt(value: string): string;
  encrypt(plaintext: string): string;
}

const derived = new Map<string, Buffer>(); // PBKDF2 takes about a second: once per passphrase and salt

function keyFor(passphrase: string, salt: Buffer): Buffer {
  const id = `${salt.toString("base64")}\0${passphrase}`;
  let key = derived.get(id);
  if (key === undefined) {
    key = pbkdf2Sync(passphrase, salt, ITERATIONS, KEY_BYTES, "sha256");
    derived.set(id, key);
  }
  return key;
}

function decryptWith(key: Buffer, value: string): string {
  const parts = value.split(":");
  if (parts.length !== 3 || parts[0] !== "v1")
    throw new PassphraseError("is not a v1:<nonce>:<ciphertext> value");
  const nonce = Buffer.from(parts[1]!, "base64");
  const sealed = Buffer.from(parts[2]!, "base64");
  if (nonce.length !== NONCE_BYTES || sealed.length < TAG_BYTES) throw new PassphraseError("is malformed");
  const decipher = createDecipheriv("aes-256-gcm", key, nonce);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]).toString("utf8");
  } catch {
    // GCM's tag does not verify: another key, or a damaged value. Never return unauthenticated bytes.
    throw new PassphraseError("does not decrypt with this stack's key");
  }
}

function encryptWith(key: Buffer, plaintext: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `v1:${nonce.toString("base64")}:${sealed.toString("base64")}`;
}

/** The crypter of a stack's `encryptionsalt` under `passphrase`; a wrong passphrase is a PassphraseError. */
export function passphraseCrypter(passphrase: string, encryptionSalt: string): StackCrypter {
  const match = /^v1:([A-Za-z0-9+/=]+):(v1:.*)$/.exec(encryptionSalt);
  if (!match) throw new PassphraseError("encryptionsalt is not v1:<salt>:v1:<nonce>:<ciphertext>");
  const key = keyFor(passphrase, Buffer.from(match[1]!, "base64"));
  let check: string;
  try {
    check = decryptWith(key, match[2]!);
  } catch {
    check = "";
  }
  if (check !== CHECK_WORD) throw new PassphraseError("incorrect passphrase for this stack's encryptionsalt");
  return { decrypt: (value) => decryptWith(key, value), encrypt: (plaintext) => encryptWith(key, plaintext) };
}

/** A new `encryptionsalt` for `passphrase`, as `pulumi stack init` with the passphrase provider makes one. */
export function newEncryptionSalt(passphrase: string): string {
  const salt = randomBytes(8);
  return `v1:${salt.toString("base64")}:${encryptWith(keyFor(passphrase, salt), CHECK_WORD)}`;
}

/** The passphrase the CLI would use from the environment, or undefined when none is given. */
export function passphraseFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const phrase = env["PULUMI_CONFIG_PASSPHRASE"];
  if (phrase !== undefined) return phrase;
  const file = env["PULUMI_CONFIG_PASSPHRASE_FILE"];
  if (file === undefined || file === "") return undefined;
  try {
    return readFileSync(resolve(file), "utf8").trim();
  } catch (error) {
    throw new PassphraseError(
      `PULUMI_CONFIG_PASSPHRASE_FILE cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
