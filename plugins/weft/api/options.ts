// Options of weft:api: where it listens, who may call it, and the limits that keep it standing.
import { z } from 'zod';

const tokenEntrySchema = z.strictObject({
  token: z.string().min(8, { message: 'a token must have at least 8 characters' }),
  /** Projects this token may see; absent = every project. */
  projects: z.array(z.string()).optional(),
});

export const apiOptionsSchema = z.strictObject({
  host: z.string().default('127.0.0.1'),
  /** 0 picks a free port (the bound URL is logged and printed by `loom weft`). */
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  /**
   * Bearer tokens: API_TOKENS="tokenA,tokenB" or "tokenA:project1,project2;tokenB" (";" separates entries when a
   * token is bound to projects), or a list of { token, projects }. None configured: the API is open (log warns).
   */
  tokens: z.union([z.string(), z.array(tokenEntrySchema)]).default([]),
  /** GET /health and /metrics answer without a token. */
  openHealth: z.boolean().default(true),
  /** Largest request body accepted, in bytes; larger is 413. */
  bodyLimitBytes: z.coerce.number().int().min(1024).default(1_048_576),
  rateLimit: z
    .strictObject({
      windowMs: z.coerce.number().int().min(100).default(60_000),
      /** Requests per token (per client address without tokens) per window; 0 turns the limit off. */
      max: z.coerce.number().int().min(0).default(1_200),
    })
    .default({ windowMs: 60_000, max: 1_200 }),
  /** Origins allowed to call the API from a browser; empty = no CORS headers (the default). */
  corsOrigins: z.array(z.string()).default([]),
});
export type ApiOptions = z.output<typeof apiOptionsSchema>;

export const apiEnv = {
  API_HOST: 'host',
  API_PORT: 'port',
  API_TOKENS: 'tokens',
  WEFT_BODY_LIMIT_BYTES: 'bodyLimitBytes',
  WEFT_RATE_LIMIT_MAX: 'rateLimit.max',
  WEFT_RATE_LIMIT_WINDOW_MS: 'rateLimit.windowMs',
} as const;
