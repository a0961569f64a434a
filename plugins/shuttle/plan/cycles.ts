// Finds dependency cycles in a plan (depth-first search), each reported once as the path that closes it.

/** Every cycle found, as ids in order with the first id repeated at the end: ["a", "b", "a"]. */
export function findCycles(edges: ReadonlyMap<string, ReadonlyArray<string>>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const seen = new Set<string>();

  const visit = (id: string): void => {
    state.set(id, 'open');
    stack.push(id);
    for (const next of edges.get(id) ?? []) {
      if (!edges.has(next)) continue;
      if (state.get(next) === 'open') {
        const cycle = [...stack.slice(stack.indexOf(next)), next];
        const key = [...cycle.slice(0, -1)].sort().join('\u0000');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(id, 'done');
  };

  for (const id of edges.keys()) if (!state.has(id)) visit(id);
  return cycles;
}
