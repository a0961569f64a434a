// Work operations: submit (route + queue), list, show, cancel.
import { projectOnlySchema, page } from '../schemas/common.js';
import { workCancelSchema, workIdParamsSchema, workListQuerySchema, workRecordSchema, workSubmitSchema } from '../schemas/work.js';
import { cancelWork, submitWork } from '../coordinator/work-actions.js';
import { getRecord, listRecords } from '../coordinator/work-store.js';
import { defineOperation } from './define.js';

export const workOperations = [
  defineOperation({
    id: 'work.submit',
    summary: 'Submit a work item: route it through the classifiers and put it on its capability queue',
    method: 'post',
    path: '/api/work',
    body: workSubmitSchema,
    output: workRecordSchema,
    successStatus: 201,
    mutates: true,
    run: ({ c, input, projectId }) => submitWork(c, { ...input, projectId }),
  }),
  defineOperation({
    id: 'work.list',
    summary: 'List work items, newest first',
    method: 'get',
    path: '/api/work',
    query: workListQuerySchema,
    output: page(workRecordSchema),
    run: async ({ c, input, projectId }) => {
      const bucket = await c.projects.get(projectId).workBucket();
      return listRecords(bucket, { ...(input.state ? { state: input.state } : {}), ...(input.capability ? { capability: input.capability } : {}), ...(input.agentId ? { agentId: input.agentId } : {}) }, input.limit, input.cursor);
    },
  }),
  defineOperation({
    id: 'work.get',
    summary: 'One work item with its routing decision and state history',
    method: 'get',
    path: '/api/work/{id}',
    params: workIdParamsSchema,
    query: projectOnlySchema,
    output: workRecordSchema,
    run: async ({ c, input, projectId }) => getRecord(await c.projects.get(projectId).workBucket(), projectId, input.id),
  }),
  defineOperation({
    id: 'work.cancel',
    summary: 'Cancel a work item that has not finished; it never ends as completed afterwards',
    method: 'post',
    path: '/api/work/{id}/cancel',
    params: workIdParamsSchema,
    body: workCancelSchema,
    output: workRecordSchema,
    mutates: true,
    run: ({ c, input, projectId }) => cancelWork(c, projectId, input.id, input.reason),
  }),
];
