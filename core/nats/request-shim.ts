// nats.js 3.4 ends every request by rejecting its already-settled promise with a new RequestError("cancelled"): a
// no-op for the promise, but each one captures a stack trace. Under load that was a sixth of a work item's CPU (work
// end to end 938/870/970 → 1,098/1,044/1,134 items/s in alternating runs). This drops only that dead allocation.
import { RequestOne } from '@nats-io/nats-core/internal';

const PATCHED = Symbol.for('loominal.request-one.settled-cancel');
const SETTLED = Symbol('settled');

interface RequestOneShape {
  resolver(err: Error | null, msg: unknown): void;
  cancel(err?: Error): void;
  timer?: { cancel(): void };
  mux: { cancel(request: unknown): void };
  [SETTLED]?: boolean;
}

/**
 * Idempotent. A cancel() after the answer (or error) arrived still stops the timer and frees the mux slot; a cancel
 * before it (a timeout, a failed publish, a caller's cancel) goes to nats.js untouched. Returns false when nats.js no
 * longer has the shape this relies on, so a test notices an upgrade that makes the shim moot.
 */
export function skipSettledRequestErrors(): boolean {
  const proto = (RequestOne as unknown as { prototype?: RequestOneShape & { [PATCHED]?: true } } | undefined)?.prototype;
  if (!proto || typeof proto.resolver !== 'function' || typeof proto.cancel !== 'function') return false;
  if (proto[PATCHED]) return true;
  const resolver = proto.resolver;
  const cancel = proto.cancel;
  proto.resolver = function (this: RequestOneShape, err, msg) {
    this[SETTLED] = true;
    resolver.call(this, err, msg);
  };
  proto.cancel = function (this: RequestOneShape, err) {
    if (err !== undefined || !this[SETTLED]) return cancel.call(this, err);
    this.timer?.cancel();
    this.mux.cancel(this);
  };
  proto[PATCHED] = true;
  return true;
}
