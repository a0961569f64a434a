// The config of a `local` target: the command that starts an agent on weft's own machine.
import { z } from 'zod';
import { agentEnv } from '../shared/env-schema.js';

export const localTargetSchema = z.strictObject({
  /** argv; a first element "loom" means this same loom CLI (same node, same install), e.g. ["loom", "agent", "--capability", "x", "--", "sh", "-c", "…"]. */
  command: z.array(z.string().min(1)).min(1, { message: 'must name a command, e.g. ["loom", "agent", "--capability", "review", "--", "my-worker"]' }),
  /** Working directory of the agent (default: weft's). */
  cwd: z.string().min(1).optional(),
  env: agentEnv,
  /** Where each agent's stdout and stderr go, as <logDir>/<agentId>.log (default: discarded). */
  logDir: z.string().min(1).optional(),
  /** After SIGTERM, how long the agent may take to exit before its process group gets SIGKILL. */
  stopGraceMs: z.number().int().min(0).max(600_000).default(10_000),
});
export type LocalTarget = z.output<typeof localTargetSchema>;
