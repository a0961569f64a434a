// The NATS connection service: one connection per process, lazily opened, reconnecting forever, drained on stop.
import { connect, credsAuthenticator, type Authenticator, type NatsConnection, type ConnectionOptions } from '@nats-io/transport-node';
import { wsconnect } from '@nats-io/nats-core';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { readFileSync } from 'node:fs';
import { LoomError } from '../errors.js';
import type { Logger } from '../log.js';
import { defineService } from '../services.js';
import type { LoomConfig } from '../config/schema.js';
import { keepEmbeddedNats, type EmbeddedKeeper } from './embedded-keeper.js';
import { isAuthorizationError } from './nats-errors.js';
import { skipSettledRequestErrors } from './request-shim.js';

export interface NatsService {
  connection(): Promise<NatsConnection>;
  jetstream(): Promise<JetStreamClient>;
  manager(): Promise<JetStreamManager>;
  kvm(): Promise<Kvm>;
  /** The URL in use, once connected. */
  url(): string | undefined;
  /** Whether a connection is open right now (false before the first connect and while reconnecting). */
  isConnected(): boolean;
  /** Where the connection went, once connected: the configured URL, a local server that answered, or a managed one this process started. */
  server(): NatsServerInfo | undefined;
  /** Drains the connection and stops a managed server this process started. */
  close(): Promise<void>;
}

export interface NatsServerInfo {
  /** Redacted: never carries credentials. */
  url: string;
  source: 'config' | 'local' | 'managed';
  /** Set when source is managed: the nats-server child this process started and stops. */
  pid?: number;
  storeDir?: string;
}

export const natsService = defineService<NatsService>('loom:nats');

export interface NatsServiceOptions {
  config: LoomConfig['nats'];
  env: Readonly<Record<string, string | undefined>>;
  log: Logger;
  name: string;
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]+@/, '//***@');
}

/** Reads and checks a .creds file (a user JWT and an nkey seed) before connecting, so that a missing, unreadable or
 *  malformed one is reported by its path instead of as a raw ENOENT or a "cannot reach NATS". Never shows its content. */
export function readCredsFile(path: string): Authenticator {
  const where = `nats.creds (NATS_CREDS) names ${path}`;
  let content: Uint8Array;
  try {
    content = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'a directory, not a file' : (code ?? 'unreadable');
    throw new LoomError('LOOM_ERR_CONFIG_INVALID', `${where}, which cannot be read (${why}): point NATS_CREDS (or nats.creds in loom.config.ts) at the user's .creds file.`, { path: 'nats.creds', file: path }, { cause: err });
  }
  const authenticator = credsAuthenticator(content);
  try {
    // Parses the file and signs a local challenge with its seed: nothing goes to the server.
    authenticator('loom-creds-check');
  } catch (err) {
    // nkeys' own messages are fixed strings; anything else (a base32 decoder naming a character) is not repeated.
    const message = err instanceof Error ? err.message : '';
    const reason = /^nkeys: [a-z ,]+$/.test(message) || message === 'unable to parse credentials' ? ` (${message})` : '';
    throw new LoomError('LOOM_ERR_CONFIG_INVALID', `${where}, which is not a NATS creds file${reason}: it must hold a user JWT and its nkey seed, each between -----BEGIN …----- and ------END …------ lines, as "nsc generate creds" writes it.`, { path: 'nats.creds', file: path });
  }
  return authenticator;
}

function authOptions(config: LoomConfig['nats'], creds: Authenticator | undefined, fromUrl: Partial<ConnectionOptions>): Partial<ConnectionOptions> {
  if (creds) return { authenticator: creds };
  if (config.token) return { token: config.token };
  if (config.user) return { user: config.user, pass: config.pass ?? '' };
  return fromUrl;
}

/** nats.js ignores credentials in a server URL (and can misread a numeric password as the port), so they are taken
 *  out here: `user:pass@` is a user and password, a lone `token@` a token, as in the other NATS clients. */
export function splitUrlCredentials(servers: string[]): { servers: string[]; auth: Partial<ConnectionOptions> } {
  let auth: Partial<ConnectionOptions> = {};
  const bare = servers.map((server) => {
    const match = /^([a-z]+:\/\/)([^@/]*)@(.*)$/i.exec(server);
    if (!match) return server;
    const [, scheme, userinfo, rest] = match as unknown as [string, string, string, string];
    if (Object.keys(auth).length === 0 && userinfo) {
      const colon = userinfo.indexOf(':');
      auth = colon < 0 ? { token: decodeURIComponent(userinfo) } : { user: decodeURIComponent(userinfo.slice(0, colon)), pass: decodeURIComponent(userinfo.slice(colon + 1)) };
    }
    return scheme + rest;
  });
  return { servers: bare, auth };
}

const CREDENTIAL_HINT = 'check NATS_TOKEN, NATS_USER/NATS_PASS, NATS_CREDS, or the user:pass in NATS_URL (nats.* in loom.config.ts)';

