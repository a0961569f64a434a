// storage:filesystem — buckets as directories under `dir` (default <LOOMINAL_HOME or ~/.loominal>/store), safe across processes.
import { join } from 'node:path';
import { z } from 'zod';
import { defineStorage } from '../../../core/index.js';
import { loominalHome } from '../../../core/nats/embedded.js';
import { createFilesystemBackend } from './backend.js';

export { createFilesystemBackend, type FilesystemBackendOptions } from './backend.js';

const options = z.strictObject({
  /** Where buckets live; default <LOOMINAL_HOME or ~/.loominal>/store. */
  dir: z.string().min(1).optional(),
  /** How often a watch polls for changes, in ms (fs.watch is unreliable, so watches poll). */
  pollMs: z.number().int().min(10).max(10_000).default(100),
  /** How long a write waits for another process's lock, in ms. */
  lockTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
});

export const filesystemStorage = defineStorage<z.output<typeof options>>({
  name: 'storage:filesystem',
  options,
  async create(ctx) {
    const dir = ctx.options.dir ?? join(loominalHome(ctx.env), 'store');
    return createFilesystemBackend({ dir, pollMs: ctx.options.pollMs, lockTimeoutMs: ctx.options.lockTimeoutMs, log: ctx.log });
  },
});
