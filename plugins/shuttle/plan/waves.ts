// Groups an acyclic plan into waves: topological levels, each subtask one wave after its latest dependency.

/** Wave number (1-based) per id, and the waves in plan order. The plan must be validated (acyclic, known deps). */
export function groupIntoWaves(subtasks: ReadonlyArray<{ id: string; dependsOn: ReadonlyArray<string> }>): { waveOf: Map<string, number>; waves: string[][] } {
  const byId = new Map(subtasks.map((subtask) => [subtask.id, subtask]));
  const waveOf = new Map<string, number>();
  const level = (id: string): number => {
    const known = waveOf.get(id);
    if (known !== undefined) return known;
    const deps = byId.get(id)?.dependsOn ?? [];
    const wave = deps.length === 0 ? 1 : 1 + Math.max(...deps.map(level));
    waveOf.set(id, wave);
    return wave;
  };
  const waves: string[][] = [];
  for (const subtask of subtasks) {
    const wave = level(subtask.id);
    (waves[wave - 1] ??= []).push(subtask.id);
  }
  return { waveOf, waves: waves.map((wave) => wave ?? []) };
}
