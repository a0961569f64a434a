// spin-up:ssh against a real SSH server on 127.0.0.1 that executes what it is sent: the agent it starts registers and
// completes work; host keys are checked (known_hosts or a pinned fingerprint) and a wrong one is refused unless opted out.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loomCommand } from '../../core/testing/loom-process.js';
import { sshSpinUp } from '../../plugins/spin-up/ssh/index.js';
import { FAST_ENV, isAlive, needFor, startSpinUpFabric, until, type SpinUpFabric } from './harness.js';
import { startSshServer, type TestSshServer } from './ssh-server.js';
import { ed25519KeyPair } from './ssh-keys.js';

const client = ed25519KeyPair();
const KEY_ENV = 'LOOM_TEST_SSH_KEY';
let fabric: SpinUpFabric;
let server: TestSshServer;
let knownHosts: string;

const fingerprint = (publicKey: string) => `SHA256:${createHash('sha256').update(Buffer.from(publicKey.split(' ')[1]!, 'base64')).digest('base64').replace(/=+$/, '')}`;

beforeAll(async () => {
  fabric = await startSpinUpFabric({ projectId: 'spin-ssh', plugins: [sshSpinUp], managerOptions: { idleTimeoutMs: 1_500, shutdownGraceMs: 5_000 } });
  // The "remote" host has `loom` on its PATH, as after `npm install -g loominal`.
  const bin = join(fabric.dir, 'remote-bin');
  mkdirSync(bin);
  const [node, main] = loomCommand();
  writeFileSync(join(bin, 'loom'), `#!/bin/sh\nexec ${JSON.stringify(node)} ${JSON.stringify(main)} "$@"\n`);
  chmodSync(join(bin, 'loom'), 0o755);
  server = await startSshServer({ username: 'builder', clientPublicKey: client.public, env: { PATH: `${bin}:${process.env.PATH}`, HOME: fabric.dir } });
  knownHosts = join(fabric.dir, 'known_hosts');
  writeFileSync(knownHosts, `# test hosts\nexample.org ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBY+UGtGKq17rk2k8dvqaCS2\n[127.0.0.1]:${server.port} ${server.hostPublicKey}\n`);
  process.env[KEY_ENV] = client.private;
});
afterAll(async () => {
  delete process.env[KEY_ENV];
  await server?.close();
  await fabric?.stop();
});

const base = () => ({ host: '127.0.0.1', port: server.port, username: 'builder', privateKeyEnv: KEY_ENV, timeoutMs: 10_000 });
const agentCommand = (capability: string) => ['loom', 'agent', '--capability', capability, '--grace-ms', '0', '--', 'sh', '-c', 'echo "ran on the ssh host: $LOOM_WORK_ID"'];

