// Agent operations: list and show (with the status heartbeats imply), and ask an agent to shut down.
import { effectiveStatus, LoomError, natsService, type AgentEntry } from '../../../core/index.js';
import { projectAgents } from '../coordinator/stats.js';
import { agentIdParamsSchema, agentListQuerySchema, agentShutdownResultSchema, agentShutdownSchema, agentViewSchema, type AgentView } from '../schemas/agents.js';
import { z } from 'zod';
import { projectOnlySchema } from '../schemas/common.js';
import { defineOperation } from './define.js';

function view(agent: AgentEntry, now = Date.now()): AgentView {
  return { ...agent, status: effectiveStatus(agent, now), reportedStatus: agent.status };
}

export const agentOperations = [
  defineOperation({
    id: 'agents.list',
    summary: 'List the project’s agents; status is offline once 3 heartbeats are missed',
    method: 'get',
    path: '/api/agents',
    query: agentListQuerySchema,
    output: z.object({ items: z.array(agentViewSchema) }),
    run: async ({ c, input, projectId }) => {
      const now = Date.now();
      const items = (await projectAgents(c, projectId))
        .map((agent) => view(agent, now))
        .filter((agent) => (!input.capability || agent.capabilities.includes(input.capability)) && (!input.agentType || agent.agentType === input.agentType) && (!input.status || agent.status === input.status))
        .sort((a, b) => a.id.localeCompare(b.id));
      return { items };
    },
  }),
  defineOperation({
    id: 'agents.get',
    summary: 'One agent',
    method: 'get',
    path: '/api/agents/{id}',
    params: agentIdParamsSchema,
    query: projectOnlySchema,
    output: agentViewSchema,
    run: async ({ c, input, projectId }) => {
      const agent = await c.projects.get(projectId).registry().get(input.id);
      if (!agent || agent.projectId !== projectId) throw new LoomError('LOOM_ERR_NOT_FOUND', `no agent ${input.id} in project ${projectId}`, { agentId: input.id, projectId });
      return view(agent);
    },
  }),
  defineOperation({
    id: 'agents.shutdown',
    summary: 'Ask an agent to shut down (loom.<p>.control.<agentId>.shutdown); the agent runtime obeys',
    method: 'post',
    path: '/api/agents/{id}/shutdown',
    params: agentIdParamsSchema,
    body: agentShutdownSchema,
    output: agentShutdownResultSchema,
    successStatus: 202,
    mutates: true,
    run: async ({ c, input, projectId }) => {
      const project = c.projects.get(projectId);
      const agent = await project.registry().get(input.id);
      if (!agent || agent.projectId !== projectId) throw new LoomError('LOOM_ERR_NOT_FOUND', `no agent ${input.id} in project ${projectId}`, { agentId: input.id, projectId });
      const subject = project.names.controlSubject(input.id, 'shutdown');
      const nc = await c.ctx.use(natsService).connection();
      nc.publish(subject, JSON.stringify({ agentId: input.id, reason: input.reason ?? 'requested through weft', requestedBy: c.instanceId, at: new Date().toISOString() }));
      await nc.flush();
      return { agentId: input.id, sent: true, subject };
    },
  }),
];
