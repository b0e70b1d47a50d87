// Entry point of the Pulumi program: builds the mesh and exports what users need afterwards.
import { runProgram } from "./mesh";

const outputs = runProgram();

export const topology = outputs["topology"];
export const meshId = outputs["meshId"];
export const clusters = outputs["clusters"];
