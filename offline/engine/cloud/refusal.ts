// What the strict checks see of one resource the mock cloud is asked to create, and how they refuse it.
import type { MockResourceArgs } from "@pulumi/pulumi/runtime";

/** The API said no: thrown from MockCloud.newResource, so the registration fails like the provider call. */
export class CloudRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CloudRefusal";
  }
}

export function refuse(message: string): never {
  throw new CloudRefusal(message);
}

export interface Admission {
  /** Inputs with secrets unwrapped. */
  args: MockResourceArgs;
  urn: string;
  /** Echoed inputs plus what the handler computed (ids, addresses, endpoints). */
  outputs: Record<string, unknown>;
  /** The project the resource is created in (its own `project` input, else the provider's). */
  project: string;
}

export const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
export const record = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
