// The per-project events stream (limits retention, max age from options), created once per process.
import { nanos } from '@nats-io/transport-node';
import { RetentionPolicy, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import type { Names } from '../../../core/index.js';
import { ensureStream } from '../../../core/nats/ensure-stream.js';

export function createEventsStream(manager: () => Promise<JetStreamManager>, maxAgeMs: number, replicas = 1) {
  const ensured = new Map<string, Promise<void>>();
  async function create(names: Names): Promise<void> {
    // Read first, create if missing, align only the max age: replicas of an existing stream are never reset.
    await ensureStream(await manager(), { name: names.eventsStream, subjects: [names.workEventsWildcard], retention: RetentionPolicy.Limits, storage: StorageType.File, max_age: nanos(maxAgeMs) }, { replicas });
  }
  return {
    ensure(names: Names): Promise<void> {
      let pending = ensured.get(names.eventsStream);
      if (!pending) {
        pending = create(names);
        ensured.set(names.eventsStream, pending);
        pending.catch(() => ensured.delete(names.eventsStream));
      }
      return pending;
    },
  };
}
