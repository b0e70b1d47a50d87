// The package entry (`import { MulticlusterMesh } from "istio-multicluster"`): the mesh as a component for
// other Pulumi programs, its argument and output types, and the config error it throws. index.ts stays this
// project's own stack program (Pulumi.yaml `main` points at it).
export { MulticlusterMesh, type MulticlusterMeshArgs } from "./mesh/multiclusterMesh";
export type { ClusterOutputs, SampleOutputs, StackOutputs } from "./mesh/outputs";
export { ConfigError } from "./config/validate";
