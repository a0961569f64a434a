// storage:filesystem across real processes: two node children CAS-increment one key; locks left by dead or hung holders.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createNames } from '../../core/index.js';
import { createFilesystemBackend } from '../../plugins/storage/filesystem/index.js';
import { expectCode, waitFor } from '../contracts/storage.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/cas-increment.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'loom-fs-procs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Writer {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exit: Promise<number | null>;
}

function startWriter(bucket: string, times: number, goFile: string): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, dir, bucket, 'counter', String(times), goFile], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const writer: Writer = { child, stdout: '', stderr: '', exit: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
  child.stdout!.on('data', (chunk: Buffer) => (writer.stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (writer.stderr += chunk.toString()));
  return writer;
}

/** The pid of a process that has certainly exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('storage:filesystem across processes', () => {
  it('two node processes incrementing one counter with compare-and-set lose no update', async () => {
    const bucket = createNames('xproc').weftWorkBucket;
    const times = 100;
    const goFile = join(dir, 'go');
    const writers = [startWriter(bucket, times, goFile), startWriter(bucket, times, goFile)];
    try {
      await waitFor(() => writers.every((w) => w.stdout.includes('ready')), 'both writers to be ready', 60_000);
      writeFileSync(goFile, '');
      const codes = await Promise.all(writers.map((w) => w.exit));
      expect(codes, writers.map((w) => w.stderr).join('\n')).toEqual([0, 0]);
    } finally {
      for (const w of writers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    }
    const reports = writers.map((w) => JSON.parse(w.stdout.trim().split('\n').at(-1)!) as { done: number; conflicts: number });
    expect(reports.map((r) => r.done)).toEqual([times, times]);
    const backend = createFilesystemBackend({ dir });
    const entry = await (await backend.openBucket({ name: bucket })).get<number>('counter');
    expect(entry!.value).toBe(2 * times);
    await backend.close();
  }, 120_000);

  it('a lock file left by a process that died is taken over', async () => {
    const backend = createFilesystemBackend({ dir, lockTimeoutMs: 5_000 });
    const bucket = await backend.openBucket({ name: createNames('dead-holder').weftWorkBucket });
    writeFileSync(join(dir, bucket.name, 'lock'), `${await deadPid()} ${hostname()} crashed`);
    await bucket.put('after.crash', 1);
    expect((await bucket.get('after.crash'))!.value).toBe(1);
    await backend.close();
  });

  it('a lock held by a live process makes writers wait, and they give up with LOOM_ERR_TIMEOUT', async () => {
    const backend = createFilesystemBackend({ dir, lockTimeoutMs: 300 });
    const bucket = await backend.openBucket({ name: createNames('live-holder').weftWorkBucket });
    const lock = join(dir, bucket.name, 'lock');
    writeFileSync(lock, `${process.pid} ${hostname()} someone-else`);
    await expectCode(bucket.put('blocked', 1), 'LOOM_ERR_TIMEOUT');
    expect(await bucket.get('blocked')).toBeNull();
    rmSync(lock);
    await bucket.put('blocked', 2);
    expect((await bucket.get('blocked'))!.value).toBe(2);
    await backend.close();
  });

  it('a lock older than the stale limit is taken over even if its holder looks alive', async () => {
    const backend = createFilesystemBackend({ dir, lockTimeoutMs: 5_000, lockStaleMs: 1_000 });
    const bucket = await backend.openBucket({ name: createNames('hung-holder').weftWorkBucket });
    const lock = join(dir, bucket.name, 'lock');
    writeFileSync(lock, `${process.pid} other-host hung`);
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    await bucket.put('after.hang', 1);
    expect((await bucket.get('after.hang'))!.value).toBe(1);
    await backend.close();
  });
});
