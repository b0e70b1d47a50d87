// httpbin's Kubernetes objects as pure functions, after Istio's samples/httpbin/httpbin.yaml (release-1.31):
// go-httpbin, a third-party image that stays on its own Docker Hub location (not istioHub).
export const HTTPBIN_IMAGE = "docker.io/mccutchen/go-httpbin:v2.15.0";
export const HTTPBIN_PORT = 8000;
export const HTTPBIN_CONTAINER_PORT = 8080;

export function httpbinServiceAccount<N>(namespace: N) {
  return { metadata: { name: "httpbin", namespace } };
}

/** Port 8000 -> 8080, selector `app: httpbin`: the same object in the server's and the client's cluster. */
export function httpbinService<N>(namespace: N) {
  return {
    metadata: { name: "httpbin", namespace, labels: { app: "httpbin", service: "httpbin" } },
    spec: {
      ports: [{ name: "http", port: HTTPBIN_PORT, targetPort: HTTPBIN_CONTAINER_PORT }],
      selector: { app: "httpbin" },
    },
  };
}

/**
 * One addition to upstream: USE_REAL_HOSTNAME, so that go-httpbin's /hostname returns the pod's name
 * instead of the fixed "go-httpbin"; the verification matches that name against the server cluster's pods.
 */
export function httpbinDeployment<N>(namespace: N) {
  const labels = { app: "httpbin", version: "v1" };
  return {
    metadata: { name: "httpbin", namespace },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: "httpbin",
          containers: [
            {
              image: HTTPBIN_IMAGE,
              imagePullPolicy: "IfNotPresent",
              name: "httpbin",
              env: [{ name: "USE_REAL_HOSTNAME", value: "true" }],
              ports: [{ containerPort: HTTPBIN_CONTAINER_PORT }],
            },
          ],
        },
      },
    },
  };
}
