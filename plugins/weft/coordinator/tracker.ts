// Follows each project's work events with a durable consumer and moves weft's records; only the lease holder runs it.
import type { WorkEvent, WorkEventSubscription } from '../../../core/index.js';
import type { WorkRecord } from '../schemas/work.js';
import type { Coordinator } from './context.js';
import { hasWritten } from './record-cache.js';
import { applyWorkEvent, canChangeExisting } from './transitions.js';
import { updateRecord } from './work-store.js';

/** weft-<p>-assignments: which agent holds which work item now, and who held it before. */
export interface Assignment {
  workId: string;
  agentId: string;
  attempt: number;
  status: 'active' | 'done' | 'lost';
  since: string;
  previous: Array<{ agentId: string; attempt: number; status: 'done' | 'lost'; until: string }>;
}

const ENDING = new Set(['completed', 'failed', 'dead-lettered', 'cancelled', 'retrying']);

/**
 * Each event costs one to three KV round trips, all for its own work id's keys: one at a time, a project's events
 * were followed at ~1,000/s (a weft started after 12,000 items took 35 s to catch up on their 36,000 events). Work
 * ids are independent, so several are handled at once; one work id's events still apply in order.
 */
const EVENT_CONCURRENCY = 16;

export async function applyEvent(c: Coordinator, event: WorkEvent): Promise<void> {
  const project = c.projects.get(event.projectId);
  const work = await project.workBucket();
  // The offer of an item weft submitted itself: its record exists, and an offer leaves an existing record alone.
  if (!canChangeExisting(event) && hasWritten(work, event.workId)) return;
  // The record as the winning compare-and-set found it (one read fewer than fetching it first).
  let before: WorkRecord | undefined;
  const { value, changed } = await updateRecord<WorkRecord>(work, event.workId, (current) => {
    before = current;
    return applyWorkEvent(current, event, c.options.historyLimit);
  });
  if (!changed || !value) return;
  const assignments = await project.assignmentsBucket();
  if (event.type === 'claimed' && event.agentId && value.state === 'assigned') {
    await updateRecord<Assignment>(assignments, event.workId, (current) => {
      if (current?.status === 'active' && current.agentId === event.agentId && current.attempt === event.attempt) return undefined;
      const ended = current ? [{ agentId: current.agentId, attempt: current.attempt, status: current.status === 'done' ? ('done' as const) : ('lost' as const), until: event.at }] : [];
      const previous = [...(current?.previous ?? []), ...ended].slice(-50);
      return { workId: event.workId, agentId: event.agentId!, attempt: event.attempt ?? value.attempt, status: 'active', since: event.at, previous };
    });
  } else if (ENDING.has(event.type)) {
    await updateRecord<Assignment>(assignments, event.workId, (current) => (current && current.status === 'active' ? { ...current, status: 'done' } : undefined));
  }
  if (event.type === 'claimed' && event.agentId && value.decision?.allowedAgentTypes.length) await checkEligibleClaim(c, event, value);
  if (before?.state !== value.state) {
    await c.stateChanged({ projectId: event.projectId, workId: event.workId, state: value.state, ...(before ? { previous: before.state } : {}), ...(value.agentId ? { agentId: value.agentId } : {}) });
  }
}

export interface Tracker {
  follow(projectId: string): Promise<void>;
  stop(): Promise<void>;
}

export function createTracker(c: Coordinator): Tracker {
  const subscriptions = new Map<string, Promise<WorkEventSubscription | undefined>>();
  return {
    async follow(projectId) {
      if (subscriptions.has(projectId)) return;
      const names = c.projects.get(projectId).names;
      const pending = c
        .workEvents()
        .follow({ projectId, durable: names.weftEventsDurable, fromStart: true, concurrency: EVENT_CONCURRENCY }, (event) => applyEvent(c, event))
        .catch((err: unknown) => {
          subscriptions.delete(projectId);
          c.ctx.log.warn({ err, projectId }, 'could not follow the work events of a project; retrying at the next discovery');
          return undefined;
        });
      subscriptions.set(projectId, pending);
      await pending;
    },
    async stop() {
      const all = [...subscriptions.values()];
      subscriptions.clear();
      for (const pending of all) await (await pending)?.stop().catch(() => undefined);
    },
  };
}

/** The queue does not filter claims by agent type: a claim the routing decision forbids is recorded and logged. */
async function checkEligibleClaim(c: Coordinator, event: WorkEvent, record: WorkRecord): Promise<void> {
  const project = c.projects.get(event.projectId);
  const agent = await project.registry().get(event.agentId!).catch(() => null);
  const allowed = record.decision!.allowedAgentTypes;
  if (!agent || allowed.includes(agent.agentType)) return;
  const note = `claimed by agent ${event.agentId} of type ${agent.agentType}, which routing does not allow (${allowed.join(', ')} only)`;
  c.ctx.log.warn({ projectId: event.projectId, workId: event.workId, agentId: event.agentId, agentType: agent.agentType, allowed }, 'work claimed by an agent type its routing decision does not allow');
  await updateRecord<WorkRecord>(await project.workBucket(), event.workId, (current) =>
    current && !current.history.some((entry) => entry.note === note) ? { ...current, history: [...current.history, { state: current.state, at: new Date().toISOString(), agentId: event.agentId!, note }] } : undefined,
  );
}
