// One managed nats-server per LOOMINAL_HOME, across real processes: concurrent starts share it, a survivor restarts it on
// the same port and store when its owner stops, and a lock left by a dead process does not block. Never touches 4222.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { until } from '../../core/testing/poll.js';
import { startTimeOf } from '../../core/nats/home-lock.js';
import { freePort } from '../fixtures/temp-project.js';
import { isAlive, serversOnStore, startClient, stopClients, type Client } from './embedded-clients.js';

const homes: string[] = [];
const servers: NatsServerHandle[] = [];
const releases: Array<() => Promise<void>> = [];
afterEach(async () => {
  await stopClients();
  for (const server of servers.splice(0)) await server.stop();
  for (const release of releases.splice(0)) await release();
});
afterAll(() => homes.forEach((home) => rmSync(home, { recursive: true, force: true })));

async function freshHome(): Promise<{ home: string; port: number; storeDir: string; url: string }> {
  const home = mkdtempSync(join(tmpdir(), 'loom-home-'));
  homes.push(home);
  const port = await freePort();
  return { home, port, storeDir: join(home, 'nats'), url: `nats://127.0.0.1:${port}` };
}

function lockOf(home: string): { pid: number; server?: number; url: string } {
  return JSON.parse(readFileSync(join(home, 'nats.lock'), 'utf8')) as { pid: number; server?: number; url: string };
}

/** Listens on the port and never speaks NATS, as an unrelated program on 4222 would. */
async function occupy(port: number): Promise<void> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
  releases.push(() => new Promise<void>((resolve) => {
    sockets.forEach((socket) => socket.destroy());
    server.close(() => resolve());
  }));
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

/** Started and loaded first, then told to connect in the same instant: the race happens in the resolver, not in tsx. */
async function connectTogether(clients: Client[]) {
  await Promise.all(clients.map((client) => client.send('ready')));
  return Promise.all(clients.map((client) => client.send('connect', {}, 90_000)));
}

