// When the lock of a home's managed nats-server counts as held: pids are reused (after a crash, a reboot, a container
// restart), so a pid that answers is not enough; the start time and boot id recorded with it must match too. Those
// come from /proc: the cases that need it run on Linux only.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { until } from '../../core/testing/poll.js';
import { isLive, newHolder, releaseLock, startTimeOf, takeLock, withServer, type LockHolder } from '../../core/nats/home-lock.js';

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(() => {
  children.forEach((child) => child.kill('SIGKILL'));
  dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

async function sleeper(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  await until(() => child.pid !== undefined && startTimeOf(child.pid) !== undefined, 'the child to run');
  return child.pid!;
}

const linux = process.platform === 'linux';
const boot = linux ? readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() : undefined;
const base = (fields: Partial<LockHolder>): LockHolder => ({ pid: -1, host: hostname(), token: 'other', storeDir: '/nowhere', url: 'nats://127.0.0.1:1', ...(boot ? { boot } : {}), ...fields });

describe('home lock liveness', () => {
  it.runIf(linux)('records this boot and the start time of the owner and of its server', async () => {
    const server = await sleeper();
    const holder = withServer(newHolder('/store', 'nats://127.0.0.1:1'), 'nats://127.0.0.1:2', server);
    expect(holder).toMatchObject({ pid: process.pid, boot, started: startTimeOf(process.pid), server, serverStarted: startTimeOf(server), url: 'nats://127.0.0.1:2' });
    expect(holder.started).toMatch(/^\d+$/);
  });

  it.runIf(linux)('a lock naming this process that this process did not take is a previous process with the same pid', () => {
    // As a system without /proc writes it (no start times), where the pid is all there is to go by.
    expect(isLive(base({ pid: process.pid }))).toBe(false);
    // With start times, the previous process started at another time.
    expect(isLive(base({ pid: process.pid, started: String(Number(startTimeOf(process.pid)) - 1) }))).toBe(false);
  });

  it('a lock this process took is live until it gives it back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'loom-lock-'));
    dirs.push(dir);
    const file = join(dir, 'nats.lock');
    const holder = newHolder(dir, 'nats://127.0.0.1:1');
    expect(takeLock(file, holder)).toBe(true);
    expect(isLive(holder)).toBe(true);
    releaseLock(file, holder);
    expect(isLive(holder)).toBe(false);
  });

  it.runIf(linux)('a running owner is live only if it started when the lock says', async () => {
    const pid = await sleeper();
    expect(isLive(base({ pid, started: startTimeOf(pid) }))).toBe(true);
    expect(isLive(base({ pid, started: String(Number(startTimeOf(pid)) + 1) }))).toBe(false);
    // A lock written before start times were recorded: the pid alone decides.
    expect(isLive(base({ pid }))).toBe(true);
  });

  it.runIf(linux)('the server keeps a lock live after its owner died, unless its pid now runs another process', async () => {
    const server = await sleeper();
    expect(isLive(base({ server, serverStarted: startTimeOf(server) }))).toBe(true);
    expect(isLive(base({ server, serverStarted: '1' }))).toBe(false);
    // A lock from before start times were recorded: the pid must at least run a nats-server (this one runs node).
    expect(isLive(base({ server }))).toBe(false);
  });

  it.runIf(linux)('nothing recorded before the last reboot runs now, whatever its pids answer', async () => {
    const pid = await sleeper();
    expect(isLive(base({ pid, started: startTimeOf(pid), boot: 'a-boot-before-this-one' }))).toBe(false);
  });

  it('a home where the lock cannot be made is an error that names the file and what the directory needs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'loom-lock-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'home'), 'a file where the home directory should be');
    const file = join(dir, 'home', 'nats.lock');
    expect(() => takeLock(file, newHolder(dir, 'nats://127.0.0.1:1'))).toThrow(expect.objectContaining({ code: 'LOOM_ERR_NATS_SERVER_START', message: expect.stringMatching(new RegExp(`^LOOM_ERR_NATS_SERVER_START: cannot take ${file} \\(ENOTDIR\\).*hard links`)) }));
  });

  it('a holder on another host cannot be checked and counts as live', () => {
    expect(isLive(base({ host: `not-${hostname()}`, boot: 'elsewhere' }))).toBe(true);
  });
});
