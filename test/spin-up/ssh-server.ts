// A real SSH server for the tests (ssh2's Server on 127.0.0.1, port 0): key auth, and exec runs the command with sh.
import { spawn } from 'node:child_process';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import { ed25519KeyPair } from './ssh-keys.js';

const { Server, utils } = ssh2;

export interface TestSshServer {
  port: number;
  /** The host's public key as known_hosts wants it: "ssh-ed25519 AAAA…". */
  hostPublicKey: string;
  /** Commands the server ran, in order. */
  commands: string[];
  close(): Promise<void>;
}

export async function startSshServer(options: { username: string; clientPublicKey: string; env: Record<string, string> }): Promise<TestSshServer> {
  const host = ed25519KeyPair();
  const allowed = utils.parseKey(options.clientPublicKey);
  if (allowed instanceof Error) throw allowed;
  const commands: string[] = [];
  const server = new Server({ hostKeys: [host.private] }, (client) => {
    client
      .on('authentication', (ctx) => {
        if (ctx.method !== 'publickey' || ctx.username !== options.username) return ctx.reject(['publickey']);
        const data = allowed.getPublicSSH();
        if (ctx.key.algo !== allowed.type || ctx.key.data.length !== data.length || !timingSafeEqual(ctx.key.data, data)) return ctx.reject();
        if (ctx.signature && allowed.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) !== true) return ctx.reject();
        ctx.accept();
      })
      .on('ready', () => {
        client.on('session', (acceptSession) => {
          const session = acceptSession();
          session.on('exec', (accept, _reject, info) => {
            commands.push(info.command);
            const stream = accept();
            // What sshd does: the login shell runs the command line.
            const child = spawn('sh', ['-c', info.command], { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
            child.stdout.pipe(stream, { end: false });
            child.stderr.pipe(stream.stderr, { end: false });
            child.on('close', (code) => {
              stream.exit(code ?? 1);
              stream.end();
            });
          });
        });
      })
      .on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    hostPublicKey: host.public.split(' ').slice(0, 2).join(' '),
    commands,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
