// Dead-letter operations through the work-queue service: list, retry (back onto its queue), discard.
import { z } from 'zod';
import { projectOnlySchema } from '../schemas/common.js';
import { deadLetterViewSchema, dlqIdParamsSchema, dlqListQuerySchema, dlqRetrySchema } from '../schemas/stats.js';
import { defineOperation } from './define.js';

export const dlqOperations = [
  defineOperation({
    id: 'dlq.list',
    summary: 'List dead letters (items that ran out of attempts), with their error history',
    method: 'get',
    path: '/api/dlq',
    query: dlqListQuerySchema,
    output: z.object({ items: z.array(deadLetterViewSchema), nextCursor: z.string().optional() }),
    run: ({ c, input, projectId }) =>
      c.projects.get(projectId).queue().listDeadLetters({ limit: input.limit, ...(input.capability ? { capability: input.capability } : {}), ...(input.cursor ? { cursor: input.cursor } : {}) }),
  }),
  defineOperation({
    id: 'dlq.retry',
    summary: 'Put a dead letter back on its queue',
    method: 'post',
    path: '/api/dlq/{id}/retry',
    params: dlqIdParamsSchema,
    body: dlqRetrySchema,
    output: z.object({ workId: z.string() }),
    mutates: true,
    run: ({ c, input, projectId }) => c.projects.get(projectId).queue().retryDeadLetter(input.id, { resetAttempts: input.resetAttempts }),
  }),
  defineOperation({
    id: 'dlq.discard',
    summary: 'Discard a dead letter',
    method: 'delete',
    path: '/api/dlq/{id}',
    params: dlqIdParamsSchema,
    query: projectOnlySchema,
    output: z.object({ discarded: z.string() }),
    mutates: true,
    run: async ({ c, input, projectId }) => {
      await c.projects.get(projectId).queue().discardDeadLetter(input.id);
      return { discarded: input.id };
    },
  }),
];
