// JetStream's own names around ours: a KV bucket's stream and key subjects, the API, ack and flow-control subjects, and
// a NATS user's reply prefix. Built here, next to names.ts, so no caller spells them by hand.
import { nuid } from '@nats-io/nats-core';

/** The stream that holds a KV bucket. */
export const kvStreamName = (bucket: string): string => `KV_${bucket}`;

/** The subject a KV key is stored on; `key` may be a pattern (`>`, `<agentId>.*`) for a permission or a filter. */
export const kvKeySubject = (bucket: string, key: string): string => `$KV.${bucket}.${key}`;

/** A JetStream API subject: `jsApiSubject('CONSUMER', 'INFO', stream, consumer)` → `$JS.API.CONSUMER.INFO.<stream>.<consumer>`. */
export const jsApiSubject = (...tokens: string[]): string => `$JS.API.${tokens.join('.')}`;

/** Where a pull request for a consumer's next messages goes. */
export const pullNextSubject = (stream: string, consumer: string): string => jsApiSubject('CONSUMER', 'MSG', 'NEXT', stream, consumer);

/** The ack subjects of one consumer's messages, or of every consumer of a stream when `consumer` is left out. */
export const ackWildcard = (stream: string, consumer?: string): string => `$JS.ACK.${stream}.${consumer === undefined ? '' : `${consumer}.`}>`;

/** The flow-control subjects of a stream's consumers (ordered consumers, KV watches). */
export const flowControlWildcard = (stream: string): string => `$JS.FC.${stream}.>`;

/** The reply-subject prefix of a `loom auth` user: each may subscribe only to its own (`<prefix>.>`). */
export const replyInboxPrefix = (user: string): string => `_INBOX_${user}`;

/** A fresh name for a short-lived scan consumer (ephemeral, removed after use). Named rather than server-named so that
 *  its filter is part of the create request's subject, where `loom auth` permissions can check it. */
export const scanConsumerName = (): string => `scan_${nuid.next()}`;
