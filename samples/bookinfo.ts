// Bookinfo's Kubernetes objects as pure functions. Names, labels, ports, volumes and image names follow
// Istio's samples/bookinfo/platform/kube/bookinfo.yaml (release-1.31); the images come from istioHub
// (Docker Hub's docker.io/istio by default), where Istio publishes its example images.
import { bookinfoServiceOf, type BookinfoService, type BookinfoWorkload } from "./placement";

export const BOOKINFO_PORT = 9080;
/** Tag of every Bookinfo image in the release-1.31 manifest. */
export const BOOKINFO_TAG = "1.20.3";

export function bookinfoImage(workload: BookinfoWorkload, hub: string): string {
  return `${hub}/examples-bookinfo-${workload}:${BOOKINFO_TAG}`;
}

const versionOf = (workload: BookinfoWorkload) => workload.slice(workload.lastIndexOf("-") + 1);

export const bookinfoServiceAccountName = (service: BookinfoService) => `bookinfo-${service}`;

/** One Service per app, port 9080 `http`, selecting every version: the same object in every cluster. */
export function bookinfoService<N>(service: BookinfoService, namespace: N) {
  return {
    metadata: { name: service, namespace, labels: { app: service, service } },
    spec: { ports: [{ port: BOOKINFO_PORT, name: "http" }], selector: { app: service } },
  };
}

export function bookinfoServiceAccount<N>(service: BookinfoService, namespace: N) {
  return { metadata: { name: bookinfoServiceAccountName(service), namespace, labels: { account: service } } };
}

/**
 * The Deployment of one workload. One addition to upstream: reviews gets CLUSTER_NAME, which the reviews
 * app reports and productpage prints ("Reviews served by: <pod> on cluster <name>"), so a page shows
 * which cluster answered.
 */
export function bookinfoDeployment<N>(
  workload: BookinfoWorkload,
  namespace: N,
  options: { hub: string; cluster: string },
) {
  const app = bookinfoServiceOf(workload);
  const labels = { app, version: versionOf(workload) };
  const tmp = { name: "tmp", mountPath: "/tmp" };
  const extra =
    app === "reviews"
      ? {
          container: {
            env: [
              { name: "LOG_DIR", value: "/tmp/logs" },
              { name: "CLUSTER_NAME", value: options.cluster },
            ],
            volumeMounts: [tmp, { name: "wlp-output", mountPath: "/opt/ibm/wlp/output" }],
          },
          volumes: [
            { name: "wlp-output", emptyDir: {} },
            { name: "tmp", emptyDir: {} },
          ],
        }
      : app === "productpage"
        ? { container: { volumeMounts: [tmp] }, volumes: [{ name: "tmp", emptyDir: {} }] }
        : { container: {} };
  const annotations =
    app === "productpage"
      ? {
          annotations: {
            "prometheus.io/scrape": "true",
            "prometheus.io/port": String(BOOKINFO_PORT),
            "prometheus.io/path": "/metrics",
          },
        }
      : {};
  return {
    metadata: { name: workload, namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { ...annotations, labels },
        spec: {
          serviceAccountName: bookinfoServiceAccountName(app),
          containers: [
            {
              name: app,
              image: bookinfoImage(workload, options.hub),
              imagePullPolicy: "IfNotPresent",
              ...extra.container,
              ports: [{ containerPort: BOOKINFO_PORT }],
            },
          ],
          ...(extra.volumes ? { volumes: extra.volumes } : {}),
        },
      },
    },
  };
}
