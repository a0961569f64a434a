// One ssh2 connection that runs one command and returns its exit code and output, within the target's timeout.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { Client, type ConnectConfig } from 'ssh2';
import { LoomError } from '../../../core/index.js';
import { secretFromEnv } from '../shared/env-schema.js';
import { hostKeyProblem, type HostKeyCheck } from './host-key.js';
import type { SshTarget } from './schema.js';

export interface RemoteRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const expandHome = (path: string) => (path === '~' || path.startsWith('~/') ? `${homedir()}${path.slice(1)}` : path);

function readKnownHosts(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new LoomError('LOOM_ERR_SPIN_UP_FAILED', `knownHostsPath: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)}); create it with ssh-keyscan, pin hostKeyFingerprint, or set insecureSkipHostKeyCheck`, { field: 'knownHostsPath' });
  }
}

export function hostKeyCheckOf(target: SshTarget): HostKeyCheck {
  if (target.insecureSkipHostKeyCheck) return { kind: 'none' };
  if (target.hostKeyFingerprint) return { kind: 'fingerprint', fingerprint: target.hostKeyFingerprint };
  const path = expandHome(target.knownHostsPath ?? '~/.ssh/known_hosts');
  return { kind: 'known-hosts', path, text: readKnownHosts(path) };
}

/** The key and passphrase, read when needed and never logged or put into an error message. */
function credentials(target: SshTarget, env: Readonly<Record<string, string | undefined>>): Pick<ConnectConfig, 'privateKey' | 'passphrase'> {
  let privateKey: string | Buffer;
  try {
    privateKey = target.privateKeyEnv ? secretFromEnv(env, target.privateKeyEnv, 'privateKeyEnv') : readFileSync(expandHome(target.privateKeyPath!));
  } catch (err) {
    const why = err instanceof Error && 'code' in err ? `cannot read ${target.privateKeyPath} (${String((err as NodeJS.ErrnoException).code)})` : err instanceof Error ? err.message : String(err);
    throw new LoomError('LOOM_ERR_SPIN_UP_FAILED', why.startsWith('privateKeyEnv') ? why : `privateKeyPath: ${why}`, { field: target.privateKeyEnv ? 'privateKeyEnv' : 'privateKeyPath' });
  }
  const passphrase = target.passphraseEnv ? secretFromEnv(env, target.passphraseEnv, 'passphraseEnv') : undefined;
  return { privateKey, ...(passphrase ? { passphrase } : {}) };
}

export function runRemote(target: SshTarget, command: string, options: { env?: Readonly<Record<string, string | undefined>>; signal?: AbortSignal } = {}): Promise<RemoteRun> {
  const where = `${target.username}@${target.host}:${target.port}`;
  const check = hostKeyCheckOf(target);
  const auth = credentials(target, options.env ?? process.env);
  return new Promise((resolve, reject) => {
    const client = new Client();
    let refused: string | undefined;
    let settled = false;
    const finish = (err: Error | undefined, run?: RemoteRun) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      client.end();
      if (err) reject(err);
      else resolve(run!);
    };
    const timedOut = () => new LoomError('LOOM_ERR_TIMEOUT', `ssh ${where}: no result within ${target.timeoutMs} ms (timeoutMs)`, { host: target.host, port: target.port, field: 'timeoutMs' });
    const timer = setTimeout(() => finish(timedOut()), target.timeoutMs);
    const onAbort = () => finish(new LoomError('LOOM_ERR_TIMEOUT', `ssh ${where}: aborted`, { host: target.host }));
    options.signal?.addEventListener('abort', onAbort, { once: true });

    client.on('ready', () => {
      client.exec(command, (err, stream) => {
        if (err) return finish(new LoomError('LOOM_ERR_SPIN_UP_FAILED', `ssh ${where}: could not run the command: ${err.message}`, { host: target.host }));
        let stdout = '';
        let stderr = '';
        stream.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        stream.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        stream.on('close', (code: number | null) => finish(undefined, { code: code ?? null, stdout, stderr }));
      });
    });
    client.on('error', (err: Error & { level?: string }) => {
      if (refused) return finish(new LoomError('LOOM_ERR_SPIN_UP_FAILED', `ssh ${where}: ${refused}`, { host: target.host, field: check.kind === 'fingerprint' ? 'hostKeyFingerprint' : 'knownHostsPath' }));
      // ssh2's own handshake timeout (readyTimeout) races the timer above: either way it is the same timeout.
      if (err.level === 'client-timeout') return finish(timedOut());
      const why = err.level === 'client-authentication' ? `the host refused the key for ${target.username} (check privateKeyPath/privateKeyEnv and the host's authorized_keys)` : err.message;
      finish(new LoomError('LOOM_ERR_SPIN_UP_FAILED', `ssh ${where}: ${why}`, { host: target.host, port: target.port }));
    });
    client.connect({
      host: target.host,
      port: target.port,
      username: target.username,
      ...auth,
      readyTimeout: target.timeoutMs,
      hostVerifier: (key: Buffer) => {
        refused = hostKeyProblem(check, key, target.host, target.port);
        return refused === undefined;
      },
    });
  });
}
