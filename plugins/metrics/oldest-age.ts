// Age of the oldest message on each capability's work queue: the first stored message of loom.<p>.work.<capability>.*
// (waiting, or held under a lease: what depth counts too), read without consuming it.
import { createNames, type NatsService } from '../../core/index.js';

export async function oldestAges(nats: NatsService, projectId: string, capabilities: string[], now = Date.now()): Promise<Record<string, number>> {
  const names = createNames(projectId);
  const jsm = await nats.manager();
  const ages: Record<string, number> = {};
  // A STREAM.MSG.GET that meets a stream being created crashes nats-server 2.9 (docs/reliability.md): ask only once the
  // stream's info says it exists. (A consumer cannot be used instead: a work-queue stream refuses overlapping filters.)
  const exists = await jsm.streams.info(names.workStream).then(() => true, () => false);
  if (!exists) return ages;
  for (const capability of capabilities) {
    // next_by_subj on the plain (non-direct) get: the work stream is not created with allow_direct.
    const message = await jsm.streams.getMessage(names.workStream, { seq: 0, next_by_subj: names.workCapabilityWildcard(capability) } as never).catch(() => null);
    if (message) ages[capability] = Math.max(0, (now - message.time.getTime()) / 1000);
  }
  return ages;
}
