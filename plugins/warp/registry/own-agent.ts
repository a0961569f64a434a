// Which registered agent a presence or deregister call means: only agents this server registered may be changed.
import { LoomError, type ProjectRegistry, type ToolContext } from '../../../core/index.js';

export function ownAgentId(registry: ProjectRegistry, ctx: ToolContext, requested: string | undefined): string {
  const mine = registry.localAgents?.() ?? [];
  if (requested !== undefined) {
    if (mine.includes(requested)) return requested;
    throw new LoomError('LOOM_ERR_FORBIDDEN', `agentId: ${requested} was not registered by this server; you can only change agents you registered (${mine.join(', ') || 'none yet: call register_agent first'})`, { field: 'agentId' });
  }
  if (mine.includes(ctx.agentId)) return ctx.agentId;
  if (mine.length === 1) return mine[0]!;
  if (mine.length === 0) throw new LoomError('LOOM_ERR_NOT_FOUND', 'you are not registered: call register_agent first', { field: 'agentId' });
  throw new LoomError('LOOM_ERR_INVALID_INPUT', `agentId: you registered several agents (${mine.join(', ')}); say which one`, { field: 'agentId' });
}
