// Target operations: CRUD (config validated by the mechanism), manual spin-up and health test through service:spin-up.
import { z } from 'zod';
import { LoomError, type SpinUpService } from '../../../core/index.js';
import type { Coordinator } from '../coordinator/context.js';
import { optionalSpinUp } from '../coordinator/spin-up.js';
import { createTargetStore, validateTarget } from '../coordinator/targets.js';
import { projectOnlySchema } from '../schemas/common.js';
import { spinUpAttemptViewSchema, targetCreateSchema, targetIdParamsSchema, targetSpinUpSchema, targetTestResultSchema, targetUpdateSchema, targetViewSchema } from '../schemas/targets.js';
import { defineOperation } from './define.js';

const store = (c: Coordinator, projectId: string) => createTargetStore(c.projects.get(projectId).targetsBucket, projectId);

function requireSpinUp(c: Coordinator): SpinUpService {
  const service = optionalSpinUp(c.ctx);
  if (!service) throw new LoomError('LOOM_ERR_UNSUPPORTED', 'no spin-up manager is loaded in this weft; add the spin-up plugins to use targets', { service: 'service:spin-up' });
  return service;
}

export const targetOperations = [
  defineOperation({
    id: 'targets.list',
    summary: 'List spin-up targets',
    method: 'get',
    path: '/api/targets',
    query: projectOnlySchema,
    output: z.object({ items: z.array(targetViewSchema) }),
    run: async ({ c, projectId }) => ({ items: (await store(c, projectId).list()).sort((a, b) => a.id.localeCompare(b.id)) }),
  }),
  defineOperation({
    id: 'targets.create',
    summary: 'Create a spin-up target; its config is checked by the mechanism’s target schema',
    method: 'post',
    path: '/api/targets',
    body: targetCreateSchema,
    output: targetViewSchema,
    successStatus: 201,
    mutates: true,
    run: async ({ c, input, projectId }) => {
      const { id, ...rest } = input;
      const config = validateTarget(c.ctx.registries.spinUps, rest);
      return store(c, projectId).create(id, rest, config);
    },
  }),
  defineOperation({
    id: 'targets.get',
    summary: 'One spin-up target',
    method: 'get',
    path: '/api/targets/{id}',
    params: targetIdParamsSchema,
    query: projectOnlySchema,
    output: targetViewSchema,
    run: ({ c, input, projectId }) => store(c, projectId).get(input.id),
  }),
  defineOperation({
    id: 'targets.update',
    summary: 'Replace a spin-up target',
    method: 'put',
    path: '/api/targets/{id}',
    params: targetIdParamsSchema,
    body: targetUpdateSchema,
    output: targetViewSchema,
    mutates: true,
    run: async ({ c, input, projectId }) => {
      const { id, ...rest } = input;
      const config = validateTarget(c.ctx.registries.spinUps, rest);
      return store(c, projectId).replace(id, rest, config);
    },
  }),
  defineOperation({
    id: 'targets.delete',
    summary: 'Delete a spin-up target',
    method: 'delete',
    path: '/api/targets/{id}',
    params: targetIdParamsSchema,
    query: projectOnlySchema,
    output: z.object({ deleted: z.string() }),
    mutates: true,
    run: async ({ c, input, projectId }) => {
      await store(c, projectId).remove(input.id);
      return { deleted: input.id };
    },
  }),
  defineOperation({
    id: 'targets.spin-up',
    summary: 'Start an agent on this target now (concurrency and cooldown still apply)',
    method: 'post',
    path: '/api/targets/{id}/spin-up',
    params: targetIdParamsSchema,
    body: targetSpinUpSchema,
    output: spinUpAttemptViewSchema,
    successStatus: 202,
    mutates: true,
    run: async ({ c, input, projectId }) => {
      const target = await store(c, projectId).get(input.id);
      return requireSpinUp(c).spinUp(target, { reason: input.reason ?? 'requested through weft', ...(input.workId ? { workId: input.workId } : {}) });
    },
  }),
  defineOperation({
    id: 'targets.test',
    summary: 'Health-check a target through its mechanism',
    method: 'post',
    path: '/api/targets/{id}/test',
    params: targetIdParamsSchema,
    body: projectOnlySchema,
    output: targetTestResultSchema,
    mutates: true,
    run: async ({ c, input, projectId }) => {
      const target = await store(c, projectId).get(input.id);
      return { targetId: target.id, ...(await requireSpinUp(c).test(target)) };
    },
  }),
];
