// Whether a channel message's sender is proven: its signature checked against the key provisioned for from.agentId.
import { SIGNATURE_HEADER, verifyChannelMessage, type ChannelMessagePayload } from '../../../core/index.js';
import type { StoredMessage } from '../../../core/nats/read-subject.js';
import type { SenderKey } from './sender-keys.js';

/** verified: signed by the sender's key; unverified: the sender has no key; forged: it has one and this is not its signature. */
export type SenderVerdict = { kind: 'verified' } | { kind: 'unverified' } | { kind: 'forged'; reason: string };

// Shared answers: a page of a thousand messages decides a thousand times, mostly the same way.
const VERIFIED: SenderVerdict = Object.freeze({ kind: 'verified' });
const UNVERIFIED: SenderVerdict = Object.freeze({ kind: 'unverified' });

/** `key` is what loom-keys-<p> holds for payload.from.agentId (looked up once per sender and page by the caller). */
export function checkSender(key: SenderKey, where: { projectId: string; channel: string }, stored: StoredMessage, payload: ChannelMessagePayload): SenderVerdict {
  if (key.kind === 'none') return UNVERIFIED;
  if (key.kind === 'unusable') return { kind: 'forged', reason: 'names a sender whose provisioned key is unusable' };
  const signature = stored.headers?.get(SIGNATURE_HEADER) || undefined;
  if (!signature) return { kind: 'forged', reason: 'is unsigned but names a sender with a provisioned key' };
  // The stream dedupes by Nats-Msg-Id while the signature covers the payload id: requiring both to be one id keeps a
  // replay of a signed message under a new Nats-Msg-Id from slipping past the duplicate window.
  if (stored.headers?.get('Nats-Msg-Id') !== payload.id) return { kind: 'forged', reason: 'carries a Nats-Msg-Id other than its signed id' };
  const fields = { projectId: where.projectId, channel: where.channel, agentId: payload.from.agentId, messageId: payload.id, sentAt: payload.sentAt, payload: stored.data };
  return verifyChannelMessage(key.key, fields, signature) ? VERIFIED : { kind: 'forged', reason: "has a signature that does not verify against its sender's key" };
}
