// The tests' "has this process gone" check: a zombie has gone (its parent never waits for it, as init in some
// containers never waits for an orphaned nats-server), a running process has not, an unused pid has.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../core/testing/loom-process.js';
import { until } from '../../core/testing/poll.js';

const parents: Array<() => void> = [];
afterAll(() => parents.forEach((kill) => kill()));

const state = (pid: number): string | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2];
  } catch {
    return undefined;
  }
};

describe('isAlive', () => {
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
});
