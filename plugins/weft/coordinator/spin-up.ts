// Asks the spin-up service (issue: spin-up manager) for an agent when routing found no eligible one; records the outcome.
import { isLoomError, spinUpService, type PluginContext, type SpinUpService, type SpinUpTarget } from '../../../core/index.js';
import type { RecordedDecision } from '../schemas/work.js';
import { candidateTargets } from './targets.js';

export interface SpinUpNote {
  at: string;
  outcome: string;
  targetId?: string;
  operationId?: string;
  detail?: string;
}

/** The spin-up service if a plugin provides one; weft runs without it (items then wait for an agent to come online). */
export function optionalSpinUp(ctx: PluginContext<unknown>): SpinUpService | undefined {
  try {
    return ctx.use(spinUpService);
  } catch (err) {
    if (isLoomError(err, 'LOOM_ERR_UNKNOWN_SERVICE')) return undefined;
    throw err;
  }
}

export async function requestSpinUp(ctx: PluginContext<unknown>, args: { projectId: string; workId: string; decision: RecordedDecision; targets: SpinUpTarget[] }): Promise<SpinUpNote> {
  const at = new Date().toISOString();
  const service = optionalSpinUp(ctx);
  if (!service) return { at, outcome: 'no-manager', detail: 'no spin-up manager is loaded; the item waits on the queue for an agent' };
  const { decision } = args;
  const candidates = candidateTargets(args.targets, {
    capability: decision.capability,
    ...(decision.boundary ? { boundary: decision.boundary } : {}),
    allowed: decision.allowedAgentTypes,
    preferred: decision.preferredAgentTypes,
  });
  try {
    const attempt = await service.request({
      projectId: args.projectId,
      workId: args.workId,
      capability: decision.capability,
      ...(decision.boundary ? { boundary: decision.boundary } : {}),
      agentTypes: decision.allowedAgentTypes.length ? decision.allowedAgentTypes : decision.preferredAgentTypes,
      reason: `no eligible online agent for work ${args.workId}: ${decision.reason}`,
      candidates,
    });
    return { at: attempt.at, outcome: attempt.outcome, ...(attempt.targetId ? { targetId: attempt.targetId } : {}), operationId: attempt.operationId, ...(attempt.detail ? { detail: attempt.detail } : {}) };
  } catch (err) {
    return { at, outcome: 'failed', detail: err instanceof Error ? err.message : String(err) };
  }
}
