// One project's view of the work queue: offer, claim, outcomes, depth and dead letters, over the shared process state.
import { assertToken, formatIssues, LoomError, producerTraceparent, workOfferSchema, type ProjectWorkQueue } from '../../../core/index.js';
import type { QueueContext } from './queue-context.js';
import { publishWork } from './publish-work.js';
import { claimWork } from './claim.js';
import { cancelWork, completeHeld, failHeld, handBackWork, progressHeld, releaseHeld } from './outcomes.js';
import { discardDeadLetter, listDeadLetters, retryDeadLetter } from './dead-letters.js';
import { removeSettledLeftovers } from './settled-leftovers.js';

export function createProjectWorkQueue(q: QueueContext, projectId: string): ProjectWorkQueue {
  const names = q.names(projectId);
  return {
    projectId: names.projectId,
    async offer(input) {
      const parsed = workOfferSchema.safeParse(input);
      if (!parsed.success) throw new LoomError('LOOM_ERR_INVALID_INPUT', `work offer: ${formatIssues(parsed.error)}`, { issues: parsed.error.issues });
      assertToken('workId', parsed.data.workId);
      assertToken('capability', parsed.data.capability);
      // W3C trace context: a producer span under the given traceparent (else the active span) travels with the item.
      const traceparent = producerTraceparent('loom.work.offer', { 'loom.work_id': parsed.data.workId, 'loom.capability': parsed.data.capability, 'loom.project_id': names.projectId }, parsed.data.traceparent);
      const offer = { ...parsed.data, ...(traceparent ? { traceparent } : {}) };
      const published = await publishWork(q, { ...offer, projectId: names.projectId, offeredAt: new Date().toISOString(), priorAttempts: 0, retries: 0 }, offer.workId);
      if (!published.duplicate) {
        await q.emit({ type: 'offered', projectId: names.projectId, workId: offer.workId, capability: offer.capability, agentId: offer.offeredBy, ...(offer.taskId ? { taskId: offer.taskId } : {}), ...(offer.traceparent ? { traceparent: offer.traceparent } : {}) });
      }
      return { workId: offer.workId, duplicate: published.duplicate };
    },
    claim(capability, options) {
      const capabilities = (typeof capability === 'string' ? [capability] : [...capability]).map((c) => assertToken('capability', c));
      if (capabilities.length === 0) throw new LoomError('LOOM_ERR_INVALID_INPUT', 'claim: at least one capability is required', { field: 'capability' });
      return claimWork(q, names, capabilities, options);
    },
    progress: (workId, agentId, note) => progressHeld(q, workId, agentId, note),
    complete: (workId, agentId, result) => completeHeld(q, names, workId, agentId, result),
    fail: (workId, agentId, error, retryable) => failHeld(q, workId, agentId, error, retryable),
    release: (workId, agentId) => releaseHeld(q, workId, agentId),
    handBack: (workId, agentId, attempt) => handBackWork(q, names, assertToken('workId', workId), agentId, attempt),
    async depth() {
      await q.topology.workStream(names);
      const jsm = await q.nats.manager();
      let info = await jsm.streams.info(names.workStream, { subjects_filter: names.workWildcard });
      // Messages its consumers already acked (a broker crash can leave some) are not waiting work: remove, then count.
      if (info.state.messages > 0 && (await removeSettledLeftovers(jsm, info, q.log)) > 0) info = await jsm.streams.info(names.workStream, { subjects_filter: names.workWildcard });
      const depth: Record<string, number> = {};
      for (const [subject, count] of Object.entries(info.state.subjects ?? {})) {
        const capability = subject.split('.')[3];
        if (capability) depth[capability] = (depth[capability] ?? 0) + count;
      }
      return depth;
    },
    listDeadLetters: (options) => listDeadLetters(q, names, options),
    retryDeadLetter: (id, options) => retryDeadLetter(q, names, id, options.resetAttempts),
    discardDeadLetter: (id) => discardDeadLetter(q, names, id),
    completion: (workId) => q.records.completion(names, assertToken('workId', workId)),
    cancel: (workId) => cancelWork(q, names, assertToken('workId', workId)),
    held: () => [...q.held.entries()].filter(([, held]) => held.origin.projectId === names.projectId || held.message.scope === 'public').map(([workId]) => workId),
  };
}
