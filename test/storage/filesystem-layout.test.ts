// storage:filesystem on disk: file names safe on any filesystem, data that outlives the process, a lost counter rebuilt.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createNames } from '../../core/index.js';
import { createFilesystemBackend } from '../../plugins/storage/filesystem/index.js';

const dir = mkdtempSync(join(tmpdir(), 'loom-fs-layout-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('storage:filesystem layout', () => {
  it('keys become file names that differ even on case-insensitive filesystems and never exceed 255 bytes', async () => {
    const backend = createFilesystemBackend({ dir });
    const bucket = await backend.openBucket({ name: createNames('layout').weftWorkBucket });
    const long = `K${'x'.repeat(254)}`;
    for (const key of ['Agent.1', 'agent.1', 'a/b=c', long]) await bucket.put(key, key);
    const files = readdirSync(join(dir, bucket.name, 'entries'));
    expect(files).toHaveLength(4);
    expect(new Set(files.map((f) => f.toLowerCase())).size).toBe(4);
    for (const file of files) {
      expect(file).toMatch(/^[a-z0-9_%-]+\.json$/);
      expect(Buffer.byteLength(file)).toBeLessThanOrEqual(255);
    }
    expect((await bucket.get(long))!.value).toBe(long);
    await backend.close();
  });

  it('entries written by one backend are there for a new one on the same directory', async () => {
    const name = createNames('persist').weftWorkBucket;
    const first = createFilesystemBackend({ dir });
    const revision = await (await first.openBucket({ name })).put('kept', { v: 1 });
    await first.close();
    const second = createFilesystemBackend({ dir });
    expect(await (await second.openBucket({ name })).get('kept')).toMatchObject({ value: { v: 1 }, revision });
    await second.close();
  });

  it('if the revision counter file is lost, new revisions still go above every stored one', async () => {
    const backend = createFilesystemBackend({ dir });
    const bucket = await backend.openBucket({ name: createNames('counter-lost').weftWorkBucket });
    await bucket.put('a', 1);
    const highest = await bucket.put('b', 2);
    rmSync(join(dir, bucket.name, 'revision'));
    expect(await bucket.put('c', 3)).toBeGreaterThan(highest);
    await backend.close();
  });
});
