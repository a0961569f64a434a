// storage:memory — buckets in this process's memory; for kernel tests and single-process use, never shared.
import { defineStorage } from '../../../core/index.js';
import { createMemoryBackend } from './backend.js';

export { createMemoryBackend } from './backend.js';

export const memoryStorage = defineStorage({
  name: 'storage:memory',
  async create(ctx) {
    return createMemoryBackend({ log: ctx.log });
  },
});
