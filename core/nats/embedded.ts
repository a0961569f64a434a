// The embedded default: reuse a server on 127.0.0.1:4222, else start a managed `nats-server -js` child.
import { connect } from '@nats-io/transport-node';
import { mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { LoomError } from '../errors.js';
import type { Logger } from '../log.js';
import { spawnNatsProcess, waitForExit } from '../testing/nats-server.js';

export const DEFAULT_LOCAL_URL = 'nats://127.0.0.1:4222';

export function loominalHome(env: Readonly<Record<string, string | undefined>>): string {
  return env.LOOMINAL_HOME || join(homedir(), '.loominal');
}

export async function answers(url: string, timeoutMs = 1500): Promise<boolean> {
  try {
    const nc = await connect({ servers: url, timeout: timeoutMs, reconnect: false, maxReconnectAttempts: 0 });
    await nc.close();
    return true;
  } catch {
    return false;
  }
}

export interface EmbeddedNats {
  url: string;
  /** Set when this process started the server; stop() ends it. */
  managed?: { pid: number; storeDir: string };
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  env: Readonly<Record<string, string | undefined>>;
  storeDir?: string;
  port?: number;
  log: Logger;
}

/** Finds or starts the local NATS server. The url file lets other loom processes find a managed server on another port. */
export async function resolveEmbeddedNats(options: EmbeddedOptions): Promise<EmbeddedNats> {
  const home = loominalHome(options.env);
  const urlFile = join(home, 'nats.url');
  const preferred = options.port ? `nats://127.0.0.1:${options.port}` : DEFAULT_LOCAL_URL;
  if (await answers(preferred)) return { url: preferred, stop: async () => {} };
  const recorded = readRecordedUrl(urlFile);
  if (recorded && recorded !== preferred && (await answers(recorded))) return { url: recorded, stop: async () => {} };

  const storeDir = options.storeDir ?? join(home, 'nats');
  mkdirSync(storeDir, { recursive: true });
  const base = ['-js', '-a', '127.0.0.1', '-sd', storeDir];
  let started: { child: ChildProcess; port: number };
  try {
    started = await spawnNatsProcess([...base, '-p', String(options.port ?? 4222)]);
  } catch (err) {
    if (err instanceof LoomError) throw err;
    try {
      // The port is taken by something that is not NATS: any free port will do, and the url file tells the others.
      started = await spawnNatsProcess([...base, '-p', '-1']);
    } catch (second) {
      if (second instanceof LoomError) throw second;
      throw new LoomError('LOOM_ERR_NATS_SERVER_START', `the managed nats-server did not start: ${second instanceof Error ? second.message : String(second)}`);
    }
  }
  const url = `nats://127.0.0.1:${started.port}`;
  mkdirSync(home, { recursive: true });
  writeFileSync(urlFile, `${url}\n`);
  options.log.info({ url, storeDir, pid: started.child.pid }, 'started managed nats-server');
  return {
    url,
    managed: { pid: started.child.pid ?? -1, storeDir },
    async stop() {
      started.child.kill('SIGTERM');
      await waitForExit(started.child);
      if (readRecordedUrl(urlFile) === url) rmSync(urlFile, { force: true });
    },
  };
}

function readRecordedUrl(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
