// One project's inbox: send with the message id as the JetStream id; read by sequence, marking read with compare-and-set.
import { headers } from '@nats-io/nats-core';
import {
  LoomError,
  assertHexId,
  createRandomId,
  directMessagePayloadSchema,
  type DirectMessage,
  type InboxReadResult,
  type KvBucket,
  type Logger,
  type NatsService,
  type Names,
  type ProjectInbox,
} from '../../../core/index.js';
import { countSubject, scanSubject, type StoredMessage } from '../../../core/nats/read-subject.js';
import { publishWithRetry } from '../../../core/nats/publish-retry.js';
import { EMPTY_READ_STATE, InboxSelection, readStateSchema, sameReadState, type ReadState } from './read-state.js';
import { commitReadState } from './commit-read.js';
import { createReceipts } from './receipts.js';
import { ensureInboxConsumer, ensureInboxStream } from './stream.js';
import { followDeliveries } from './delivery.js';

const DEFAULT_READ_BYTES = 4 * 1024 * 1024;
const decoder = new TextDecoder();

export interface ProjectInboxDeps {
  names: Names;
  nats: NatsService;
  /** KV loom-receipts-<p>: receipts (`msg.<senderId>.<id>`, `seen.<recipientId>.<id>`) and read states (`cursor.<agentId>`). */
  bucket: () => Promise<KvBucket>;
  maxAgeMs: number;
  fetchTimeoutMs: number;
  /** Replicas of the inbox stream if this process creates it (nats.replicas). */
  replicas?: number;
  log: Logger;
}

