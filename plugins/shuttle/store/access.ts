// Shared-or-local access: run against KV when NATS is usable, else (or when KV fails) against the work directory.
import { isLoomError, type Logger } from '../../../core/index.js';
import type { Link } from './link.js';

export interface Access {
  degraded: boolean;
  degradedReason?: string;
}

export const sharedAccess: Access = { degraded: false };
export const degradedAccess = (reason: string | undefined): Access => ({ degraded: true, degradedReason: reason ?? 'NATS is unavailable' });

/** A storage call failed for a reason other than a CAS conflict: answer from the filesystem instead. */
export class SharedUnavailable extends Error {}

/** Wraps one storage call: a conflict stays a conflict, anything else means the shared store is unavailable. */
export async function kv<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (isLoomError(err, 'LOOM_ERR_CONFLICT')) throw err;
    throw new SharedUnavailable(`the shared store did not answer (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
}

export type Either = <T>(shared: () => Promise<T>, local: (reason: string | undefined) => Promise<T>) => Promise<T>;

export function createEither(link: Link, log: Logger): Either {
  return async (shared, local) => {
    const state = await link.check();
    if (!state.ok) return local(state.reason);
    try {
      return await shared();
    } catch (err) {
      if (!(err instanceof SharedUnavailable)) throw err;
      log.warn({ err: err.message }, 'shared store unavailable; using the work directory');
      return local(err.message);
    }
  };
}
