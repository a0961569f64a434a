// The environment a started agent gets: where NATS is, which project, and the agent id weft chose for it.
import type { SpinUpTarget } from '../../core/index.js';

export function agentEnvironment(args: { natsUrl: string | undefined; projectId: string; agentId: string; target: SpinUpTarget; operationId: string }): Record<string, string> {
  return {
    ...(args.natsUrl ? { NATS_URL: args.natsUrl } : {}),
    LOOMINAL_PROJECT_ID: args.projectId,
    // Chosen here so weft knows which registry entry is the agent it started (capacity, idle scale-down).
    LOOMINAL_AGENT_ID: args.agentId,
    LOOMINAL_STARTED_BY: args.target.id,
    LOOMINAL_SPIN_UP_OPERATION: args.operationId,
    LOOMINAL_SPIN_UP_TARGET_NAME: args.target.name ?? args.target.id,
  };
}
