// Entry point of the Pulumi program: the mesh from this stack's config (mesh/stack.ts) and its outputs.
import { stackProgram } from "./mesh/stack";

const outputs = stackProgram();

export const topology = outputs.topology;
export const meshId = outputs.meshId;
/** Per cluster: endpoint, kubeconfig (secret), watched clusters, gateway addresses, kubectl command. */
export const clusters = outputs.clusters;
/** PEM of the mesh root CA (public): trust anchor for anything outside the mesh. */
export const rootCertificate = outputs.rootCertificate;
/** Enabled samples: where each part runs (helloworld, Bookinfo, httpbin) and the storefront URL (Online Boutique). */
export const samples = outputs.samples;
/** A root rotation in progress: its stage, whether a restart is due and what comes next (docs/certificates.md). */
export const caRotation = outputs.caRotation;
