// Follows one project's work events in order: a durable consumer (resumes after a restart) or a short-lived one.
import { nanos } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, type ConsumerConfig } from '@nats-io/jetstream';
import { workEventSchema, type Logger, type Names, type NatsService, type WorkEvent, type WorkEventSubscription } from '../../../core/index.js';

export interface FollowOptions {
  nats: NatsService;
  names: Names;
  log: Logger;
  durable?: string;
  fromStart?: boolean;
}

export async function followWorkEvents(options: FollowOptions, onEvent: (event: WorkEvent) => Promise<void> | void): Promise<WorkEventSubscription> {
  const { nats, names, log, durable } = options;
  const jsm = await nats.manager();
  const js = await nats.jetstream();
  const stream = names.eventsStream;
  const base: Partial<ConsumerConfig> = {
    filter_subject: names.workEventsWildcard,
    deliver_policy: options.fromStart ? DeliverPolicy.All : DeliverPolicy.New,
  };
  let name: string;
  if (durable) {
    name = names.workEventsConsumer(durable);
    const exists = await jsm.consumers.info(stream, name).then(() => true, () => false);
    // An existing durable keeps its position: that is the point of following durably.
    if (!exists) await jsm.consumers.add(stream, { ...base, durable_name: name, ack_policy: AckPolicy.Explicit, max_deliver: 10, ack_wait: nanos(30_000) });
  } else {
    name = (await jsm.consumers.add(stream, { ...base, ack_policy: AckPolicy.None, inactive_threshold: nanos(60_000) })).name;
  }
  const consumer = await js.consumers.get(stream, name);
  const messages = await consumer.consume({ max_messages: 256 });
  const done = (async () => {
    for await (const msg of messages) {
      const parsed = workEventSchema.safeParse(safeJson(msg.string()));
      try {
        if (parsed.success) await onEvent(parsed.data);
        else log.warn({ subject: msg.subject }, 'skipping a malformed work event');
        if (durable) msg.ack();
      } catch (err) {
        log.warn({ err, subject: msg.subject }, 'work event handler failed; redelivering later');
        if (durable) msg.nak(1000);
      }
    }
  })();
  return {
    async stop() {
      await messages.close();
      await done.catch(() => {});
      if (!durable) await jsm.consumers.delete(stream, name).catch(() => {});
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
