// Validates a recorded Kubernetes object against the published schemas shipped by registry packages:
// kubernetes-models (Kubernetes OpenAPI) and @kubernetes-models/istio (Istio CRDs). Both are ESM only.
import type { RecordedResource } from "../../offline/engine/recorder";

type Model = new (data: Record<string, unknown>) => { validate(): void };

const LOADERS: Record<string, () => Promise<Model>> = {
  "kubernetes:core/v1:Namespace": async () => (await import("kubernetes-models/v1/Namespace")).Namespace,
  "kubernetes:core/v1:Secret": async () => (await import("kubernetes-models/v1/Secret")).Secret,
  "kubernetes:core/v1:Service": async () => (await import("kubernetes-models/v1/Service")).Service,
  "kubernetes:core/v1:ServiceAccount": async () =>
    (await import("kubernetes-models/v1/ServiceAccount")).ServiceAccount,
  "kubernetes:core/v1:ConfigMap": async () => (await import("kubernetes-models/v1/ConfigMap")).ConfigMap,
  "kubernetes:apps/v1:Deployment": async () =>
    (await import("kubernetes-models/apps/v1/Deployment")).Deployment,
  "kubernetes:networking.istio.io/v1:Gateway": async () =>
    (await import("@kubernetes-models/istio/networking.istio.io/v1/Gateway")).Gateway as unknown as Model,
  "kubernetes:networking.istio.io/v1:VirtualService": async () =>
    (await import("@kubernetes-models/istio/networking.istio.io/v1/VirtualService"))
      .VirtualService as unknown as Model,
  "kubernetes:networking.istio.io/v1:DestinationRule": async () =>
    (await import("@kubernetes-models/istio/networking.istio.io/v1/DestinationRule"))
      .DestinationRule as unknown as Model,
  "kubernetes:security.istio.io/v1:PeerAuthentication": async () =>
    (await import("@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication"))
      .PeerAuthentication as unknown as Model,
};

/** Throws with the schema's message when the object is invalid, or when no schema is known for it. */
export async function validateKubernetesObject(r: RecordedResource): Promise<void> {
  const load = LOADERS[r.type];
  if (!load) throw new Error(`no published schema wired for ${r.type} (${r.name})`);
  const Model = await load();
  const [group, version, kind] = r.type.replace(/^kubernetes:/, "").split(/[/:]/);
  const apiVersion = group === "core" ? version : `${group}/${version}`;
  // Pulumi inputs omit apiVersion/kind for typed resources; the schema wants the full object.
  const object = { ...r.inputs, apiVersion, kind };
  try {
    new Model(object).validate();
  } catch (e) {
    throw new Error(`${r.type} ${r.name} fails its schema: ${(e as Error).message}`);
  }
}
