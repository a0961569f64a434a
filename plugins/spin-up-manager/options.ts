// Options of service:spin-up: idle scale-down, how long starts and registrations may take, retries, history.
import { z } from 'zod';

export const managerOptionsSchema = z.strictObject({
  /** An agent weft started that stays idle this long gets a shutdown request and is torn down (IDLE_TIMEOUT_MS). */
  idleTimeoutMs: z.coerce.number().int().min(100).default(300_000),
  /** How often started agents and deferred needs are checked (default: a quarter of idleTimeoutMs, at most 10 s). */
  checkMs: z.coerce.number().int().min(50).optional(),
  /** A mechanism's start() that has not returned after this long counts as failed. */
  startTimeoutMs: z.coerce.number().int().min(100).default(60_000),
  /** A started agent that has not registered after this long is torn down (its slot is freed). */
  registerTimeoutMs: z.coerce.number().int().min(100).default(120_000),
  /** After the shutdown request, how long the agent may take to finish and deregister before its mechanism tears it down. */
  shutdownGraceMs: z.coerce.number().int().min(0).default(60_000),
  /** A mechanism's stop() that has not returned after this long is given up on. */
  stopTimeoutMs: z.coerce.number().int().min(100).default(60_000),
  /** A need whose spin-up failed or was vetoed is tried again this many times (cooldown still applies). */
  needRetries: z.coerce.number().int().min(0).max(20).default(2),
  /** Spin-up attempts are kept this long (KV weft-<p>-spinups). */
  historyTtlMs: z.coerce.number().int().min(60_000).default(7 * 24 * 3_600_000),
  /** The NATS URL started agents get (default: the one weft itself uses). A target's own natsUrl wins. */
  agentNatsUrl: z.string().regex(/^(nats|tls|ws|wss):\/\/\S+$/, { message: 'expected a nats://, tls://, ws:// or wss:// URL' }).optional(),
});
export type ManagerOptions = z.output<typeof managerOptionsSchema>;

export const managerEnv = {
  IDLE_TIMEOUT_MS: 'idleTimeoutMs',
  LOOMINAL_SPIN_UP_CHECK_MS: 'checkMs',
  LOOMINAL_SPIN_UP_START_TIMEOUT_MS: 'startTimeoutMs',
  LOOMINAL_SPIN_UP_REGISTER_TIMEOUT_MS: 'registerTimeoutMs',
  LOOMINAL_SPIN_UP_SHUTDOWN_GRACE_MS: 'shutdownGraceMs',
  LOOMINAL_AGENT_NATS_URL: 'agentNatsUrl',
} as const;

export function checkIntervalOf(options: ManagerOptions): number {
  return options.checkMs ?? Math.max(50, Math.min(10_000, Math.floor(options.idleTimeoutMs / 4)));
}
