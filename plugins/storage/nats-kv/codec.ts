// The one place where NATS KV entries become Loominal entries: values are JSON text, deletes are markers.
import type { KvEntry as NatsKvEntry } from '@nats-io/kv';
import { JetStreamApiCodes } from '@nats-io/jetstream';
import { decodeKvValue, encodeKvValue, type KvChange, type KvEntry } from '../../../core/index.js';

const encoder = new TextEncoder();

export function encodeValue(value: unknown): Uint8Array {
  return encoder.encode(encodeKvValue(value));
}

/** A NATS entry whose last operation is a delete or purge is no entry at all. */
export const isLivePut = (entry: NatsKvEntry | null): entry is NatsKvEntry => entry !== null && entry.operation === 'PUT';

export function toEntry<T>(entry: NatsKvEntry): KvEntry<T> {
  return { key: entry.key, value: decodeKvValue<T>(entry.string()), revision: entry.revision, updatedAt: entry.created.getTime() };
}

export function toChange<T>(entry: NatsKvEntry): KvChange<T> {
  return entry.operation === 'PUT'
    ? { op: 'put', key: entry.key, value: decodeKvValue<T>(entry.string()), revision: entry.revision }
    : { op: 'delete', key: entry.key, value: undefined, revision: entry.revision };
}

/** "wrong last sequence": the key moved on (or exists) since the caller's read. */
export function isWrongLastSequence(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === JetStreamApiCodes.StreamWrongLastSequence || code === JetStreamApiCodes.StreamWrongLastSequenceUnknown;
}

/**
 * The KV filter that covers a prefix: NATS filters match whole dot-separated tokens, so "a.b" lists "a.>" and the
 * caller keeps the keys that start with "a.b"; a prefix without a dot lists everything.
 */
export function filterFor(prefix: string): string {
  const cut = prefix.lastIndexOf('.');
  return cut < 0 ? '>' : `${prefix.slice(0, cut)}.>`;
}