describe('the embedded default under one LOOMINAL_HOME', () => {
  // A port taken by something that is not NATS sends every starter to a free port: without the lock each got its own.
  it.each([
    ['a free port', false],
    ['a port taken by something that is not NATS', true],
  ])('three processes starting at the same moment on %s end up on one managed nats-server', async (_what, taken) => {
    const { home, port, storeDir, url: portUrl } = await freshHome();
    if (taken) await occupy(port);
    const clients = [startClient(home, port), startClient(home, port), startClient(home, port)];
    const replies = await connectTogether(clients);

    const url = replies[0]!.url!;
    expect(url === portUrl, url).toBe(!taken);
    expect(replies.map((reply) => reply.url)).toEqual([url, url, url]);
    expect(readFileSync(join(home, 'nats.url'), 'utf8').trim()).toBe(url);
    const owners = replies.filter((reply) => reply.server?.source === 'managed');
    expect(owners, JSON.stringify(replies)).toHaveLength(1);
    expect(replies.filter((reply) => reply.server?.source === 'local')).toHaveLength(2);
    const serverPid = owners[0]!.server!.pid!;
    expect(serversOnStore(storeDir)).toEqual([serverPid]);
    expect(new Set(replies.map((reply) => reply.serverId)).size).toBe(1);
    const owner = clients[replies.indexOf(owners[0]!)]!;
    expect(lockOf(home)).toMatchObject({ pid: owner.child.pid, server: serverPid, url });

    // The followers leave first so that nobody restarts the server: then the owner leaves nothing behind.
    for (const client of clients.filter((c) => c !== owner)) await client.send('close');
    await owner.send('close');
    await until(() => !isAlive(serverPid), `nats-server ${serverPid} to exit`, 15_000);
    expect(() => readFileSync(join(home, 'nats.lock'))).toThrow();
    expect(() => readFileSync(join(home, 'nats.url'))).toThrow();
  }, 120_000);

  // Stops: closes its NATS service, so it stops the server and gives the lock back. Dies: SIGKILL, and its orphaned
  // server dies too, leaving a lock whose processes are both gone.
  it.each([
    ['stops', false],
    ['dies', true],
  ])('when the owner %s, a survivor restarts the server on the same port and store, and every connection works again', async (_how, crash) => {
    const { home, port, storeDir, url } = await freshHome();
    const owner = startClient(home, port);
    const first = await owner.send('connect', {}, 90_000);
    expect(first.server).toMatchObject({ url, source: 'managed', storeDir });
    const survivors = [startClient(home, port), startClient(home, port)];
    const joined = await Promise.all(survivors.map((client) => client.send('connect', {}, 90_000)));
    expect(joined.map((reply) => [reply.url, reply.server?.source])).toEqual([[url, 'local'], [url, 'local']]);
    expect((await survivors[0]!.send('publish', { subject: 'embedded.keep.one', data: 'before the owner left' })).seq).toBe(1);

    if (crash) {
      owner.child.kill('SIGKILL');
      await until(() => owner.exited(), 'the owner to die', 15_000);
      process.kill(first.server!.pid!, 'SIGKILL');
    } else {
      await owner.send('close');
    }
    await until(() => owner.exited() && !isAlive(first.server!.pid!), 'the owner and its nats-server to exit', 30_000);

    const statuses = await until(async () => {
      const now = await Promise.all(survivors.map((client) => client.send('status')));
      return now.every((s) => s.connected && s.works) && now.some((s) => s.server?.source === 'managed') ? now : undefined;
    }, () => `a survivor to restart the server; stderr: ${survivors.map((c) => c.stderr().slice(-1500)).join('\n---\n')}`, 60_000, 200);
    const restarted = statuses.find((s) => s.server?.source === 'managed')!.server!;
    expect(restarted).toMatchObject({ url, storeDir });
    expect(restarted.pid).not.toBe(first.server!.pid);
    expect(statuses.filter((s) => s.server?.source === 'managed')).toHaveLength(1);
    for (const status of statuses) {
      expect(status.same, 'the connection was not recreated').toBe(true);
      expect(status.serverId).not.toBe(first.serverId);
    }
    expect(serversOnStore(storeDir)).toEqual([restarted.pid]);
    for (const client of survivors) expect((await client.send('read', { seq: 1 })).data).toBe('before the owner left');
  }, 120_000);

  it('two homes starting at once on one port share the server that won the port instead of the loser taking a free one', async () => {
    const one = await freshHome();
    const other = mkdtempSync(join(tmpdir(), 'loom-home-'));
    homes.push(other);
    const replies = await connectTogether([startClient(one.home, one.port), startClient(other, one.port)]);
    expect(replies.map((reply) => reply.url)).toEqual([one.url, one.url]);
    expect(replies.map((reply) => reply.server?.source).sort()).toEqual(['local', 'managed']);
    expect([...serversOnStore(one.storeDir), ...serversOnStore(join(other, 'nats'))]).toHaveLength(1);
  }, 120_000);

  it('a lock left by a dead process does not block a start', async () => {
    const { home, port, storeDir, url } = await freshHome();
    const dead = await deadPid();
    writeFileSync(join(home, 'nats.lock'), JSON.stringify({ pid: dead, host: hostname(), token: 'crashed', storeDir, url, server: dead }));
    const client = startClient(home, port);
    const started = Date.now();
    const reply = await client.send('connect', {}, 90_000);
    expect(reply.server).toMatchObject({ url, source: 'managed', storeDir });
    expect(lockOf(home)).toMatchObject({ pid: client.child.pid, server: reply.server!.pid });
    // Well under the 15 s a live holder is waited for: the dead one was seen as dead, not timed out.
    expect(Date.now() - started).toBeLessThan(12_000);
  }, 120_000);

  it('a lock left before a restart by a process with the pid this one now has, or one now reused by another program, does not block a start', async () => {
    for (const leftBy of ['this process', 'another program'] as const) {
      const { home, port, storeDir, url } = await freshHome();
      const client = startClient(home, port);
      await client.send('ready');
      const pid = leftBy === 'this process' ? client.child.pid! : process.pid;
      // Written by the process that had the pid before: it started at another time than the one running now. (Taken
      // for live, the lock would make the connect wait 15 s and fail.)
      writeFileSync(join(home, 'nats.lock'), JSON.stringify({ pid, host: hostname(), token: 'before-the-restart', storeDir, url, started: String(Number(startTimeOf(pid)) - 1) }));
      const reply = await client.send('connect', {}, 90_000);
      expect(reply.server).toMatchObject({ url, source: 'managed', storeDir });
      expect(lockOf(home)).toMatchObject({ pid: client.child.pid, server: reply.server!.pid });
      await stopClients();
    }
  }, 120_000);

  it('a process that finds the lock held by a live one waits for that server instead of starting its own', async () => {
    const { home, port, storeDir } = await freshHome();
    // The test process stands in for an owner that is still starting its server.
    writeFileSync(join(home, 'nats.lock'), JSON.stringify({ pid: process.pid, host: hostname(), token: 'starting', storeDir, url: `nats://127.0.0.1:${port}` }));
    const client = startClient(home, port);
    const connecting = client.send('connect', {}, 90_000);
    await until(() => client.stderr().includes('waiting for the nats-server of the loom process that holds the lock'), () => `the client to wait; stderr: ${client.stderr()}`, 60_000);
    const server = await startNatsServer({ storeDir: join(home, 'owner-store') });
    servers.push(server);
    writeFileSync(join(home, 'nats.url'), `${server.url}\n`);
    const reply = await connecting;
    expect(reply.server).toMatchObject({ url: server.url, source: 'local' });
    expect(serversOnStore(storeDir)).toEqual([]);
  }, 120_000);
});
