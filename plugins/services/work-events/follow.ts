// Follows one project's work events: in order, or several work ids at once with each one's events in order; a durable
// consumer (resumes after a restart) or a short-lived one.
import { nanos } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, type ConsumerConfig, type JsMsg } from '@nats-io/jetstream';
import { createLanes } from './keyed-lanes.js';
import { workEventSchema, type Logger, type Names, type NatsService, type WorkEvent, type WorkEventSubscription } from '../../../core/index.js';

export interface FollowOptions {
  nats: NatsService;
  names: Names;
  log: Logger;
  durable?: string;
  fromStart?: boolean;
  /** Events of different work ids handled at once (at most IN_FLIGHT for a durable); 1, the default, is strict order. */
  concurrency?: number;
}

/**
 * A durable's events that a follower fetched but never acked (it was killed) reach the next follower after the ack
 * wait, so it is short. The handler extends it while it runs, and at most IN_FLIGHT events are out at once, so an
 * event waiting behind the others in the client's buffer is not redelivered while the follower is alive.
 */
const ACK_WAIT_MS = 5_000;
const IN_FLIGHT = 16;

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
    const existing = await jsm.consumers.info(stream, name).catch(() => undefined);
    const limits = { ack_wait: nanos(ACK_WAIT_MS), max_ack_pending: IN_FLIGHT };
    if (!existing) await jsm.consumers.add(stream, { ...base, durable_name: name, ack_policy: AckPolicy.Explicit, max_deliver: 10, ...limits });
    // An existing durable keeps its position (that is the point of following durably); one made with older limits
    // (a 30 s ack wait) is changed in place.
    else if (existing.config.ack_wait !== limits.ack_wait || existing.config.max_ack_pending !== limits.max_ack_pending) {
      await jsm.consumers.update(stream, name, limits).catch((err: unknown) => log.warn({ err, consumer: name }, 'could not update the limits of an events durable; it keeps its old ones'));
    }
  } else {
    name = (await jsm.consumers.add(stream, { ...base, ack_policy: AckPolicy.None, inactive_threshold: nanos(60_000) })).name;
  }
  const consumer = await js.consumers.get(stream, name);
  const buffered = durable ? IN_FLIGHT : 256;
  const messages = await consumer.consume({ max_messages: buffered });
  const handle = async (msg: JsMsg, parsed: ReturnType<typeof parse>, working: NodeJS.Timeout | undefined) => {
    try {
      if (parsed.success) await onEvent(parsed.data);
      else log.warn({ subject: msg.subject }, 'skipping a malformed work event');
      if (durable) msg.ack();
    } catch (err) {
      log.warn({ err, subject: msg.subject }, 'work event handler failed; redelivering later');
      if (durable) msg.nak(1000);
    } finally {
      clearInterval(working);
    }
  };
  const lanes = createLanes(Math.max(1, Math.min(options.concurrency ?? 1, buffered)));
  const done = (async () => {
    for await (const msg of messages) {
      const parsed = parse(msg);
      // An event keeps its lease from when it arrives (it may wait behind its work id's previous one) until its
      // handler is done: progress restarts the ack wait.
      const working = durable ? setInterval(() => msg.working(), ACK_WAIT_MS / 2) : undefined;
      await lanes.run(parsed.success ? parsed.data.workId : '', () => handle(msg, parsed, working));
    }
    await lanes.drain();
  })();
  return {
    async stop() {
      await messages.close();
      await done.catch(() => {});
      if (!durable) await jsm.consumers.delete(stream, name).catch(() => {});
    },
  };
}

const parse = (msg: JsMsg) => workEventSchema.safeParse(safeJson(msg.string()));

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
