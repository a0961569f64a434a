// The project's one inbox stream (loom.<p>.inbox.<recipientId>.<senderId>, limits retention, 7 days) and each agent's
// durable consumer.
import { nanos } from '@nats-io/nats-core';
import { AckPolicy, DeliverPolicy, JetStreamApiCodes, JetStreamApiError, RetentionPolicy, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import type { Logger, Names } from '../../../core/index.js';

const DEDUPE_WINDOW_MS = 2 * 60 * 1000;

export async function ensureInboxStream(jsm: JetStreamManager, names: Names, maxAgeMs: number, log: Logger, replicas = 1): Promise<void> {
  const config = {
    name: names.inboxStream,
    subjects: [names.inboxWildcard],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    num_replicas: replicas,
    max_age: nanos(maxAgeMs),
    duplicate_window: nanos(Math.min(DEDUPE_WINDOW_MS, maxAgeMs)),
  };
  try {
    const info = await jsm.streams.info(config.name);
    // A stream made before the sender moved into the subject only takes loom.<p>.inbox.<recipientId>: sends would fail.
    const oldSubjects = info.config.subjects?.length !== 1 || info.config.subjects[0] !== names.inboxWildcard;
    if (info.config.max_age !== config.max_age || oldSubjects) {
      log.info({ stream: config.name }, 'updating the inbox stream subjects and max age');
      await jsm.streams.update(config.name, { ...info.config, subjects: config.subjects, max_age: config.max_age, duplicate_window: config.duplicate_window });
    }
  } catch (err) {
    if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound)) throw err;
    await jsm.streams.add(config).catch(async (addErr: unknown) => {
      // Another process created it a moment ago.
      await jsm.streams.info(config.name).catch(() => Promise.reject(addErr));
    });
  }
}

/**
 * The agent's durable consumer, filtered to its inbox subject. Abandoned agents' consumers go away by themselves
 * once the inbox's max age has passed without a reader.
 */
export async function ensureInboxConsumer(jsm: JetStreamManager, names: Names, agentId: string, maxAgeMs: number): Promise<string> {
  const durable = names.inboxConsumer(agentId);
  const config = {
    durable_name: durable,
    // One filter with a wildcard (every sender): nats-server 2.9 has no multiple filter subjects.
    filter_subject: names.inboxRecipientWildcard(agentId),
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(30_000),
    max_deliver: -1,
    max_ack_pending: 1000,
    inactive_threshold: nanos(maxAgeMs),
  };
  // A durable made before the sender moved into the subject has the old filter. nats-server 2.9 accepts a new filter
  // in an update but keeps delivering by the old one, so recreate it (acks remove nothing, and receipts only move
  // forward, so replaying its backlog is harmless).
  const existing = await jsm.consumers.info(names.inboxStream, durable).catch(() => undefined);
  if (existing && existing.config.filter_subject !== config.filter_subject) await jsm.consumers.delete(names.inboxStream, durable).catch(() => undefined);
  await jsm.consumers.add(names.inboxStream, config);
  return durable;
}
