// The kernel picks the storage backend named by config `storage` from the registered storage plugins.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isLoomError, storageService } from '../../core/index.js';
import { createTestKernel } from '../../core/testing/kernel.js';
import { storagePlugins } from '../../presets/storage.js';

const home = mkdtempSync(join(tmpdir(), 'loom-kernel-storage-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('kernel storage selection', () => {
  it("a kernel with storage 'filesystem' resolves the storage service to the filesystem backend in the configured dir", async () => {
    const dir = join(home, 'configured');
    const kernel = await createTestKernel({ plugins: storagePlugins, config: { storage: 'filesystem', options: { 'storage:filesystem': { dir } } } });
    try {
      const storage = kernel.use(storageService);
      expect(storage.backendId).toBe('filesystem');
      expect((await storage.backend()).id).toBe('filesystem');
      const bucket = await storage.openBucket({ name: kernel.names.registryBucket });
      await bucket.put('agent.1', { online: true });
      expect(existsSync(join(dir, kernel.names.registryBucket, 'entries', 'agent%2e1.json'))).toBe(true);
    } finally {
      await kernel.stop();
    }
  });

  it('without a dir option the filesystem backend stores under LOOMINAL_HOME/store', async () => {
    const kernel = await createTestKernel({ plugins: storagePlugins, config: { storage: 'filesystem' }, env: { LOOMINAL_HOME: home } });
    try {
      await (await kernel.use(storageService).openBucket({ name: kernel.names.identityBucket })).put('root', 'x');
      expect(existsSync(join(home, 'store', kernel.names.identityBucket, 'entries', 'root.json'))).toBe(true);
    } finally {
      await kernel.stop();
    }
  });

  it("LOOMINAL_STORAGE=memory selects the memory backend", async () => {
    const kernel = await createTestKernel({ plugins: storagePlugins, env: { LOOMINAL_STORAGE: 'memory' } });
    try {
      expect((await kernel.use(storageService).backend()).id).toBe('memory');
    } finally {
      await kernel.stop();
    }
  });

  it('an unknown storage id fails with LOOM_ERR_UNKNOWN_ID listing the known backends', async () => {
    const kernel = await createTestKernel({ plugins: storagePlugins, config: { storage: 'redis' } });
    try {
      const err = await kernel.use(storageService).backend().then(() => undefined, (e: unknown) => e);
      expect(isLoomError(err, 'LOOM_ERR_UNKNOWN_ID')).toBe(true);
      expect((err as Error).message).toContain('unknown storage backend "redis"; known: filesystem, memory, nats-kv');
    } finally {
      await kernel.stop();
    }
  });

  it('bad filesystem options are LOOM_ERR_INVALID_OPTIONS naming the option', async () => {
    const err = await createTestKernel({ plugins: storagePlugins, config: { storage: 'filesystem', options: { 'storage:filesystem': { pollMs: 1 } } } }).then(() => undefined, (e: unknown) => e);
    expect(isLoomError(err, 'LOOM_ERR_INVALID_OPTIONS')).toBe(true);
    expect((err as Error).message).toContain('pollMs');
  });
});
