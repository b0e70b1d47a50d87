// The Online Boutique entrance: Istio's `gateway` chart as `istio-ingressgateway` in istio-system of the
// frontend's cluster, on a reserved regional address, plus the Gateway and VirtualService that send
// port 80 to the frontend.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { formerly } from "../formerNames";
import {
  frontendGateway,
  frontendVirtualService,
  INGRESS_GATEWAY_NAME,
  ingressGatewayValues,
} from "../../samples/manifests";
import type { IstioInstall } from "../../istio/artifacts";
import type { ClusterRevisions } from "../../plan/types";
import { istioRelease } from "../../istio/release";
import { loadBalancerAddressOf } from "../loadBalancerAddress";
import { ReservedAddress } from "../reservedAddress";

export interface IngressGatewayArgs {
  cluster: string;
  /** On GKE, a reserved regional address (name from the plan) for the regional load balancer; elsewhere
   * the platform assigns one. */
  reserved?: { region: string; project: string; addressName: string };
  /** The frontend cluster's Istio install: the gateway chart comes from there. */
  istio: IstioInstall;
  /** The frontend cluster's revisions, once the mesh uses them: the gateway follows the samples' tag. */
  revisions?: ClusterRevisions;
  /** Namespace of the frontend Service; the Gateway and VirtualService live there too. */
  routeNamespace: pulumi.Input<string>;
  provider: k8s.Provider;
  meshReady: pulumi.Input<pulumi.Resource>[];
}

export class IngressGateway extends pulumi.ComponentResource {
  readonly address: pulumi.Output<string>;
  readonly url: pulumi.Output<string>;
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: IngressGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super("istio-multicluster:samples:IngressGateway", name, {}, opts);
    if (!args.cluster) throw new Error(`IngressGateway ${name}: args.cluster is required`);
    const { cluster, provider } = args;
    const childOpts = { parent: this, provider, dependsOn: args.meshReady };

    // Destroy order follows from the value edge: the release (and its LoadBalancer) goes first.
    const reserved = args.reserved
      ? new ReservedAddress(
          `${name}-ingress`,
          {
            addressName: args.reserved.addressName,
            region: args.reserved.region,
            project: args.reserved.project,
            addressType: "EXTERNAL",
            description: `Istio ingress gateway of ${cluster}`,
          },
          { parent: this, ...formerly(`${cluster}-ingress`) },
        ).address
      : undefined;

    this.release = new k8s.helm.v3.Release(
      `${name}-${INGRESS_GATEWAY_NAME}`,
      istioRelease(
        "gateway",
        INGRESS_GATEWAY_NAME,
        args.istio,
        pulumi.output(reserved).apply((ip) => ingressGatewayValues(args.istio, ip, args.revisions)),
      ),
      { ...childOpts, ...formerly(`${cluster}-${INGRESS_GATEWAY_NAME}`) },
    );
    this.address =
      reserved ??
      loadBalancerAddressOf(
        `${name}-${INGRESS_GATEWAY_NAME}-service`,
        { name: INGRESS_GATEWAY_NAME },
        this.release,
        { parent: this, provider },
      );

    // Config objects need the CRDs (part of meshReady), not the gateway pods.
    const namespace = pulumi.output(args.routeNamespace);
    new k8s.apiextensions.CustomResource(`${name}-frontend-gateway`, frontendGateway(namespace), {
      ...childOpts,
      ...formerly(`${cluster}-frontend-gateway`),
    });
    const virtualService = namespace.apply(frontendVirtualService);
    new k8s.apiextensions.CustomResource(
      `${name}-frontend-ingress`,
      {
        apiVersion: "networking.istio.io/v1",
        kind: "VirtualService",
        metadata: { name: virtualService.metadata.name, namespace },
        spec: virtualService.spec,
      },
      { ...childOpts, ...formerly(`${cluster}-frontend-ingress`) },
    );

    this.url = pulumi.interpolate`http://${this.address}`;
    this.registerOutputs({ address: this.address, url: this.url });
  }
}
