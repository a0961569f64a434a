// Spin-up history (every attempt with its outcome) and the agents weft started, from service:spin-up.
import { LoomError, type SpawnedAgent, type SpinUpService } from '../../../core/index.js';
import type { Coordinator } from '../coordinator/context.js';
import { optionalSpinUp } from '../coordinator/spin-up.js';
import { targetIdParamsSchema } from '../schemas/targets.js';
import { spawnedListQuerySchema, spawnedListSchema, spinUpAttemptListSchema, spinUpListQuerySchema, targetSpinUpsQuerySchema, type SpawnedAgentView } from '../schemas/spin-ups.js';
import { defineOperation } from './define.js';

function historyOf(c: Coordinator): Required<Pick<SpinUpService, 'listAttempts' | 'listSpawned'>> {
  const service = optionalSpinUp(c.ctx);
  if (!service?.listAttempts || !service.listSpawned) {
    throw new LoomError('LOOM_ERR_UNSUPPORTED', 'no spin-up manager with a history is loaded in this weft; add the spin-up plugins to see spin-ups', { service: 'service:spin-up' });
  }
  return { listAttempts: service.listAttempts.bind(service), listSpawned: service.listSpawned.bind(service) };
}

function view({ config: _config, ...agent }: SpawnedAgent): SpawnedAgentView {
  return agent;
}

export const spinUpOperations = [
  defineOperation({
    id: 'spin-ups.list',
    summary: 'Recent spin-up attempts of the project, newest first, with their outcome (started, failed, vetoed, cooldown, at-capacity, no-target)',
    method: 'get',
    path: '/api/spin-ups',
    query: spinUpListQuerySchema,
    output: spinUpAttemptListSchema,
    run: async ({ c, input, projectId }) => ({ items: await historyOf(c).listAttempts(projectId, { limit: input.limit, ...(input.targetId ? { targetId: input.targetId } : {}) }) }),
  }),
  defineOperation({
    id: 'targets.spin-ups',
    summary: 'Recent spin-up attempts of one target, newest first (kept after the target is deleted)',
    method: 'get',
    path: '/api/targets/{id}/spin-ups',
    params: targetIdParamsSchema,
    query: targetSpinUpsQuerySchema,
    output: spinUpAttemptListSchema,
    run: async ({ c, input, projectId }) => ({ items: await historyOf(c).listAttempts(projectId, { targetId: input.id, limit: input.limit }) }),
  }),
  defineOperation({
    id: 'spin-ups.agents',
    summary: 'Agents weft started and has not torn down yet: target, state (starting, running, stopping), idle time',
    method: 'get',
    path: '/api/spin-ups/agents',
    query: spawnedListQuerySchema,
    output: spawnedListSchema,
    run: async ({ c, input, projectId }) => ({ items: (await historyOf(c).listSpawned(projectId, input.targetId ? { targetId: input.targetId } : {})).map(view) }),
  }),
];
