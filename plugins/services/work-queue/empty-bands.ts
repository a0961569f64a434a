// Bands a pull found empty moments ago with no offer seen there since: a claim skips them and saves a round trip.
import type { Arrivals, WakeHub } from './wake.js';
import type { WorkSource } from './work-sources.js';

export interface EmptyBands {
  /** What to pass to found(): taken just before the pull, so an offer arriving during it counts as "since". */
  before(source: WorkSource): Snapshot | undefined;
  /** Records what a pull of the source found. */
  found(source: WorkSource, snapshot: Snapshot | undefined, empty: boolean): void;
  /**
   * `empty`: found empty within freshMs and no offer arrived since (skip it); `arrived`: found empty, and an offer
   * arrived since (it may still be on its way into the stream: pull with a short wait); `unknown`: just pull.
   * `only`: exactly one offer arrived since, this one: it is almost surely what the pull will get.
   */
  state(source: WorkSource): { kind: 'empty' | 'arrived' | 'unknown'; only?: Arrivals['last'] };
}

type Snapshot = Arrivals;

/**
 * A core subscriber can see an offer before the stream has stored it, so a no-wait pull right after the wake may find
 * nothing; a band with an arrival is therefore pulled with a short wait instead.
 * New offers always wake the subscription, so only redeliveries (a nak's delay ending, a lease running out) can fill a
 * band unseen; freshMs bounds how long one may wait behind lower bands. A claimer parked on its wake re-checks every
 * band each claimPollMs anyway, so freshMs = claimPollMs adds no delay that was not there before.
 */
export function createEmptyBands(hub: WakeHub, freshMs: number): EmptyBands {
  const empty = new Map<string, Snapshot & { at: number }>();
  const key = (source: WorkSource) => `${source.stream}/${source.consumer}`;
  return {
    before: (source) => hub.arrivals(source.wake, source.subject),
    found(source, snapshot, isEmpty) {
      if (isEmpty && snapshot) empty.set(key(source), { ...snapshot, at: Date.now() });
      else empty.delete(key(source));
    },
    state(source) {
      const known = empty.get(key(source));
      if (!known) return { kind: 'unknown' };
      const now = hub.arrivals(source.wake, source.subject);
      if (now === undefined || now.subscription !== known.subscription || Date.now() - known.at >= freshMs) {
        empty.delete(key(source));
        return { kind: 'unknown' };
      }
      if (now.count === known.count) return { kind: 'empty' };
      return now.count === known.count + 1 && now.last ? { kind: 'arrived', only: now.last } : { kind: 'arrived' };
    },
  };
}
