// The options of the memory tools: lifetimes, the personal core limit, the summary budget and the expiry sweep.
import { z } from 'zod';

const HOUR = 60 * 60 * 1000;

export const memoryOptionsSchema = z.strictObject({
  /** How long a private `recent` memory lives (SPEC §6: 24 h). */
  recentTtlMs: z.coerce.number().int().min(1).default(24 * HOUR),
  /** How long a private `tasks` memory lives (SPEC §6: 24 h). */
  tasksTtlMs: z.coerce.number().int().min(1).default(24 * HOUR),
  /** Core memories one principal may keep in the personal scope. */
  personalCoreLimit: z.coerce.number().int().min(1).max(10_000).default(100),
  /** Upper bound of recall_context's summary, in UTF-8 bytes (SPEC §6: never more than 4 KB). */
  summaryMaxBytes: z.coerce.number().int().min(256).max(4096).default(4096),
  /** How often this process deletes its own expired memories in the background; 0 turns the sweep off (cleanup still works). */
  sweepIntervalMs: z.coerce.number().int().min(0).default(10 * 60 * 1000),
});

export type MemoryOptions = z.output<typeof memoryOptionsSchema>;

/** Environment variables that override the options (strings; the schema coerces them). */
export const memoryOptionsEnv = {
  PATTERN_RECENT_TTL_MS: 'recentTtlMs',
  PATTERN_TASKS_TTL_MS: 'tasksTtlMs',
  PATTERN_PERSONAL_CORE_LIMIT: 'personalCoreLimit',
  PATTERN_SWEEP_INTERVAL_MS: 'sweepIntervalMs',
} as const;
