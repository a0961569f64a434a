// The shuttle tool group's options and the environment variables that set them.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { tokenSchema } from '../../core/index.js';

const SECOND = 1000;
const HOUR = 60 * 60 * SECOND;

export const shuttleOptionsSchema = z.strictObject({
  /** Where context.md, result files, orchestration.json and synthesis.md are written. */
  workDir: z.string().min(1).default(join(tmpdir(), 'loominal-shuttle')),
  /** The capability a subtask gets when the plan names none and no classifier proposes one. */
  defaultCapability: tokenSchema.default('general'),
  /** Priority (1-10) of the work items shuttle offers. */
  priority: z.coerce.number().int().min(1).max(10).default(5),
  /** Classifier ids asked (in this order) to fill missing capabilities; default: every loaded classifier, by id. */
  classifiers: z.array(tokenSchema).optional(),
  maxSubtasks: z.coerce.number().int().min(1).max(500).default(100),
  /** Max age of a stored orchestration in KV (each update renews it). */
  orchestrationTtlMs: z.coerce.number().int().min(SECOND).default(24 * HOUR),
  /** Max age of results, checkpoints and syntheses in KV. */
  checkpointTtlMs: z.coerce.number().int().min(SECOND).default(7 * 24 * HOUR),
  /** How long a tool call waits for the first NATS connection before answering from the filesystem. */
  natsWaitMs: z.coerce.number().int().min(0).max(60 * SECOND).default(2 * SECOND),
  /** Retry loop while NATS is unavailable: first delay, doubled up to the max. */
  retryMinMs: z.coerce.number().int().min(10).default(250),
  retryMaxMs: z.coerce.number().int().min(10).default(4 * SECOND),
  /** While NATS is up: how often stored orchestrations are re-checked (completions, results, pending offers). */
  reconcileMs: z.coerce.number().int().min(100).default(15 * SECOND),
  /** Name of the durable work-events consumer shared by every shuttle process of a project. */
  eventsDurable: tokenSchema.default('shuttle'),
  /** Ask weft to spin up an agent when no online agent has a subtask's capability. */
  spinUp: z.boolean().default(true),
  spinUpTimeoutMs: z.coerce.number().int().min(50).default(1500),
});

export type ShuttleOptions = z.output<typeof shuttleOptionsSchema>;

export const shuttleEnv = {
  SHUTTLE_WORK_DIR: 'workDir',
  SHUTTLE_DEFAULT_CAPABILITY: 'defaultCapability',
  SHUTTLE_RETRY_MAX_MS: 'retryMaxMs',
  SHUTTLE_RECONCILE_MS: 'reconcileMs',
  SHUTTLE_NATS_WAIT_MS: 'natsWaitMs',
} as const;
