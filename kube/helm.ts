// How every Helm release of the mesh is installed.

/**
 * Real Helm semantics: wait for the release's workloads (atomic implies wait), roll back and clean up a
 * failed install so the next `pulumi up` starts clean, and allow for image pulls and load balancers.
 */
export const RELEASE_SETTINGS = { atomic: true, cleanupOnFail: true, timeout: 900 } as const;
