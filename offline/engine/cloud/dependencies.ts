// What the engine knows of the graph while it registers: each resource's URN, registration order and
// what it waits for. Lets the strict checks ask "is this object ordered after that one?" the way a real
// `pulumi up` would schedule it.

export class DependencyGraph {
  private readonly order = new Map<string, number>();
  private readonly waitsOn = new Map<string, readonly string[]>();
  /** Per target: resources known to reach it (true) or not (false). */
  private readonly memo = new Map<string, Map<string, boolean>>();
  /** Resources visited by reachability queries: the cost the strict checks add to an evaluation. */
  visits = 0;

  add(urn: string, waitsOn: readonly string[]): void {
    if (!this.order.has(urn)) this.order.set(urn, this.order.size);
    this.waitsOn.set(urn, waitsOn);
  }

  has(urn: string): boolean {
    return this.order.has(urn);
  }

  /**
   * Does `from` wait for `target`, directly or through other resources? Dependencies are registered before
   * their dependents, so nothing registered before `target` can reach it; answers are memoised per target,
   * so each resource is visited at most once per target however many objects ask.
   */
  reaches(from: string, target: string): boolean {
    if (from === target) return true;
    const targetOrder = this.order.get(target);
    if (targetOrder === undefined) return false;
    let known = this.memo.get(target);
    if (!known) this.memo.set(target, (known = new Map()));
    const visit = (urn: string): boolean => {
      if (urn === target) return true;
      const cached = known.get(urn);
      if (cached !== undefined) return cached;
      this.visits++;
      const deps = this.waitsOn.get(urn) ?? [];
      // The direct edge first: most objects name what they need in their own inputs.
      const found =
        (this.order.get(urn) ?? -1) > targetOrder && (deps.includes(target) || deps.some((d) => visit(d)));
      known.set(urn, found);
      return found;
    };
    return visit(from);
  }
}
