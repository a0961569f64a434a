// The tests' "has this process gone" check: a zombie has gone (its parent never waits for it, as init in some
// containers never waits for an orphaned nats-server), a running process has not, an unused pid has.
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../core/testing/loom-process.js';
import { procStat } from '../../core/process/alive.js';
import { until } from '../../core/testing/poll.js';

const parents: Array<() => void> = [];
afterAll(() => parents.forEach((kill) => kill()));

const state = (pid: number): string | undefined => procStat(pid)?.state;

// /proc is what tells a zombie apart; elsewhere (macOS) a zombie looks alive until its parent waits for it.
describe.runIf(process.platform === 'linux')('isAlive', () => {
  it('is false for a zombie, true for its running parent, false once both are gone', async () => {
    // The shell starts a child that exits a second later, by which time the shell has become a sleep that never waits
    // for it: a lasting zombie.
    const parent = spawn('sh', ['-c', 'sleep 1 & echo $!; exec sleep 60'], { stdio: ['ignore', 'pipe', 'ignore'] });
    parents.push(() => parent.kill('SIGKILL'));
    let out = '';
    parent.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const zombie = await until(() => Number(out.trim()) || undefined, 'the shell to print its child pid');
    await until(() => state(zombie) === 'Z', () => `pid ${zombie} to be a zombie (state ${state(zombie)})`);
    expect(isAlive(zombie)).toBe(false);
    expect(isAlive(parent.pid!)).toBe(true);
    parent.kill('SIGKILL');
    await until(() => !isAlive(parent.pid!) && !isAlive(zombie), 'the parent and its zombie to be gone');
  });

  it('is false for a process started at another time than the one recorded (its pid was given to someone else)', async () => {
    const pid = process.pid;
    const startTime = procStat(pid)!.startTime;
    expect(isAlive(pid, startTime)).toBe(true);
    expect(isAlive(pid, String(Number(startTime) + 1))).toBe(false);
  });
});
