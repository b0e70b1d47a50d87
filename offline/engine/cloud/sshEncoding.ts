// OpenSSH encodings of mock keys, for the PrivateKey outputs the TLS provider also returns.
import { createHash, type KeyObject } from "node:crypto";

// SSH wire encoding, for the OpenSSH outputs.
const u32 = (n: number) => Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
const sshString = (b: Buffer | string) => Buffer.concat([u32(Buffer.byteLength(b)), Buffer.from(b)]);
function mpint(b64url: string): Buffer {
  let b = Buffer.from(b64url, "base64url");
  while (b.length > 1 && b[0] === 0) b = b.subarray(1);
  return sshString(b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
}

/** [public blob, private fields] in OpenSSH wire format, or undefined when SSH has no such key (P224). */
export function sshParts(key: KeyObject, sshCurve: string | undefined): [Buffer, Buffer] | undefined {
  const jwk = key.export({ format: "jwk" });
  if (key.asymmetricKeyType === "rsa") {
    const pub = Buffer.concat([sshString("ssh-rsa"), mpint(jwk.e!), mpint(jwk.n!)]);
    const priv = [jwk.n!, jwk.e!, jwk.d!, jwk.qi!, jwk.p!, jwk.q!].map(mpint);
    return [pub, Buffer.concat([sshString("ssh-rsa"), ...priv])];
  }
  if (key.asymmetricKeyType === "ec") {
    const ssh = sshCurve;
    if (!ssh) return undefined;
    const point = Buffer.concat([
      Buffer.from([4]),
      Buffer.from(jwk.x!, "base64url"),
      Buffer.from(jwk.y!, "base64url"),
    ]);
    const head = Buffer.concat([sshString(`ecdsa-sha2-${ssh}`), sshString(ssh), sshString(point)]);
    return [head, Buffer.concat([head, mpint(jwk.d!)])];
  }
  const pub = Buffer.from(jwk.x!, "base64url");
  const head = Buffer.concat([sshString("ssh-ed25519"), sshString(pub)]);
  return [head, Buffer.concat([head, sshString(Buffer.concat([Buffer.from(jwk.d!, "base64url"), pub]))])];
}

export function pem(label: string, der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** `openssh-key-v1`, unencrypted, empty comment (what Go's ssh.MarshalPrivateKey writes). */
export function opensshPrivateKey(pub: Buffer, fields: Buffer): string {
  const check = createHash("sha256").update(pub).digest().subarray(0, 4);
  let body = Buffer.concat([check, check, fields, sshString("")]);
  for (let i = 1; body.length % 8 !== 0; i++) body = Buffer.concat([body, Buffer.from([i])]);
  const magic = Buffer.from("openssh-key-v1\0");
  const head = [sshString("none"), sshString("none"), sshString(""), u32(1), sshString(pub)];
  return pem("OPENSSH PRIVATE KEY", Buffer.concat([magic, ...head, sshString(body)]));
}
