// tools:registry — register_agent, discover_agents, get_agent_info, update_presence, deregister_agent.
import { z } from 'zod';
import { LoomError, defineTool, defineToolGroup, identityService, isVisible, registryService, type AgentEntry, type ToolContext } from '../../../core/index.js';
import { agentIdSchema, agentOutput, discoverAgentsInput, discoverAgentsOutput, registerAgentInput, registerAgentOutput, updatePresenceInput } from './schemas.js';
import { ownAgentId } from './own-agent.js';

const registryOf = (ctx: ToolContext) => ctx.use(registryService).forProject(ctx.projectId);
const viewerOf = (ctx: ToolContext) => ({ agentId: ctx.agentId, principal: ctx.principal, projectId: ctx.projectId });

const registerAgent = defineTool({
  name: 'register_agent',
  title: 'Register this agent',
  description:
    'Announces you to other agents with your type and capabilities, and keeps you "online" with a heartbeat while this server runs (3 missed heartbeats and you show as offline). ' +
    'Returns your agent id: the id others use with get_agent_info and send_direct_message. Call it again to change type, capabilities or scope.',
  input: registerAgentInput,
  output: registerAgentOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run({ input, ctx }) {
    const agentId = input.agentId ?? ctx.agentId;
    const identity = ctx.use(identityService);
    const handle = input.handle ?? (agentId === ctx.agentId ? (await identity.get(ctx.identity))?.handle : undefined);
    if (input.handle && agentId === ctx.agentId) await identity.setHandle(ctx.identity, input.handle);
    const agent = await registryOf(ctx).register({
      agentId,
      agentType: input.agentType,
      capabilities: input.capabilities,
      scope: input.scope,
      ...(handle ? { handle } : {}),
      ...(input.metadata ? { metadata: input.metadata } : {}),
    });
    return { agentId, agent, heartbeatMs: agent.heartbeatMs };
  },
});

const discoverAgents = defineTool({
  name: 'discover_agents',
  title: 'Discover agents',
  description:
    'Finds agents you can see (this project\'s, public ones, and your own personal ones) by type, capability, status, scope or hostname. ' +
    'Offline agents are left out unless you ask for status "offline" or includeOffline. Use it to find who can take a task, then message them or offer work.',
  input: discoverAgentsInput,
  output: discoverAgentsOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run({ input, ctx }) {
    const { limit, includeOffline, ...filter } = input;
    return registryOf(ctx).discoverPage({ ...filter, includeOffline, visibleTo: viewerOf(ctx) }, limit);
  },
});

async function visibleAgent(ctx: ToolContext, agentId: string): Promise<AgentEntry> {
  const agent = await registryOf(ctx).get(agentId);
  const visible = agent && isVisible({ scope: agent.scope, agentId: agent.id, principal: agent.principal, projectId: agent.projectId }, viewerOf(ctx));
  if (!agent || !visible) throw new LoomError('LOOM_ERR_NOT_FOUND', `agentId: no agent ${agentId} that you can see is registered (it may have deregistered, or been offline for over a day)`, { field: 'agentId' });
  return agent;
}

const getAgentInfo = defineTool({
  name: 'get_agent_info',
  title: 'Get agent info',
  description: 'Returns one agent\'s registry entry (type, capabilities, handle, status, last seen) by the id register_agent or discover_agents gave you.',
  input: z.strictObject({ agentId: agentIdSchema }),
  output: z.object({ agent: agentOutput }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run({ input, ctx }) {
    return { agent: await visibleAgent(ctx, input.agentId) };
  },
});

const updatePresence = defineTool({
  name: 'update_presence',
  title: 'Update my presence',
  description: 'Tells others whether you are "online" (free) or "busy", how many tasks you hold, or a new handle. Only for agents this server registered.',
  input: updatePresenceInput,
  output: z.object({ agent: agentOutput }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run({ input, ctx }) {
    const registry = registryOf(ctx);
    const agentId = ownAgentId(registry, ctx, input.agentId);
    const agent = await registry.updatePresence(agentId, {
      ...(input.status ? { status: input.status } : {}),
      ...(input.currentTaskCount !== undefined ? { currentTaskCount: input.currentTaskCount } : {}),
      ...(input.handle ? { handle: input.handle } : {}),
    });
    if (input.handle && agentId === ctx.agentId) await ctx.use(identityService).setHandle(ctx.identity, input.handle);
    return { agent };
  },
});

const deregisterAgent = defineTool({
  name: 'deregister_agent',
  title: 'Deregister',
  description: 'Removes your registry entry and stops the heartbeat: others no longer discover you. Messages sent to your id still wait in your inbox.',
  input: z.strictObject({ agentId: agentIdSchema.optional().describe('Which of the agents you registered (needed only if you registered several).') }),
  output: z.object({ agentId: z.string(), deregistered: z.literal(true) }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async run({ input, ctx }) {
    const registry = registryOf(ctx);
    const agentId = ownAgentId(registry, ctx, input.agentId);
    await registry.deregister(agentId);
    return { agentId, deregistered: true as const };
  },
});

export const registryTools = [registerAgent, discoverAgents, getAgentInfo, updatePresence, deregisterAgent];

export const registryToolGroup = defineToolGroup({
  name: 'tools:registry',
  uses: [registryService, identityService],
  tools: registryTools,
});