export function createNatsService(options: NatsServiceOptions): NatsService {
  let pending: Promise<NatsConnection> | undefined;
  let nc: NatsConnection | undefined;
  let embedded: EmbeddedKeeper | undefined;
  let url: string | undefined;
  let connected = false;
  let closed = false;
  let js: JetStreamClient | undefined;
  let jsm: Promise<JetStreamManager> | undefined;
  let kvm: Kvm | undefined;

  async function open(): Promise<NatsConnection> {
    // Checked before anything starts: a bad creds file must not leave a managed server behind.
    const creds = options.config.creds ? readCredsFile(options.config.creds) : undefined;
    if (options.config.url) return dial((url = options.config.url), creds);
    embedded = await keepEmbeddedNats({ env: options.env, log: options.log, ...(options.config.storeDir ? { storeDir: options.config.storeDir } : {}), ...(options.config.port ? { port: options.config.port } : {}) });
    try {
      return await dial((url = embedded.current().url), creds);
    } catch (err) {
      // Nobody will close() a service whose first connect failed: the server this process started stops here.
      const keeper = embedded;
      embedded = undefined;
      url = undefined;
      await keeper.stop().catch(() => {});
      throw err;
    }
  }

  async function dial(target: string, creds: Authenticator | undefined): Promise<NatsConnection> {
    const { servers, auth: urlAuth } = splitUrlCredentials(target.split(',').map((s) => s.trim()));
    const opts: ConnectionOptions = {
      servers,
      name: options.name,
      reconnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      reconnectJitter: 250,
      timeout: 5000,
      // nats.js otherwise captures two stack traces per request (14–20 % of a busy process's CPU) only to point a
      // timeout's stack at its caller; ours are LOOM_ERR_TIMEOUT errors that name the operation anyway.
      noAsyncTraces: true,
      ...(options.config.inboxPrefix ? { inboxPrefix: options.config.inboxPrefix } : {}),
      ...authOptions(options.config, creds, urlAuth),
    };
    try {
      const isWs = /^wss?:\/\//.test(servers[0] ?? '');
      if (isWs && typeof (globalThis as { WebSocket?: unknown }).WebSocket !== 'function') {
        throw new LoomError('LOOM_ERR_NATS_UNREACHABLE', `${redactUrl(target)} needs a WebSocket implementation: run on Node 22+ (global WebSocket) or start Node 20 with --experimental-websocket.`);
      }
      skipSettledRequestErrors();
      const conn = isWs ? await wsconnect(opts) : await connect(opts);
      connected = true;
      void watchStatus(conn);
      embedded?.watch(conn);
      options.log.debug({ url: redactUrl(target) }, 'connected to NATS');
      return conn;
    } catch (err) {
      if (err instanceof LoomError) throw err;
      const reason = err instanceof Error ? err.message : String(err);
      // The server answered but turned these credentials away: starting another server would not help.
      if (isAuthorizationError(err)) {
        const credsFile = options.config.creds ? ` (the creds file in use: ${options.config.creds})` : '';
        throw new LoomError('LOOM_ERR_NATS_UNREACHABLE', `NATS at ${redactUrl(target)} refused this client's credentials (${reason}): ${CREDENTIAL_HINT}${credsFile}.`, { url: redactUrl(target) }, { cause: err });
      }
      throw new LoomError('LOOM_ERR_NATS_UNREACHABLE', `cannot reach NATS at ${redactUrl(target)} (${reason}). Start one with "loom up", or set NATS_URL.`, { url: redactUrl(target) }, { cause: err });
    }
  }

  async function watchStatus(conn: NatsConnection): Promise<void> {
    for await (const status of conn.status()) {
      if (status.type === 'disconnect') connected = false;
      if (status.type === 'reconnect') connected = true;
      if (status.type === 'disconnect' || status.type === 'reconnect') options.log.warn({ event: status.type }, `NATS ${status.type}`);
    }
  }

  const service: NatsService = {
    connection() {
      // Work still in flight when the kernel stopped must fail here, not open a connection nobody will close.
      if (closed) return Promise.reject(new LoomError('LOOM_ERR_UNAVAILABLE', 'the NATS connection of this process is closed: its kernel has stopped'));
      if (!pending) {
        pending = open().then((conn) => (nc = conn));
        pending.catch(() => (pending = undefined));
      }
      return pending;
    },
    async jetstream() {
      const conn = await service.connection();
      return (js ??= jetstream(conn));
    },
    async manager() {
      const conn = await service.connection();
      return (jsm ??= jetstreamManager(conn));
    },
    async kvm() {
      const conn = await service.connection();
      return (kvm ??= new Kvm(conn));
    },
    url: () => url,
    server() {
      if (!url || !nc) return undefined;
      if (options.config.url) return { url: redactUrl(url), source: 'config' };
      const managed = embedded?.current().managed;
      if (managed) return { url, source: 'managed', pid: managed.pid, storeDir: managed.storeDir };
      return { url, source: 'local' };
    },
    isConnected: () => connected && nc !== undefined && !nc.isClosed(),
    async close() {
      closed = true;
      const opening = pending;
      nc = undefined;
      pending = undefined;
      connected = false;
      // A connect still under way when close() came is closed once it lands.
      const conn = await opening?.catch(() => undefined);
      nc = undefined;
      if (conn && !conn.isClosed()) await conn.drain().catch(() => conn.close());
      await embedded?.stop();
    },
  };
  return service;
}
