// The dead-letter queue of a project: list (oldest first, by capability, with a cursor), retry, discard.
import { nanos } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { deadLetterRecordSchema, LoomError, type DeadLetter, type Names, type WorkMessage } from '../../../core/index.js';
import { publishWork } from './publish-work.js';
import type { QueueContext } from './queue-context.js';

/** A dead letter's id is its sequence in the DLQ stream; a cursor is the sequence to continue from. */
function sequence(field: string, value: string): number {
  const seq = /^[1-9][0-9]{0,15}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(seq)) throw new LoomError('LOOM_ERR_INVALID_INPUT', `${field} must be a positive decimal number (a dead-letter sequence); got ${JSON.stringify(value)}`, { field });
  return seq;
}

function decode(seq: number, data: Uint8Array): DeadLetter | null {
  try {
    const parsed = deadLetterRecordSchema.safeParse(JSON.parse(new TextDecoder().decode(data)));
    return parsed.success ? { ...parsed.data, deadLetterId: String(seq) } : null;
  } catch {
    return null;
  }
}

export async function listDeadLetters(q: QueueContext, names: Names, options: { capability?: string; cursor?: string; limit: number }): Promise<{ items: DeadLetter[]; nextCursor?: string }> {
  const start = options.cursor ? sequence('cursor', options.cursor) : 1;
  const filter = options.capability ? names.dlqSubject(options.capability) : names.dlqWildcard;
  await q.topology.dlqStream(names);
  const jsm = await q.nats.manager();
  const info = await jsm.consumers.add(names.dlqStream, {
    filter_subject: filter,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: start,
    ack_policy: AckPolicy.None,
    inactive_threshold: nanos(30_000),
    mem_storage: true,
  });
  try {
    const want = Math.min(options.limit, info.num_pending);
    const items: DeadLetter[] = [];
    let last = 0;
    if (want > 0) {
      const consumer = await (await q.nats.jetstream()).consumers.get(names.dlqStream, info.name);
      for await (const msg of await consumer.fetch({ max_messages: want, expires: 5000 })) {
        last = msg.seq;
        const item = decode(msg.seq, msg.data);
        if (item) items.push(item);
        else q.log.warn({ seq: msg.seq, subject: msg.subject }, 'skipping a dead letter that does not match the schema');
        if (msg.info.pending === 0) break;
      }
    }
    const more = last > 0 && info.num_pending > want;
    return { items, ...(more ? { nextCursor: String(last + 1) } : {}) };
  } finally {
    await jsm.consumers.delete(names.dlqStream, info.name).catch(() => {});
  }
}

async function read(q: QueueContext, names: Names, id: string): Promise<{ seq: number; item: DeadLetter }> {
  const seq = sequence('id', id);
  await q.topology.dlqStream(names);
  const stored = await (await q.nats.manager()).streams.getMessage(names.dlqStream, { seq });
  const item = stored ? decode(seq, stored.data) : null;
  if (!item) throw new LoomError('LOOM_ERR_NOT_FOUND', `no dead letter with id ${id} in project ${names.projectId} (list them with list_dead_letter_items)`, { id });
  return { seq, item };
}

export async function retryDeadLetter(q: QueueContext, names: Names, id: string, resetAttempts: boolean): Promise<{ workId: string }> {
  const { seq, item } = await read(q, names, id);
  const { attempt, errors: _errors, deadLetteredAt: _at, reason: _reason, deadLetterId: _id, retries, ...offer } = item;
  const message: WorkMessage = { ...offer, priorAttempts: resetAttempts ? 0 : attempt, retries: retries + 1 };
  await publishWork(q, message, `${item.workId}:retry:${seq}`);
  await (await q.nats.manager()).streams.deleteMessage(names.dlqStream, seq, false);
  await q.emit({ type: 'retried', projectId: names.projectId, workId: item.workId, capability: item.capability, note: resetAttempts ? 'attempts reset' : `continuing after attempt ${attempt}`, ...(item.taskId ? { taskId: item.taskId } : {}) });
  return { workId: item.workId };
}

export async function discardDeadLetter(q: QueueContext, names: Names, id: string): Promise<void> {
  const { seq, item } = await read(q, names, id);
  await (await q.nats.manager()).streams.deleteMessage(names.dlqStream, seq, false);
  await q.emit({ type: 'discarded', projectId: names.projectId, workId: item.workId, capability: item.capability, ...(item.taskId ? { taskId: item.taskId } : {}) });
}
