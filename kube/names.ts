// Kubernetes naming rules (k8s.io/apimachinery validation): what object names, label values and the
// cluster names Istio uses must look like.

/** DNS-1123 label characters and shape, without its 63-character limit (checked where it applies). */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
