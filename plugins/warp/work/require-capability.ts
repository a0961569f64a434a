// Claiming needs a registration: the caller's registered capabilities must include the one it claims.
import { LoomError, registryService, type ToolContext } from '../../../core/index.js';

export async function requireCapability(ctx: ToolContext, capability: string): Promise<void> {
  const entry = await ctx.use(registryService).forProject(ctx.projectId).get(ctx.agentId);
  if (!entry) {
    throw new LoomError('LOOM_ERR_FORBIDDEN', `agent ${ctx.agentId} is not registered in project ${ctx.projectId}: call register_agent with capabilities including "${capability}" before claiming work`, { field: 'capability', capability });
  }
  if (!entry.capabilities.includes(capability)) {
    const listed = entry.capabilities.length ? entry.capabilities.map((c) => `"${c}"`).join(', ') : 'none';
    throw new LoomError('LOOM_ERR_FORBIDDEN', `capability "${capability}" is not among agent ${ctx.agentId}'s registered capabilities (${listed}): register_agent again with it to claim this work`, { field: 'capability', capability, registered: entry.capabilities });
  }
}
