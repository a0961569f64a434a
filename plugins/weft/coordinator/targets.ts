// Spin-up targets in KV (weft-<p>-targets): validated against the mechanism's own target schema before anything is written.
import { LoomError, formatIssues, isLoomError, type KvBucket, type Registry, type SpinUpMechanism, type SpinUpTarget } from '../../../core/index.js';
import type { TargetInput } from '../schemas/targets.js';

export function validateTarget(mechanisms: Registry<SpinUpMechanism>, input: TargetInput): Record<string, unknown> {
  const mechanism = mechanisms.find(input.mechanism);
  if (!mechanism) {
    const known = mechanisms.ids();
    throw new LoomError('LOOM_ERR_INVALID_INPUT', `mechanism: "${input.mechanism}" is not a loaded spin-up mechanism; known: ${known.length ? known.join(', ') : '(none loaded)'}`, { field: 'mechanism', known });
  }
  const parsed = mechanism.targetSchema.safeParse(input.config);
  if (!parsed.success) {
    throw new LoomError('LOOM_ERR_INVALID_INPUT', `${formatIssues(parsed.error, 'config')} (mechanism ${input.mechanism})`, { field: 'config', issues: parsed.error.issues });
  }
  return parsed.data as Record<string, unknown>;
}

export function createTargetStore(bucket: () => Promise<KvBucket>, projectId: string) {
  const notFound = (id: string) => new LoomError('LOOM_ERR_NOT_FOUND', `no target "${id}" in project ${projectId}`, { targetId: id, projectId });
  return {
    async list(): Promise<SpinUpTarget[]> {
      return (await (await bucket()).list<SpinUpTarget>()).map((entry) => entry.value);
    },
    async get(id: string): Promise<SpinUpTarget> {
      const entry = await (await bucket()).get<SpinUpTarget>(id);
      if (!entry) throw notFound(id);
      return entry.value;
    },
    async create(id: string, input: TargetInput, config: Record<string, unknown>): Promise<SpinUpTarget> {
      const now = new Date().toISOString();
      const target: SpinUpTarget = { ...withoutProject(input), config, id, projectId, createdAt: now, updatedAt: now };
      try {
        await (await bucket()).create(id, target);
      } catch (err) {
        if (err instanceof LoomError && err.code === 'LOOM_ERR_CONFLICT') throw new LoomError('LOOM_ERR_CONFLICT', `target "${id}" already exists in project ${projectId}; use PUT /api/targets/${id} to change it`, { targetId: id });
        throw err;
      }
      return target;
    },
    async replace(id: string, input: TargetInput, config: Record<string, unknown>): Promise<SpinUpTarget> {
      const b = await bucket();
      const entry = await b.get<SpinUpTarget>(id);
      if (!entry) throw notFound(id);
      const target: SpinUpTarget = { ...withoutProject(input), config, id, projectId, createdAt: entry.value.createdAt, updatedAt: new Date().toISOString() };
      await b.update(id, target, entry.revision);
      return target;
    },
    /** Writes the target whatever KV holds under its id (config-declared targets win); an identical one is left as it is. */
    async upsert(id: string, input: TargetInput, config: Record<string, unknown>): Promise<{ target: SpinUpTarget; action: 'created' | 'updated' | 'unchanged' }> {
      const b = await bucket();
      for (let attempt = 1; ; attempt++) {
        const entry = await b.get<SpinUpTarget>(id);
        const now = new Date().toISOString();
        const target: SpinUpTarget = { ...withoutProject(input), config, id, projectId, createdAt: entry?.value.createdAt ?? now, updatedAt: now };
        if (entry && canonical(content(entry.value)) === canonical(content(target))) return { target: entry.value, action: 'unchanged' };
        try {
          if (entry) await b.update(id, target, entry.revision);
          else await b.create(id, target);
          return { target, action: entry ? 'updated' : 'created' };
        } catch (err) {
          // Someone (the API) wrote the same id meanwhile: read it again and win over it.
          if (attempt >= 5 || !isLoomError(err, 'LOOM_ERR_CONFLICT')) throw err;
        }
      }
    },
    async remove(id: string): Promise<void> {
      const b = await bucket();
      if (!(await b.get(id))) throw notFound(id);
      await b.delete(id);
    },
  };
}

function withoutProject(input: TargetInput): Omit<TargetInput, 'projectId'> {
  const { projectId: _ignored, ...rest } = input;
  return rest;
}

/** What a target says, without its timestamps. */
function content(target: SpinUpTarget): Omit<SpinUpTarget, 'createdAt' | 'updatedAt'> {
  const { createdAt: _created, updatedAt: _updated, ...rest } = target;
  return rest;
}

/** JSON with object keys sorted, so two equal targets compare equal whatever order their keys were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item) ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : item,
  );
}

/** Enabled targets that can serve the work, preferred agent types first. */
export function candidateTargets(targets: ReadonlyArray<SpinUpTarget>, need: { capability: string; boundary?: string; allowed: string[]; preferred: string[] }): SpinUpTarget[] {
  const rank = (type: string) => (need.preferred.includes(type) ? need.preferred.indexOf(type) : need.preferred.length);
  return targets
    .filter((t) => t.enabled && t.capabilities.includes(need.capability) && (!t.boundaries.length || (need.boundary !== undefined && t.boundaries.includes(need.boundary))) && (!need.allowed.length || need.allowed.includes(t.agentType)))
    .sort((a, b) => rank(a.agentType) - rank(b.agentType) || a.id.localeCompare(b.id));
}
