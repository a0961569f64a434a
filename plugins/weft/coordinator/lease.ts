// The HA lease: one KV key that the acting weft instance renews by compare-and-set; a lapsed lease is taken over.
import { isLoomError, type KvBucket, type Logger } from '../../../core/index.js';

export interface LeaseValue {
  holder: string;
  expiresAt: number;
  acquiredAt: number;
}

export interface Lease {
  isHeld(): boolean;
  holder(): string | undefined;
  /** Starts competing; resolves after the first attempt (so a lone instance holds the lease when start() returns). */
  start(): Promise<void>;
  /** Stops renewing and releases the lease so another instance takes over at once. */
  stop(): Promise<void>;
}

export interface LeaseOptions {
  bucket: () => Promise<KvBucket>;
  key: string;
  instanceId: string;
  ttlMs: number;
  renewMs: number;
  log: Logger;
  onChange(held: boolean): void;
}

export function createLease(options: LeaseOptions): Lease {
  const { key, instanceId, ttlMs, renewMs, log } = options;
  let held = false;
  // Local deadline: we stop acting when it passes even if NATS never told us we lost the lease.
  let heldUntil = 0;
  let knownHolder: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> | undefined;

  const setHeld = (value: boolean) => {
    if (value === held) return;
    held = value;
    log.info({ instanceId, held }, held ? 'weft holds the lease: acting' : 'weft lost the lease: standing by');
    options.onChange(held);
  };

  async function attempt(): Promise<number> {
    const bucket = await options.bucket();
    const now = Date.now();
    const entry = await bucket.get<LeaseValue>(key);
    const mine: LeaseValue = { holder: instanceId, expiresAt: now + ttlMs, acquiredAt: held && entry?.value.holder === instanceId ? entry.value.acquiredAt : now };
    try {
      if (!entry) await bucket.create(key, mine);
      else if (entry.value.holder === instanceId || entry.value.expiresAt <= now) await bucket.update(key, mine, entry.revision);
      else {
        knownHolder = entry.value.holder;
        setHeld(false);
        // Try again right after the holder's lease would lapse, or at the next renew tick, whichever is first.
        return Math.max(50, Math.min(renewMs, entry.value.expiresAt - now + 25));
      }
    } catch (err) {
      if (!isLoomError(err, 'LOOM_ERR_CONFLICT')) throw err;
      setHeld(false);
      return Math.min(renewMs, 250);
    }
    knownHolder = instanceId;
    heldUntil = now + ttlMs - Math.min(renewMs, ttlMs / 4);
    setHeld(true);
    return renewMs;
  }

  const loop = async () => {
    if (stopped) return;
    let next = renewMs;
    try {
      next = await attempt();
    } catch (err) {
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'lease check failed');
      if (held && Date.now() >= heldUntil) setHeld(false);
      next = Math.min(renewMs, 500);
    }
    if (!stopped) timer = setTimeout(() => void (running = loop()), next);
  };

  return {
    isHeld: () => held && Date.now() < heldUntil,
    holder: () => knownHolder,
    start() {
      stopped = false;
      running = loop();
      return running;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
      if (!held) return;
      setHeld(false);
      try {
        const bucket = await options.bucket();
        const entry = await bucket.get<LeaseValue>(key);
        if (entry?.value.holder === instanceId) await bucket.update(key, { ...entry.value, expiresAt: 0 }, entry.revision);
      } catch (err) {
        log.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not release the lease; it lapses by itself');
      }
    },
  };
}
