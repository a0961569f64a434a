// Creates a stream if it is missing, else aligns only the settings the caller names: replicas and the rest stay as they are.
import { JetStreamApiCodes, JetStreamApiError, type JetStreamManager, type StreamConfig, type StreamInfo } from '@nats-io/jetstream';
import type { Logger } from '../log.js';
import { isPermissionViolation } from './nats-errors.js';

export interface EnsureStreamOptions {
  /** Replicas when this call creates the stream (nats.replicas); an existing stream keeps its own. */
  replicas?: number;
  log?: Logger;
}

const isStreamNotFound = (err: unknown) => err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound;

function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && [...a].sort().every((v, i) => v === [...b].sort()[i]);
  return a === b;
}

/**
 * Reads first, so a process that may only read stream info (a `loom auth` agent user, with streams provisioned for it)
 * never asks for more; creates the stream when it is missing; updates it only when one of the settings in `config`
 * differs, merging onto the existing config so that another process's replicas or limits are never reset.
 */
export async function ensureStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }, options: EnsureStreamOptions = {}): Promise<StreamInfo> {
  const found = await jsm.streams.info(config.name).catch((err: unknown) => {
    if (isStreamNotFound(err)) return null;
    throw err;
  });
  let info: StreamInfo;
  if (found) info = found;
  else {
    try {
      return await jsm.streams.add({ ...config, num_replicas: options.replicas ?? 1 });
    } catch (err) {
      // Created by another process in between: go on with what it created.
      info = await jsm.streams.info(config.name).catch(() => Promise.reject(err));
    }
  }
  const existing = info.config as unknown as Record<string, unknown>;
  const differs = Object.entries(config).filter(([key, value]) => key !== 'name' && key !== 'num_replicas' && !same(existing[key], value));
  if (differs.length === 0) return info;
  options.log?.info({ stream: config.name, settings: differs.map(([key]) => key) }, 'updating stream settings');
  try {
    return await jsm.streams.update(config.name, { ...info.config, ...config, num_replicas: info.config.num_replicas });
  } catch (err) {
    // A user without update rights (loom auth agents; streams are provisioned for them) works with the stream as it is.
    if (!isPermissionViolation(err)) throw err;
    options.log?.warn({ stream: config.name, settings: differs.map(([key]) => key) }, 'stream settings differ from this process\'s, and this NATS user may not update them; using the stream as it is');
    return info;
  }
}
