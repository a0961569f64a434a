// Creates (once per process) the work, public work and dead-letter streams and the shared per-band pull consumers.
import { nanos } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import type { Logger, Names, WorkQueueSettings } from '../../../core/index.js';
import { ensureStream as ensureStreamOn } from '../../../core/nats/ensure-stream.js';
import { isPermissionViolation } from '../../../core/nats/nats-errors.js';

export interface QueueTopology {
  workStream(names: Names): Promise<void>;
  publicWorkStream(names: Names): Promise<void>;
  dlqStream(names: Names): Promise<void>;
  /** The durable consumer of one capability band; shared by every claimer in every process. */
  consumer(stream: string, durable: string, filterSubject: string): Promise<void>;
  /** Forgets what was created, so the next use creates it again (after a stream or consumer was deleted). */
  reset(): void;
}

/**
 * Settings are applied on every first use in a process (create, else update): all processes of a project should run
 * with the same lease and delivery settings; the last one started wins.
 */
export function createQueueTopology(manager: () => Promise<JetStreamManager>, settings: WorkQueueSettings, log: Logger, replicas = 1): QueueTopology {
  const done = new Map<string, Promise<void>>();
  const once = (key: string, make: () => Promise<void>): Promise<void> => {
    let pending = done.get(key);
    if (!pending) {
      pending = make();
      done.set(key, pending);
      pending.catch(() => done.delete(key));
    }
    return pending;
  };

  // Read first, create if missing, align only our settings: an existing stream keeps its replicas, and a process
  // that may only read stream info (a `loom auth` agent) never needs more when the stream is already right.
  async function ensureStream(config: Partial<StreamConfig> & { name: string }): Promise<void> {
    await ensureStreamOn(await manager(), config, { replicas, log });
  }

  const workQueueStream = (name: string, subject: string) =>
    ensureStream({
      name,
      subjects: [subject],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      duplicate_window: nanos(settings.dedupeWindowMs),
    });

  return {
    reset: () => done.clear(),
    workStream: (names) => once(names.workStream, () => workQueueStream(names.workStream, names.workWildcard)),
    publicWorkStream: (names) => once(names.publicWorkStream, () => workQueueStream(names.publicWorkStream, names.publicWorkWildcard)),
    dlqStream: (names) =>
      once(names.dlqStream, () =>
        ensureStream({ name: names.dlqStream, subjects: [names.dlqWildcard], retention: RetentionPolicy.Limits, storage: StorageType.File, max_age: nanos(settings.dlqMaxAgeMs) }),
      ),
    consumer: (stream, durable, filterSubject) =>
      once(`${stream}/${durable}`, async () => {
        const jsm = await manager();
        // One extra delivery beyond maxDeliver: the claimer that receives it dead-letters the item (its holder died
        // on the last allowed attempt), so nothing is dropped silently when JetStream stops redelivering.
        const limits = { ack_wait: nanos(settings.ackWaitMs), max_deliver: settings.maxDeliver + 1, max_ack_pending: -1 };
        const existing = await jsm.consumers.info(stream, durable).catch(() => null);
        if (existing && existing.config.ack_wait === limits.ack_wait && existing.config.max_deliver === limits.max_deliver && existing.config.max_ack_pending === limits.max_ack_pending) return;
        try {
          await jsm.consumers.add(stream, {
            durable_name: durable,
            filter_subject: filterSubject,
            ack_policy: AckPolicy.Explicit,
            deliver_policy: DeliverPolicy.All,
            ...limits,
          });
        } catch (err) {
          log.debug({ err, stream, durable }, 'consumer exists with different settings; updating');
          try {
            await jsm.consumers.update(stream, durable, limits);
          } catch (updateErr) {
            // Provisioned for a user that may not change it (loom auth): work with the consumer as it is.
            if (!existing || !isPermissionViolation(updateErr)) throw updateErr;
            log.warn({ stream, durable }, 'work consumer settings differ from this process\'s, and this NATS user may not update them; using it as it is');
          }
        }
      }),
  };
}
