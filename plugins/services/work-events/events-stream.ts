// The per-project events stream (limits retention, max age from options), created once per process.
import { nanos } from '@nats-io/transport-node';
import { RetentionPolicy, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import type { Names } from '../../../core/index.js';

export function createEventsStream(manager: () => Promise<JetStreamManager>, maxAgeMs: number) {
  const ensured = new Map<string, Promise<void>>();
  async function create(names: Names): Promise<void> {
    const jsm = await manager();
    const config = { name: names.eventsStream, subjects: [names.workEventsWildcard], retention: RetentionPolicy.Limits, storage: StorageType.File, max_age: nanos(maxAgeMs) };
    try {
      await jsm.streams.add(config);
    } catch {
      await jsm.streams.update(config.name, config);
    }
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
