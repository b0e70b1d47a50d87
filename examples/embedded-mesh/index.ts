// Another Pulumi program that embeds the mesh: it imports the component from the package entry, chooses its
// own clusters in code instead of a stack file, and exports what it needs. The module exports a function,
// which Pulumi's Node.js runtime calls and whose result becomes the stack outputs.
import * as pulumi from "@pulumi/pulumi";
import { MulticlusterMesh, type MulticlusterMeshArgs } from "istio-multicluster";

export = () => {
  const gcp = new pulumi.Config("gcp");
  const args: MulticlusterMeshArgs = {
    project: gcp.require("project"),
    topology: "primary-remote",
    meshId: "embedded",
    clusters: [
      { name: "east", location: "us-east1-b", network: "east-net", role: "primary" },
      { name: "west", location: "us-west1-a", network: "west-net", role: "remote" },
    ],
    helloworld: true,
  };
  const mesh = new MulticlusterMesh("mesh", args);
  return {
    clusters: mesh.outputs.clusters,
    rootCertificate: mesh.outputs.rootCertificate,
  };
};
