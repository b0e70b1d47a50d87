// The address a platform gave a LoadBalancer Service that a Helm release created, read back once the
// release (atomic: it waited for the load balancer) exists. An IP on most platforms, a host name on AWS.
//
// The read's ID is built from the release's own output, not written as a constant: the engine runs a read
// during a preview whenever its ID is known ("Unlike most steps, Read steps run during previews", pulumi
// pkg/resource/deploy/step.go), and the Kubernetes provider answers 404 for a Service the release has not
// created yet, failing the preview (pulumi-kubernetes #2358, #2789). The release's status is unknown while
// it is being created in a preview, so the read waits for the update; once the release exists (a second
// `up`, or its preview) the status is known and the read runs against the Service it made.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export function loadBalancerAddressOf(
  name: string,
  service: { name: string },
  release: k8s.helm.v3.Release,
  opts: pulumi.CustomResourceOptions,
): pulumi.Output<string> {
  const id = pulumi.interpolate`${release.status.namespace}/${service.name}`;
  const read = k8s.core.v1.Service.get(name, id, { ...opts, dependsOn: [release] });
  return pulumi.all([id, read.status.loadBalancer.ingress]).apply(([qualified, ingress]) => {
    const address = ingress?.[0]?.ip ?? ingress?.[0]?.hostname;
    if (!address) throw new Error(`${qualified}: the load balancer has no address`);
    return address;
  });
}
