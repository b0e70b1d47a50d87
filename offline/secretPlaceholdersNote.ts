// What a plan says about the secrets it could not decrypt: which values are placeholders, why, what each
// placeholder is, which check waits for the real value, and how to plan with the real values.
import type { StackFile } from "./engine/stackFiles";

/** What stands in for the secret at `path`, and what that leaves unchecked. */
function describe(path: string): string {
  const [key = "", ...sub] = path.split(".");
  const name = key.split(":")[1] ?? key;
  if (name === "caRootPrivateKey" && sub.length === 0) {
    return (
      "a placeholder key: whether the real key belongs to caRootCertificate is NOT checked, and the " +
      "intermediates in this plan are signed by the placeholder, not by the root"
    );
  }
  if (name === "kubeconfigs") {
    return sub.length === 1
      ? `a kubeconfig whose server is https://${sub[0]}.secret-placeholder.invalid: the real server and credentials are not checked`
      : "a kubeconfig for each existing: kubeconfig cluster, servers https://<name>.secret-placeholder.invalid: the real ones are not checked";
  }
  return "the text [secret]: checks of this value report on the placeholder, not on the real value";
}

export function renderSecretPlaceholders(
  file: Pick<StackFile, "placeholders" | "placeholderReason">,
): string {
  if (file.placeholders.length === 0) return "";
  return [
    `Secrets NOT decrypted (${file.placeholderReason ?? "no key"}); planned with placeholders of valid shape:`,
    ...file.placeholders.map((path) => `  - ${path}: ${describe(path)}`),
    "To plan with the real values of a passphrase stack, set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE.",
    "",
    "",
  ].join("\n");
}
