// KV calls that met "no responders" ran into nothing at all (a bucket created a moment ago, a restarting server): nothing stored them, so trying again cannot duplicate a write.
import { errors } from '@nats-io/nats-core';

const ATTEMPTS = 6;
const FIRST_DELAY_MS = 25;

function isNoResponders(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; current && depth < 4; depth++) {
    if (current instanceof errors.NoRespondersError) return true;
    if (current instanceof errors.RequestError && current.isNoResponders()) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Runs fn, again after 25, 50, … ms (under 1 s in all) while it fails with "no responders"; any other error at once. */
export async function retryNoResponders<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= ATTEMPTS || !isNoResponders(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, FIRST_DELAY_MS * 2 ** (attempt - 1)));
    }
  }
}
