// `secure:` values in a stack file, as the Pulumi CLI hands them to the program: decrypted when the stack
// uses the passphrase provider and a passphrase is given, else replaced by placeholders of valid shape that
// the plan names. Facts from pulumi/pulumi: a value is secure when it is a mapping of exactly one key,
// `secure`, holding a string (sdk/go/common/resource/config/object.go, isSecureValue); a key whose value is
// or holds one is a secret key (PULUMI_CONFIG_SECRET_KEYS, from config.Map.SecureKeys); a stack with an
// `encryptionsalt` and no other `secretsprovider` uses the passphrase provider
// (pkg/secrets/passphrase/manager.go).
import { passphraseCrypter, passphraseFromEnv, PassphraseError, type StackCrypter } from "./passphrase";

/** The stack file's fields that say how its secrets are encrypted. */
export interface SecretsSettings {
  encryptionsalt?: unknown;
  secretsprovider?: unknown;
}

/** How this run reads the stack's secrets: with the stack's key, or as placeholders (and why). */
export type SecretSource = { crypter: StackCrypter } | { placeholderReason: string };

export function secretSourceOf(file: SecretsSettings, env: NodeJS.ProcessEnv): SecretSource {
  const provider = typeof file.secretsprovider === "string" ? file.secretsprovider : undefined;
  const salt = typeof file.encryptionsalt === "string" ? file.encryptionsalt : undefined;
  if (salt !== undefined && (provider === undefined || provider === "passphrase")) {
    const passphrase = passphraseFromEnv(env);
    if (passphrase === undefined) {
      return {
        placeholderReason:
          "the stack uses the passphrase provider and neither PULUMI_CONFIG_PASSPHRASE nor PULUMI_CONFIG_PASSPHRASE_FILE is set",
      };
    }
    try {
      return { crypter: passphraseCrypter(passphrase, salt) };
    } catch (error) {
      const from =
        env["PULUMI_CONFIG_PASSPHRASE"] !== undefined
          ? "PULUMI_CONFIG_PASSPHRASE"
          : `the file PULUMI_CONFIG_PASSPHRASE_FILE names`;
      throw new PassphraseError(
        `the passphrase in ${from} does not open this stack's secrets: ${(error as Error).message}`,
      );
    }
  }
  if (provider !== undefined && provider !== "passphrase") {
    return {
      placeholderReason: `the stack's secrets provider (${provider.split("://")[0]}) is a key service the offline plan does not call`,
    };
  }
  return {
    placeholderReason:
      "the stack's secrets are encrypted by the Pulumi Cloud backend (the file has no encryptionsalt or secretsprovider), which the offline plan does not call",
  };
}

const isSecureValue = (value: unknown): value is { secure: string } =>
  typeof value === "object" &&
  value !== null &&
  !Array.isArray(value) &&
  Object.keys(value).length === 1 &&
  typeof (value as { secure?: unknown }).secure === "string";

export interface RevealedValue {
  value: unknown;
  /** The value is or holds a `secure:` value: the CLI passes its key as a secret. */
  secret: boolean;
  /** Paths (`key`, `key.sub`) of the secure values replaced by placeholders. */
  placeholders: string[];
}

/**
 * `value` with each secure value replaced by its plaintext or by `placeholderFor(path)`. A value that does
 * not decrypt with the stack's key is an error naming its path (never garbage).
 */
export function revealSecrets(
  key: string,
  value: unknown,
  /** Asked once a secure value is met (deriving the key takes a second). */
  source: () => SecretSource,
  placeholderFor: (path: readonly string[]) => string,
): RevealedValue {
  const placeholders: string[] = [];
  let secret = false;
  const walk = (v: unknown, path: string[]): unknown => {
    if (isSecureValue(v)) {
      secret = true;
      const how = source();
      if ("crypter" in how) {
        try {
          return how.crypter.decrypt(v.secure);
        } catch (error) {
          const why = error instanceof PassphraseError ? error.message : String(error);
          throw new PassphraseError(`${path.join(".")}: the secure value ${why}`);
        }
      }
      placeholders.push(path.join("."));
      return placeholderFor(path);
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, [...path, String(i)]));
    if (typeof v === "object" && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, [...path, k])]));
    }
    return v;
  };
  const revealed = walk(value, [key]);
  return { value: revealed, secret, placeholders };
}
