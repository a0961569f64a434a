// tools:identity — set_handle and get_my_handle: the short name other agents see next to this agent's id.
import { z } from 'zod';
import { defineTool, defineToolGroup, identityService, registryService, tokenSchema } from '../../../core/index.js';

const identityOutput = z.object({
  agentId: z.string().describe('This agent\'s id (32 hex): what other agents pass as recipientId or agentId.'),
  handle: z.string().nullable().describe('The handle, or null when none was set.'),
  projectId: z.string(),
  principal: z.string(),
  hostname: z.string(),
  subagentType: z.string().optional(),
  parentAgentId: z.string().optional(),
});

const setHandle = defineTool({
  name: 'set_handle',
  title: 'Set my handle',
  description:
    'Sets the short, human-readable name other agents see next to your agent id in channels, direct messages and discovery (e.g. "backend-dev"). ' +
    'Use a lowercase token: letters, digits, "_" or "-". Stored per project; updates your registry entry too if you registered.',
  input: z.strictObject({ handle: tokenSchema.describe('The new handle, e.g. "frontend-1".') }),
  output: identityOutput.extend({ registryUpdated: z.boolean().describe('Whether your registry entry now shows the new handle.') }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run({ input, ctx }) {
    const record = await ctx.use(identityService).setHandle(ctx.identity, input.handle);
    const registry = ctx.use(registryService).forProject(ctx.projectId);
    const registered = registry.localAgents?.().includes(ctx.agentId) ?? false;
    if (registered) await registry.updatePresence(ctx.agentId, { handle: input.handle });
    return { ...describe(ctx.identity), handle: record.handle, registryUpdated: registered };
  },
});

const getMyHandle = defineTool({
  name: 'get_my_handle',
  title: 'Get my identity',
  description: 'Returns your agent id, your handle (null until set_handle), project id and principal. Call it to learn the id other agents need to message you.',
  input: z.strictObject({}),
  output: identityOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run({ ctx }) {
    const record = await ctx.use(identityService).get(ctx.identity);
    return { ...describe(ctx.identity), handle: record?.handle ?? null };
  },
});

function describe(identity: { agentId: string; projectId: string; principal: string; hostname: string; subagentType?: string; parentAgentId?: string }) {
  return {
    agentId: identity.agentId,
    projectId: identity.projectId,
    principal: identity.principal,
    hostname: identity.hostname,
    ...(identity.subagentType ? { subagentType: identity.subagentType } : {}),
    ...(identity.parentAgentId ? { parentAgentId: identity.parentAgentId } : {}),
  };
}

export const identityTools = [setHandle, getMyHandle];

export const identityToolGroup = defineToolGroup({
  name: 'tools:identity',
  uses: [identityService, registryService],
  tools: identityTools,
});