export function createProjectInbox(deps: ProjectInboxDeps): ProjectInbox {
  const { names, nats, log } = deps;
  const receipts = createReceipts(deps.bucket);
  let ready: Promise<void> | undefined;
  const ensure = () => {
    ready ??= nats.manager().then((jsm) => ensureInboxStream(jsm, names, deps.maxAgeMs, log, deps.replicas ?? 1));
    ready.catch(() => (ready = undefined));
    return ready;
  };
  const cursorKey = (agentId: string) => `cursor.${assertHexId('agentId', agentId)}`;

  /**
   * The sender token of the subject is what the broker checked (with `loom auth` an agent may publish only on
   * loom.<p>.inbox.*.<its own id>); a payload claiming someone else is a forgery and is dropped (it counts as read).
   */
  function decode(agentId: string, message: StoredMessage): DirectMessage | null {
    const prefix = names.inboxRecipientWildcard(agentId).slice(0, -1);
    const sender = message.subject.startsWith(prefix) ? message.subject.slice(prefix.length) : undefined;
    let reason = 'does not match the protocol';
    try {
      const parsed = directMessagePayloadSchema.safeParse(JSON.parse(decoder.decode(message.data)));
      if (parsed.success && parsed.data.from.agentId === sender) return { ...parsed.data, sequence: message.seq };
      if (parsed.success) reason = `claims sender ${parsed.data.from.agentId} but was published as ${sender ?? 'nobody'}`;
    } catch {
      // not JSON
    }
    log.warn({ seq: message.seq, subject: message.subject }, `skipped an inbox message that ${reason}`);
    return null;
  }

  /** One attempt: scan from the floor, pick what to return, and commit the new read state; null when another read won. */
  async function attempt(agentId: string, options: Parameters<ProjectInbox['read']>[1]): Promise<InboxReadResult | null> {
    const bucket = await deps.bucket();
    const stored = await bucket.get<unknown>(cursorKey(agentId));
    const parsedState = readStateSchema.safeParse(stored?.value);
    const state: ReadState = stored && parsedState.success ? parsedState.data : EMPTY_READ_STATE;
    const nc = await nats.connection();
    const jsm = await nats.manager();
    const subject = names.inboxRecipientWildcard(agentId);
    // An unfiltered read needs `limit` messages, and one more to tell whether anything is left; a filtered one may skip many.
    const batch = options.messageType === undefined && options.senderId === undefined ? Math.min(256, options.limit + 1) : 256;
    const scan = await scanSubject(nc, jsm, { stream: names.inboxStream, subject, startSeq: state.floor + 1, batch, fetchTimeoutMs: deps.fetchTimeoutMs });
    const selection = new InboxSelection<DirectMessage>(state, {
      limit: options.limit,
      maxBytes: options.maxBytes ?? DEFAULT_READ_BYTES,
      matches: (m) => (options.messageType === undefined || m.messageType === options.messageType) && (options.senderId === undefined || m.from.agentId === options.senderId),
    });
    // Set when the read stopped with more stored after it: only then is what is left counted (a second scan).
    let moreAfterStop = false;
    const messages = scan.messages();
    try {
      for (let next = await messages.next(); !next.done; next = await messages.next()) {
        const raw = next.value;
        if (selection.offer(raw.seq, decode(agentId, raw), raw.data.length)) continue;
        // Usually known from the batch in hand (an unfiltered read pulls one to spare); a stop on a batch's last
        // message asks for one more, not for another batch of up to 256 bodies.
        moreAfterStop = await scan.more();
        break;
      }
    } finally {
      await messages.return(undefined);
      scan.close();
    }
    // Counted from what is stored, not from the consumer's num_pending (see pullBatch): what this read left unread, plus
    // the unread ones past where it stopped. Before the commit: nothing that can fail may come after it.
    let unreadRemaining = selection.leftUnreadCount;
    const lastVisited = selection.lastVisited;
    if (moreAfterStop && lastVisited !== undefined) {
      unreadRemaining += await countSubject(nc, jsm, { stream: names.inboxStream, subject, startSeq: lastVisited + 1, except: new Set(state.read), fetchTimeoutMs: deps.fetchTimeoutMs });
    }
    const next = selection.nextState();
    if (!sameReadState(state, next) && (await commitReadState(bucket, cursorKey(agentId), stored, state, next)) === 'raced') return null;
    return { messages: selection.messages, unreadRemaining };
  }

  return {
    projectId: names.projectId,

    async send(input) {
      await ensure();
      const messageId = createRandomId();
      const sentAt = new Date().toISOString();
      const payload = JSON.stringify({
        messageId,
        from: input.from,
        to: input.to,
        messageType: input.messageType,
        message: input.message,
        ...(input.metadata ? { metadata: input.metadata } : {}),
        ...(input.replyTo ? { replyTo: input.replyTo } : {}),
        receipt: input.receipt,
        sentAt,
      });
      const maxPayload = (await nats.connection()).info?.max_payload ?? 1024 * 1024;
      if (Buffer.byteLength(payload) > maxPayload) {
        throw new LoomError('LOOM_ERR_INVALID_INPUT', `message: too large once encoded (${Buffer.byteLength(payload)} bytes; the server accepts ${maxPayload}). Send a shorter message or split it.`, { field: 'message' });
      }
      const subject = names.inboxSubject(input.to, input.from.agentId);
      if (input.receipt) await receipts.create({ messageId, senderId: input.from.agentId, recipientId: input.to, state: 'sent', sentAt });
      const h = headers();
      if (input.receipt) h.set('Loom-Receipt', '1');
      try {
        const ack = await publishWithRetry(await nats.jetstream(), subject, payload, { msgID: messageId, headers: h, log });
        return { messageId, sequence: ack.seq, sentAt };
      } catch (err) {
        if (input.receipt) await receipts.remove(input.from.agentId, messageId).catch(() => undefined);
        throw err;
      }
    },

    async read(agentId, options) {
      await ensure();
      for (let tries = 0; tries < 8; tries++) {
        const result = await attempt(agentId, options);
        if (!result) continue;
        const at = new Date().toISOString();
        await Promise.all(result.messages.filter((m) => m.receipt).map((m) => receipts.markRead(agentId, m.messageId, at).catch((err: unknown) => log.warn({ err, messageId: m.messageId }, 'could not record a read receipt'))));
        return result;
      }
      throw new LoomError('LOOM_ERR_CONFLICT', `inbox of ${agentId} is being read by another process at the same moment; retry`, { agentId });
    },

    async receipts(senderId, messageIds) {
      for (const id of messageIds) assertHexId('messageIds', id);
      return receipts.forSender(senderId, messageIds);
    },

    async startDelivery(agentId) {
      await ensure();
      const jsm = await nats.manager();
      const durable = await ensureInboxConsumer(jsm, names, agentId, deps.maxAgeMs);
      return followDeliveries({
        js: await nats.jetstream(),
        stream: names.inboxStream,
        durable,
        onDelivered: (messageId) => receipts.markDelivered(agentId, messageId, new Date().toISOString()),
        log: log.child({ agentId }),
      });
    },
  };
}
