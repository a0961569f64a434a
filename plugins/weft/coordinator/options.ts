// Options of weft:coordinator: the classifier order, the HA lease and the intervals of its background loops.
import { z } from 'zod';
import { tokenSchema } from '../../../core/index.js';
import { declaredTargetSchema } from '../schemas/targets.js';

export const coordinatorOptionsSchema = z.strictObject({
  /** Classifier ids in the order they are asked; the first with an opinion decides. Loaded classifiers not listed are asked after these. */
  classifiers: z.array(tokenSchema).default(['boundary', 'capability']),
  lease: z
    .strictObject({
      /** A holder that stops renewing loses the lease this long after its last renewal. */
      ttlMs: z.coerce.number().int().min(500).default(10_000),
      /** How often the holder renews (and a follower checks); default a third of ttlMs, at most half of it. */
      renewMs: z.coerce.number().int().min(100).optional(),
    })
    .default({ ttlMs: 10_000 })
    .refine((lease) => lease.renewMs === undefined || lease.renewMs * 2 <= lease.ttlMs, { message: 'renewMs must be at most half of ttlMs', path: ['renewMs'] }),
  /** How often in-flight work is checked against agents' heartbeats. */
  staleCheckMs: z.coerce.number().int().min(100).default(5_000),
  /** How often the NATS server is scanned for projects (streams and buckets with loom names). */
  discoveryMs: z.coerce.number().int().min(1_000).default(30_000),
  /** A stable id for this instance (default: host, pid and a random suffix). */
  instanceId: tokenSchema.optional(),
  /** How long a follower waits for the leader to answer a forwarded request. */
  forwardTimeoutMs: z.coerce.number().int().min(100).default(30_000),
  /** History entries kept per work item. */
  historyLimit: z.number().int().min(10).default(200),
  /**
   * Spin-up targets of the config's project, upserted into KV by the acting instance (declared wins over KV on id;
   * targets created through the API are kept). Each config is checked by its mechanism's schema when weft starts.
   */
  targets: z
    .array(declaredTargetSchema)
    .default([])
    .superRefine((targets, ctx) => {
      const seen = new Set<string>();
      for (const [index, target] of targets.entries()) {
        if (seen.has(target.id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `"${target.id}" is declared twice; target ids must be unique` });
        seen.add(target.id);
      }
    }),
});
export type CoordinatorOptions = z.output<typeof coordinatorOptionsSchema>;

export const coordinatorEnv = {
  WEFT_LEASE_TTL_MS: 'lease.ttlMs',
  WEFT_LEASE_RENEW_MS: 'lease.renewMs',
  WEFT_STALE_CHECK_MS: 'staleCheckMs',
  WEFT_DISCOVERY_MS: 'discoveryMs',
  WEFT_INSTANCE_ID: 'instanceId',
} as const;
