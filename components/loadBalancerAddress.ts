// The address a platform gave a LoadBalancer Service that a Helm release created: read back once the
// release (atomic: it waited for the load balancer) exists. An IP on most platforms, a host name on AWS.
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

export function loadBalancerAddressOf(
  name: string,
  service: { namespace: string; name: string },
  opts: pulumi.CustomResourceOptions,
): pulumi.Output<string> {
  const read = k8s.core.v1.Service.get(name, `${service.namespace}/${service.name}`, opts);
  return read.status.loadBalancer.ingress.apply((ingress) => {
    const address = ingress?.[0]?.ip ?? ingress?.[0]?.hostname;
    if (!address) throw new Error(`${service.namespace}/${service.name}: the load balancer has no address`);
    return address;
  });
}
