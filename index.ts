// Entry point of the Pulumi program: builds the mesh and exports what users need afterwards.
import { runProgram } from "./mesh";

const outputs = runProgram();

export const topology = outputs["topology"];
export const meshId = outputs["meshId"];
/** Per cluster: name, location, role, network, endpoint, kubeconfig (secret), gateway addresses, kubectl command. */
export const clusters = outputs["clusters"];
/** PEM of the mesh root CA (public): trust anchor for anything outside the mesh. */
export const rootCertificate = outputs["rootCertificate"];
/** Sample applications: helloworld placement, Online Boutique URL (when enabled). */
export const samples = outputs["samples"];
