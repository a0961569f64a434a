// Creates the project's channel stream (one for every channel with default retention) and the rare per-channel ones.
import { nanos } from '@nats-io/nats-core';
import { JetStreamApiCodes, JetStreamApiError, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import { LoomError, type Logger } from '../../../core/index.js';
import type { ResolvedChannel } from './options.js';

const DEDUPE_WINDOW_MS = 2 * 60 * 1000;

interface WantedStream {
  name: string;
  subjects: string[];
  maxAgeMs: number;
  maxMessages: number;
}

const isStreamNotFound = (err: unknown) => err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound;

/**
 * Every process adds the subjects of the channels it knows (a union: another process may know more) and applies its
 * retention; the project's processes normally share one config, so they agree.
 */
async function ensureStream(jsm: JetStreamManager, wanted: WantedStream, log: Logger, replicas: number): Promise<void> {
  const limits: Partial<StreamConfig> = {
    max_age: nanos(wanted.maxAgeMs),
    max_msgs_per_subject: wanted.maxMessages,
    duplicate_window: nanos(Math.min(DEDUPE_WINDOW_MS, wanted.maxAgeMs)),
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    let info;
    try {
      info = await jsm.streams.info(wanted.name);
    } catch (err) {
      if (!isStreamNotFound(err)) throw err;
      try {
        await jsm.streams.add({ name: wanted.name, subjects: wanted.subjects, retention: RetentionPolicy.Limits, storage: StorageType.File, num_replicas: replicas, ...limits });
        return;
      } catch (addErr) {
        const message = addErr instanceof Error ? addErr.message : String(addErr);
        if (/overlap/i.test(message)) {
          throw new LoomError('LOOM_ERR_CONFLICT', `cannot create stream ${wanted.name} for ${wanted.subjects.join(', ')}: another stream already holds one of these subjects (a channel configured with its own retention in one process and without in another?). Give every process the same channel options.`, { stream: wanted.name }, { cause: addErr });
        }
        log.debug({ err: addErr, stream: wanted.name }, 'stream appeared while creating it; reading it again');
        continue;
      }
    }
    const subjects = [...new Set([...(info.config.subjects ?? []), ...wanted.subjects])];
    const same = subjects.length === (info.config.subjects ?? []).length && info.config.max_age === limits.max_age && info.config.max_msgs_per_subject === limits.max_msgs_per_subject;
    if (same) return;
    log.info({ stream: wanted.name, subjects: subjects.length }, 'updating channel stream subjects and retention');
    await jsm.streams.update(wanted.name, { ...info.config, subjects, ...limits });
  }
  throw new LoomError('LOOM_ERR_CONFLICT', `stream ${wanted.name} kept changing while this process configured it; retry`, { stream: wanted.name });
}

export async function ensureChannelStreams(jsm: JetStreamManager, channels: Iterable<ResolvedChannel>, log: Logger, replicas = 1): Promise<void> {
  const shared: ResolvedChannel[] = [];
  const own: ResolvedChannel[] = [];
  for (const channel of channels) (channel.dedicated ? own : shared).push(channel);
  const first = shared[0];
  if (first) await ensureStream(jsm, { name: first.stream, subjects: shared.map((c) => c.subject), maxAgeMs: first.maxAgeMs, maxMessages: first.maxMessages }, log, replicas);
  for (const channel of own) await ensureStream(jsm, { name: channel.stream, subjects: [channel.subject], maxAgeMs: channel.maxAgeMs, maxMessages: channel.maxMessages }, log, replicas);
}
