// `loom` turns on Node's module compile cache where Node has one (22.1+), in the OS temp dir, before any command loads.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runLoom } from './run-loom.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('the compile cache', () => {
  it('is written on a Node that has one, and a Node without one (20) starts as before', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'loom-compile-cache-'));
    dirs.push(tmp);
    const result = await runLoom(['--help'], { cwd: tmp, env: { TMPDIR: tmp } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: loom');
    const cache = join(tmp, 'node-compile-cache');
    const nodeHasOne = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function';
    expect(existsSync(cache)).toBe(nodeHasOne);
    // One directory per Node version, holding what it compiled of the commands --help loaded (50 entries on 22 and 24).
    if (nodeHasOne) expect(readdirSync(cache).flatMap((version) => readdirSync(join(cache, version))).length).toBeGreaterThan(10);
  }, 60_000);
});
