// Before a poll pass: which of a claim's levels hold any message at all, from one stream info per capability.
import type { QueueContext, QueueTransport } from './queue-context.js';
import type { SourceGroup } from './work-sources.js';

/**
 * A parked claimer wakes every claimPollMs for redeliveries, which no offer announces (a nak's delay ending, a lease
 * running out). Pulling each of ten levels for that made an idle claimer send twenty pulls a second, so a thousand
 * idle agents kept the server busy with twenty thousand. A redelivery can only come from a level that still stores a
 * message (a work-queue stream drops what is acked): one stream info with a subjects filter tells which, and the
 * others are marked empty as if a pull had found them so. Snapshots are taken first, so an offer arriving meanwhile
 * still counts. When the info fails (an old server, a permission), every level is simply pulled as before.
 */
export async function markUnstoredEmpty(q: QueueContext, bands: QueueTransport['bands'], groups: readonly SourceGroup[]): Promise<void> {
  const jsm = await q.nats.manager();
  await Promise.all(
    groups.map(async (group) => {
      const snapshots = group.sources.map((source) => bands.before(source));
      try {
        const info = await jsm.streams.info(group.stream, { subjects_filter: group.wake });
        const stored = info.state.subjects ?? {};
        group.sources.forEach((source, i) => {
          if (!stored[source.subject]) bands.found(source, snapshots[i], true);
        });
      } catch (err) {
        q.log.debug({ err, stream: group.stream }, 'could not read which work levels hold messages; pulling each');
      }
    }),
  );
}
