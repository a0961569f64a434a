// Channel senders' public keys from KV loom-keys-<p> (written by `loom auth --provision`), cached briefly. Read only:
// a missing bucket means no agent of the project has a key, and reading never creates it.
import type { KeyObject } from 'node:crypto';
import { JetStreamApiCodes, JetStreamApiError, type JetStreamManager } from '@nats-io/jetstream';
import { kvKeySubject, kvStreamName, LoomError, readPublicKey, signingKeyRecordSchema, type Logger, type NatsService } from '../../../core/index.js';
import { HEX_ID_PATTERN } from '../../../core/isolation/tokens.js';
import { isPermissionViolation } from '../../../core/nats/nats-errors.js';

/** none: nothing provisioned for the agent; key: verify with it; unusable: a record that is not a key, so nothing verifies. */
export type SenderKey = { kind: 'none' } | { kind: 'key'; key: KeyObject } | { kind: 'unusable' };

export interface SenderKeys {
  of(agentId: string): Promise<SenderKey>;
}

export interface SenderKeysDeps {
  nats: NatsService;
  bucket: string;
  /** How long an answer (a key, no key, no bucket) is reused: a key provisioned later is seen after at most this. */
  cacheMs: number;
  log: Logger;
  now?: () => number;
}

const NONE: SenderKey = { kind: 'none' };
/** Sender ids come from payloads: bound the cache so a flood of made-up ids cannot grow it without end. */
const MAX_CACHED = 1024;

interface Cached<T> {
  at: number;
  value: Promise<T>;
}

export function createSenderKeys(deps: SenderKeysDeps): SenderKeys {
  const now = deps.now ?? Date.now;
  const stream = kvStreamName(deps.bucket);
  let bucketState: Cached<{ direct: boolean } | null> | undefined;
  const keys = new Map<string, Cached<SenderKey>>();

  /** Remembers a pending answer; a failed one is forgotten at once, so the next read asks again. */
  function remember<T>(value: Promise<T>, forget: () => void): Cached<T> {
    value.catch(forget);
    return { at: now(), value };
  }

  async function bucketInfo(jsm: JetStreamManager): Promise<{ direct: boolean } | null> {
    try {
      const info = await jsm.streams.info(stream);
      return { direct: info.config.allow_direct === true };
    } catch (err) {
      if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound) return null;
      throw err;
    }
  }

  /**
   * Refused lookups fail the read rather than pass for "no key": a user that may not read the keys cannot tell a
   * forgery from a message, and returning it as merely unverified would hide that the check did not happen.
   */
  async function load(agentId: string): Promise<SenderKey> {
    try {
      return await lookup(agentId);
    } catch (err) {
      if (!isPermissionViolation(err)) throw err;
      throw new LoomError(
        'LOOM_ERR_FORBIDDEN',
        `cannot read the channel senders' signing keys (KV ${deps.bucket}): this NATS user may not. Re-run \`loom auth\` (agents' permissions include that bucket since signed channel messages) and reload nats-server.`,
        { bucket: deps.bucket },
        { cause: err },
      );
    }
  }

  async function lookup(agentId: string): Promise<SenderKey> {
    const jsm = await deps.nats.manager();
    if (!bucketState || now() - bucketState.at > deps.cacheMs) {
      const pending = bucketInfo(jsm);
      const state = remember(pending, () => {
        if (bucketState === state) bucketState = undefined;
      });
      bucketState = state;
    }
    const bucket = await bucketState.value;
    if (!bucket) return NONE;
    const query = { last_by_subj: kvKeySubject(deps.bucket, agentId) };
    // Direct gets carry the key in the subject, which is what `loom auth` lets agents do; STREAM.MSG.GET it does not.
    const message = bucket.direct ? await jsm.direct.getMessage(stream, query) : await jsm.streams.getMessage(stream, query).catch((err: unknown) => (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.NoMessageFound ? null : Promise.reject(err)));
    if (!message) return NONE;
    const operation = message.header?.get('KV-Operation');
    if (operation === 'DEL' || operation === 'PURGE') return NONE;
    let record: unknown;
    try {
      record = message.json();
    } catch {
      record = undefined;
    }
    const parsed = signingKeyRecordSchema.safeParse(record);
    const key = parsed.success ? readPublicKey(parsed.data.publicKey) : undefined;
    if (key) return { kind: 'key', key };
    deps.log.warn({ bucket: deps.bucket, agentId }, 'the signing key record of this agent is not an Ed25519 public key: its channel messages are dropped until it is provisioned again');
    return { kind: 'unusable' };
  }

  function prune(): void {
    if (keys.size < MAX_CACHED) return;
    for (const [id, cached] of keys) if (now() - cached.at > deps.cacheMs) keys.delete(id);
    if (keys.size >= MAX_CACHED) keys.clear();
  }

  return {
    async of(agentId) {
      // Keys are provisioned only under agent ids (hex); anything else names nobody with a key, and never reaches a subject.
      if (!HEX_ID_PATTERN.test(agentId)) return NONE;
      const cached = keys.get(agentId);
      if (cached && now() - cached.at <= deps.cacheMs) return cached.value;
      prune();
      const entry = remember(load(agentId), () => {
        if (keys.get(agentId) === entry) keys.delete(agentId);
      });
      keys.set(agentId, entry);
      return entry.value;
    },
  };
}
