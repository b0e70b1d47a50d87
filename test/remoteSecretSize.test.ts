// The size of one watcher's remote Secret in a 64-cluster multi-primary mesh, against the Kubernetes
// limit (ValidateSecret rejects a Secret whose decoded data values add up to more than 1 MiB). The inputs
// are realistic rather than the mock's: an RSA 3072 CA certificate of GKE's size (~1.5 KB PEM) and a
// legacy service-account token carrying the claims Kubernetes writes (~1 KB), with cluster names at the
// schema's 40-character maximum.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { tokenKubeconfig } from "../kube/kubeconfig";
import { MockCloud } from "../offline/engine/mockCloud";

const MAX_SECRET_BYTES = 1024 * 1024;
const CLUSTERS = 64;

function caCertificatePem(): string {
  const dir = mkdtempSync(join(tmpdir(), "remote-secret-size-"));
  const made = spawnSync(
    "/usr/bin/openssl",
    [
      ...["req", "-x509", "-newkey", "rsa:3072", "-nodes", "-days", "1825"],
      ...["-keyout", join(dir, "ca.key"), "-out", join(dir, "ca.pem")],
      ...["-subj", "/CN=4f7c2a9e-1b3d-4c5e-8f6a-7b8c9d0e1f2a"],
      ...["-addext", "basicConstraints=critical,CA:TRUE"],
      ...["-addext", "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign"],
    ],
    { encoding: "utf8" },
  );
  assert.equal(made.status, 0, made.stderr);
  return readFileSync(join(dir, "ca.pem"), "utf8");
}

/** A legacy service-account token as the token controller writes it: RS256 over Kubernetes' claims. */
function serviceAccountToken(): string {
  const b64url = (value: object | Buffer) =>
    (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString("base64url");
  const header = { alg: "RS256", kid: randomBytes(32).toString("base64url") };
  const claims = {
    iss: "kubernetes/serviceaccount",
    "kubernetes.io/serviceaccount/namespace": "istio-system",
    "kubernetes.io/serviceaccount/secret.name": "istio-reader-service-account-istio-remote-secret-token",
    "kubernetes.io/serviceaccount/service-account.name": "istio-reader-service-account",
    "kubernetes.io/serviceaccount/service-account.uid": "9a1f3c5e-7b2d-4e6f-8a0c-1d3e5f7a9b2c",
    sub: "system:serviceaccount:istio-system:istio-reader-service-account",
  };
  return `${b64url(header)}.${b64url(claims)}.${b64url(randomBytes(384))}`;
}

it(`one remote Secret of a ${CLUSTERS}-cluster multi-primary mesh stays well under 1 MiB`, (t) => {
  const ca = caCertificatePem();
  const token = serviceAccountToken();
  assert.ok(ca.length >= 1500, `CA PEM of ${ca.length} bytes is smaller than GKE's`);
  assert.ok(token.length >= 1000, `token of ${token.length} bytes is smaller than Kubernetes'`);

  // The watcher's Secret holds every other cluster; names at the 40-character maximum.
  const name = (i: number) => `cluster-${String(i).padStart(3, "0")}-${"x".repeat(28)}`;
  assert.equal(name(1).length, 40);
  const data = Object.fromEntries(
    Array.from({ length: CLUSTERS - 1 }, (_, i) => [
      name(i + 2),
      tokenKubeconfig({
        name: name(i + 2),
        server: `https://34.${100 + (i % 100)}.${i}.${200 - i}`,
        caData: Buffer.from(ca).toString("base64"),
        token,
      }),
    ]),
  );
  // What ValidateSecret adds up: the decoded value bytes.
  const decoded = Object.values(data).reduce((sum, v) => sum + Buffer.byteLength(v), 0);
  // What travels in the request body: the object with base64 data.
  const request = Buffer.byteLength(
    JSON.stringify({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "istio-remote-secrets", namespace: "istio-system" },
      type: "Opaque",
      data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString("base64")])),
    }),
  );
  const perKey = decoded / (CLUSTERS - 1);
  // The watcher's own cluster is not a key: the limit falls at keys + 1 clusters.
  const clustersAtLimit = Math.floor(MAX_SECRET_BYTES / perKey) + 1;
  t.diagnostic(
    `${CLUSTERS - 1} keys: ${(decoded / 1024).toFixed(0)} KiB decoded (${(perKey / 1024).toFixed(2)} KiB per ` +
      `kubeconfig, ${((100 * decoded) / MAX_SECRET_BYTES).toFixed(1)} % of 1 MiB), ` +
      `${(request / 1024).toFixed(0)} KiB as a request body; 1 MiB is reached at ${clustersAtLimit} clusters`,
  );
  assert.ok(decoded < MAX_SECRET_BYTES / 2, `${decoded} bytes is not well under 1 MiB`);
  assert.ok(clustersAtLimit > 200, `the limit falls at ${clustersAtLimit} clusters`);
});

it("the mock API server refuses a Secret over 1 MiB, as ValidateSecret does", async () => {
  const cloud = new MockCloud();
  const secret = (bytes: number) =>
    cloud.newResource({
      type: "kubernetes:core/v1:Secret",
      name: `s${bytes}`,
      custom: true,
      inputs: {
        // "default" exists in every cluster: only the size rule decides.
        metadata: { name: `s${bytes}`, namespace: "default" },
        stringData: { a: "x".repeat(bytes) },
      },
    });
  await secret(MAX_SECRET_BYTES);
  await assert.rejects(secret(MAX_SECRET_BYTES + 1), /Too long: must have at most 1048576 bytes/);
});
