// Statistics operations: one project, the list of projects, and totals across projects (coord.global.*).
import { globalStats, projectsList, projectStats } from '../coordinator/stats.js';
import { projectOnlySchema } from '../schemas/common.js';
import { globalStatsSchema, projectsListSchema, projectStatsSchema } from '../schemas/stats.js';
import { z } from 'zod';
import { defineOperation } from './define.js';

export const statsOperations = [
  defineOperation({
    id: 'stats.get',
    summary: 'Statistics of one project: agents by status, work by state, queue depth, dead letters',
    method: 'get',
    path: '/api/stats',
    query: projectOnlySchema,
    output: projectStatsSchema,
    run: ({ c, projectId }) => projectStats(c, projectId),
  }),
  defineOperation({
    id: 'global.projects',
    summary: 'The projects this weft serves (only those the token may see)',
    method: 'get',
    path: '/api/stats/projects',
    query: z.strictObject({}),
    output: projectsListSchema,
    scope: 'global',
    run: ({ c, caller }) => projectsList(c, caller),
  }),
  defineOperation({
    id: 'global.stats',
    summary: 'Totals across the projects the token may see',
    method: 'get',
    path: '/api/stats/global',
    query: z.strictObject({}),
    output: globalStatsSchema,
    scope: 'global',
    run: ({ c, caller }) => globalStats(c, caller),
  }),
];