describe('spin-up:ssh', () => {
  it('runs `loom agent` on the host over SSH; the agent registers, completes the waiting item and is torn down over SSH when idle', async () => {
    const target = await fabric.target({
      id: 'build-box',
      mechanism: 'ssh',
      capabilities: ['ssh-build'],
      config: { ...base(), knownHostsPath: knownHosts, command: agentCommand('ssh-build'), cwd: fabric.dir, env: FAST_ENV, logDir: join(fabric.dir, 'logs'), stopGraceMs: 2_000 },
    });
    await fabric.offer('ssh-1', 'ssh-build');
    const attempt = await fabric.service.request(needFor(fabric.projectId, 'ssh-1', 'ssh-build', [target]));
    expect(attempt).toMatchObject({ outcome: 'started', mechanism: 'ssh' });
    // The server really ran a detached start line carrying the project's env.
    expect(server.commands[0]).toMatch(/^cd '.+' && mkdir -p '.+' && nohup env .*'LOOMINAL_AGENT_ID=[0-9a-f]{32}'.* 'loom' 'agent' '--capability' 'ssh-build' .* & echo \$!$/);
    expect(server.commands[0]).toContain(`'NATS_URL=${fabric.nats.url}'`);
    expect(server.commands[0]).toContain(`'LOOMINAL_STARTED_BY=build-box'`);

    const done = await until(() => fabric.queue.completion('ssh-1'), () => `ssh-1 to complete\n${fabric.logs()}`);
    expect(done).toMatchObject({ agentId: attempt.agentId, result: 'ran on the ssh host: ssh-1\n' });
    const [spawned] = await fabric.service.listSpawned!(fabric.projectId, { targetId: 'build-box' });
    const pid = Number(spawned!.handle.pid);
    expect(spawned!.handle).toMatchObject({ host: '127.0.0.1', port: server.port, agentId: attempt.agentId });

    const stopped = await until(async () => (await fabric.service.listAttempts!(fabric.projectId, { targetId: 'build-box' })).find((a) => a.stoppedAt), () => 'the idle agent to be torn down', 20_000);
    expect(stopped.stopReason).toBe('idle past the idle timeout; shut down on request; torn down by ssh');
    expect(server.commands.at(-1)).toMatch(new RegExp(`^kill -TERM ${pid} `));
    await until(() => !isAlive(pid), () => `remote pid ${pid} to exit`, 10_000);
  });

  it('authenticates with a key file as well as with a key from an environment variable', async () => {
    const keyFile = join(fabric.dir, 'id_ed25519');
    writeFileSync(keyFile, client.private, { mode: 0o600 });
    const { privateKeyEnv: _env, ...rest } = base();
    const result = await fabric.service.test(await fabric.target({ id: 'by-file', mechanism: 'ssh', config: { ...rest, privateKeyPath: keyFile, knownHostsPath: knownHosts, command: ['true'] } }));
    expect(result).toEqual({ ok: true, detail: `connected to builder@127.0.0.1:${server.port}; host key found in known_hosts` });
  });

  it('refuses a host whose key does not match known_hosts, and runs nothing there', async () => {
    const wrongHosts = join(fabric.dir, 'known_hosts_wrong');
    const other = ed25519KeyPair().public.split(' ').slice(0, 2).join(' ');
    writeFileSync(wrongHosts, `[127.0.0.1]:${server.port} ${other}\n`);
    const before = server.commands.length;
    const target = await fabric.target({ id: 'spoofed', mechanism: 'ssh', capabilities: ['ssh-spoof'], config: { ...base(), knownHostsPath: wrongHosts, command: agentCommand('ssh-spoof') } });
    const attempt = await fabric.service.spinUp(target, { reason: 'host key test' });
    expect(attempt.outcome).toBe('failed');
    expect(attempt.error).toContain(`LOOM_ERR_SPIN_UP_FAILED: ssh builder@127.0.0.1:${server.port}: host key of [127.0.0.1]:${server.port} is ${fingerprint(server.hostPublicKey)}, which does not match the key(s) for it in ${wrongHosts}`);
    expect(server.commands.length).toBe(before);
    expect(await fabric.service.listSpawned!(fabric.projectId, { targetId: 'spoofed' })).toEqual([]);
  });

  it('refuses a host missing from known_hosts with the command that adds it', async () => {
    const empty = join(fabric.dir, 'known_hosts_empty');
    writeFileSync(empty, '');
    const result = await fabric.service.test(await fabric.target({ id: 'unknown-host', mechanism: 'ssh', config: { ...base(), knownHostsPath: empty, command: ['true'] } }));
    expect(result.ok).toBe(false);
    expect(result.detail).toContain(`[127.0.0.1]:${server.port} is not in ${empty}; add its key (ssh-keyscan -p ${server.port} 127.0.0.1 >> ${empty}) or pin hostKeyFingerprint`);
  });

  it('accepts a pinned fingerprint that matches and refuses one that does not', async () => {
    const good = await fabric.service.test(await fabric.target({ id: 'pinned', mechanism: 'ssh', config: { ...base(), hostKeyFingerprint: fingerprint(server.hostPublicKey), command: ['true'] } }));
    expect(good).toEqual({ ok: true, detail: `connected to builder@127.0.0.1:${server.port}; host key matches the pinned fingerprint` });
    const otherKey = ed25519KeyPair().public;
    const bad = await fabric.service.test(await fabric.target({ id: 'mispinned', mechanism: 'ssh', config: { ...base(), hostKeyFingerprint: fingerprint(otherKey), command: ['true'] } }));
    expect(bad.ok).toBe(false);
    expect(bad.detail).toContain(`but hostKeyFingerprint pins ${fingerprint(otherKey)}: refusing to connect`);
  });

  it('connects to a host with an unknown key only when insecureSkipHostKeyCheck opts out', async () => {
    const result = await fabric.service.test(await fabric.target({ id: 'throwaway', mechanism: 'ssh', config: { ...base(), insecureSkipHostKeyCheck: true, command: ['true'] } }));
    expect(result).toEqual({ ok: true, detail: `connected to builder@127.0.0.1:${server.port}; host key NOT checked` });
  });

  it('fails the attempt with a timeout error naming timeoutMs when the host accepts the connection but never answers', async () => {
    // A TCP server that accepts and then says nothing: no SSH banner, no handshake.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const target = await fabric.target({ id: 'mute', mechanism: 'ssh', config: { ...base(), port, timeoutMs: 500, insecureSkipHostKeyCheck: true, command: ['true'] } });
      const attempt = await fabric.service.spinUp(target, { reason: 'timeout test' });
      expect(attempt).toMatchObject({ outcome: 'failed', error: `LOOM_ERR_TIMEOUT: ssh builder@127.0.0.1:${port}: no result within 500 ms (timeoutMs)` });
      // The target's timeout, not the manager's start timeout (60 s), ended it.
      expect(attempt.durationMs).toBeGreaterThanOrEqual(500);
      expect(attempt.durationMs).toBeLessThan(10_000);
      expect(sockets.size).toBeGreaterThanOrEqual(1);
      expect(await fabric.service.listSpawned!(fabric.projectId, { targetId: 'mute' })).toEqual([]);
      const health = await fabric.service.test(target);
      expect(health).toEqual({ ok: false, detail: expect.stringContaining('no result within 500 ms (timeoutMs)') });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('says when the host refuses the key, without showing the key', async () => {
    const stranger = ed25519KeyPair().private;
    process.env.LOOM_TEST_SSH_OTHER_KEY = stranger;
    try {
      const result = await fabric.service.test(await fabric.target({ id: 'wrong-key', mechanism: 'ssh', config: { ...base(), privateKeyEnv: 'LOOM_TEST_SSH_OTHER_KEY', knownHostsPath: knownHosts, command: ['true'] } }));
      expect(result.ok).toBe(false);
      expect(result.detail).toContain('the host refused the key for builder');
      expect(result.detail).not.toContain('PRIVATE KEY');
    } finally {
      delete process.env.LOOM_TEST_SSH_OTHER_KEY;
    }
  });
});
