// Kubernetes as pulumi-kubernetes reports it: server-populated metadata, token Secrets filled in by the
// token controller, LoadBalancer Services with their ingress address, Helm releases deployed.
import type { MockResourceArgs } from "@pulumi/pulumi/runtime";
import { providerUrnOf } from "../../graph";
import type { Handler } from "../mockCloud";
import { stableHash } from "../mockCloud";
import { clusterCaPem } from "./clusterCa";

type Meta = { name?: string; namespace?: string; annotations?: Record<string, string> };

function metadata(args: MockResourceArgs, namespaced: boolean): Record<string, unknown> {
  const meta = (args.inputs["metadata"] ?? {}) as Meta;
  const name = meta.name ?? `${args.name}-${(stableHash(args.name) % 0xfffff).toString(36)}`;
  return {
    ...meta,
    name,
    ...(namespaced ? { namespace: meta.namespace ?? "default" } : {}),
    uid: `${stableHash(args.name).toString(16).padStart(8, "0")}-0000-4000-8000-000000000000`,
    resourceVersion: "1",
  };
}

/** The cluster a provider reference points at: providers are named after their cluster. */
function clusterOf(args: MockResourceArgs): string {
  return (
    providerUrnOf(args.provider ?? "")
      .split("::")
      .pop() ?? "unknown"
  );
}

const namespaced =
  (kind: string): Handler =>
  (args) => {
    const meta = metadata(args, true);
    return { id: `${meta["namespace"]}/${meta["name"]}`, outputs: { metadata: meta, kind } };
  };

const clusterScoped =
  (kind: string): Handler =>
  (args) => {
    const meta = metadata(args, false);
    return { id: String(meta["name"]), outputs: { metadata: meta, kind } };
  };

const MAX_SECRET_BYTES = 1024 * 1024;

const secret: Handler = async (args) => {
  const meta = metadata(args, true);
  const data = { ...((args.inputs["data"] ?? {}) as Record<string, string>) };
  for (const [k, v] of Object.entries((args.inputs["stringData"] ?? {}) as Record<string, string>)) {
    data[k] = Buffer.from(v).toString("base64");
  }
  // The API server's ValidateSecret: decoded values may add up to 1 MiB at most.
  const bytes = Object.values(data).reduce((sum, v) => sum + Buffer.from(v, "base64").length, 0);
  if (bytes > MAX_SECRET_BYTES)
    throw new Error(
      `Secret ${String(meta["name"])} is invalid: data: Too long: must have at most ${MAX_SECRET_BYTES} bytes`,
    );
  if (args.inputs["type"] === "kubernetes.io/service-account-token") {
    // The token controller fills these in; the provider waits for them before returning.
    const cluster = clusterOf(args);
    const claims = Buffer.from(
      JSON.stringify({ iss: "kubernetes/serviceaccount", sub: meta["name"], cluster }),
    );
    const token = `eyJhbGciOiJSUzI1NiJ9.${claims.toString("base64url")}.c2lnbmF0dXJl`;
    data["token"] = Buffer.from(token).toString("base64");
    data["ca.crt"] = Buffer.from(await clusterCaPem(cluster)).toString("base64");
    data["namespace"] = Buffer.from(String(meta["namespace"])).toString("base64");
  }
  return {
    id: `${meta["namespace"]}/${meta["name"]}`,
    outputs: { metadata: meta, data, stringData: undefined },
    // pulumi-kubernetes marks a Secret's data and stringData secret.
    secretOutputs: ["data", "stringData"],
  };
};

const service: Handler = (args) => {
  const meta = metadata(args, true);
  const spec = (args.inputs["spec"] ?? {}) as Record<string, unknown>;
  const lb = spec["type"] === "LoadBalancer";
  const ip = String(
    spec["loadBalancerIP"] ?? `34.120.${stableHash(args.name) % 256}.${stableHash(args.name) % 250}`,
  );
  return {
    id: `${meta["namespace"]}/${meta["name"]}`,
    outputs: {
      metadata: meta,
      spec: { ...spec, clusterIP: `10.16.0.${10 + (stableHash(args.name) % 200)}` },
      status: { loadBalancer: lb ? { ingress: [{ ip, ipMode: "VIP" }] } : {} },
    },
  };
};

const helmRelease: Handler = (args) => {
  const name = String(args.inputs["name"] ?? args.name);
  const namespace = String(args.inputs["namespace"] ?? "default");
  return {
    id: `${namespace}/${name}`,
    outputs: {
      name,
      status: {
        name,
        namespace,
        chart: args.inputs["chart"],
        version: args.inputs["version"],
        appVersion: args.inputs["version"],
        revision: 1,
        status: "deployed",
      },
    },
  };
};

const command: Handler = (args) => ({
  id: `${args.name}-${stableHash(JSON.stringify(args.inputs)).toString(16)}`,
  outputs: { stdout: "", stderr: "" },
});

export const kubernetesHandlers: Record<string, Handler> = {
  "kubernetes:core/v1:Namespace": clusterScoped("Namespace"),
  "kubernetes:core/v1:Secret": secret,
  "kubernetes:core/v1:Service": service,
  "kubernetes:core/v1:ServiceAccount": namespaced("ServiceAccount"),
  "kubernetes:core/v1:ConfigMap": namespaced("ConfigMap"),
  "kubernetes:apps/v1:Deployment": namespaced("Deployment"),
  "kubernetes:helm.sh/v3:Release": helmRelease,
  "kubernetes:networking.istio.io/v1:Gateway": namespaced("Gateway"),
  "kubernetes:networking.istio.io/v1:VirtualService": namespaced("VirtualService"),
  "kubernetes:networking.istio.io/v1:DestinationRule": namespaced("DestinationRule"),
  "kubernetes:security.istio.io/v1:PeerAuthentication": namespaced("PeerAuthentication"),
  "command:local:Command": command,
};
