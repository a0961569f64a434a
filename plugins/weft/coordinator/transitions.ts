// How a work event moves a work record: pending → assigned → in-progress → completed | failed | cancelled.
import type { WorkEvent } from '../../../core/index.js';
import { FINAL_STATES, type HistoryEntry, type WorkRecord, type WorkState } from '../schemas/work.js';

export function eventCause(event: WorkEvent): string {
  return `${event.type}@${event.at}@${event.agentId ?? '-'}@${event.attempt ?? '-'}`;
}

/** A record for work weft did not submit (warp's broadcast_work_offer, shuttle): known only from its events. */
export function recordFromEvent(event: WorkEvent): WorkRecord {
  return {
    workId: event.workId,
    projectId: event.projectId,
    ...(event.taskId ? { taskId: event.taskId } : {}),
    description: event.note ?? '',
    capability: event.capability,
    priority: 5,
    state: 'pending',
    attempt: 0,
    source: 'queue',
    history: [],
    createdAt: event.at,
    updatedAt: event.at,
  };
}

function withEntry(record: WorkRecord, entry: HistoryEntry, patch: Partial<WorkRecord>, historyLimit: number): WorkRecord {
  const history = [...record.history, entry];
  return { ...record, ...patch, history: history.length > historyLimit ? history.slice(history.length - historyLimit) : history, updatedAt: new Date().toISOString() };
}

/**
 * Events are published without waiting, so a retried publish can land a claim after the completion it led to: the
 * claim goes into the history just before that completion, and the outcome stays. A claim of another attempt or agent
 * (one that lost the item earlier) changes nothing.
 */
function claimBeforeCompletion(record: WorkRecord, entry: HistoryEntry, historyLimit: number): WorkRecord | undefined {
  const at = record.history.findLastIndex((h) => h.state === 'completed');
  const completion = record.history[at];
  if (!completion || completion.agentId !== entry.agentId || completion.attempt !== entry.attempt) return undefined;
  const history = [...record.history.slice(0, at), entry, ...record.history.slice(at)];
  return { ...record, history: history.length > historyLimit ? history.slice(history.length - historyLimit) : history, updatedAt: new Date().toISOString() };
}

/** A holder giving its item back (a worker shutting down) re-offers it; every other offer repeats the first. */
const isRelease = (event: WorkEvent): boolean => event.type === 'offered' && event.note?.startsWith('released') === true;

/** False for an event that leaves any existing record as it is (applyWorkEvent returns undefined for it, whatever the
 *  record holds): then knowing that the record exists is enough, and it need not be read. */
export function canChangeExisting(event: WorkEvent): boolean {
  return event.type !== 'offered' || isRelease(event);
}

/** The next record, or undefined when the event changes nothing (already applied, or irrelevant in this state). */
export function applyWorkEvent(current: WorkRecord | undefined, event: WorkEvent, historyLimit = 200): WorkRecord | undefined {
  const cause = eventCause(event);
  if (current?.history.some((entry) => entry.cause === cause)) return undefined;
  const record = current ?? recordFromEvent(event);
  const base = { at: event.at, cause, ...(event.agentId ? { agentId: event.agentId } : {}), ...(event.attempt !== undefined ? { attempt: event.attempt } : {}) };
  const move = (state: WorkState, note: string | undefined, patch: Partial<WorkRecord> = {}) =>
    withEntry(record, { ...base, state, ...(note ? { note } : {}) }, { state, ...patch }, historyLimit);
  const fresh = current === undefined;

  if (record.state === 'cancelled' && event.type !== 'cancelled') {
    // Cancelled is final: later events are recorded as notes, never as a change of outcome.
    if (event.type === 'claimed' || event.type === 'completed' || event.type === 'failed' || event.type === 'dead-lettered') {
      return move('cancelled', `${event.type} by ${event.agentId ?? 'the queue'} after cancellation; the item stays cancelled`);
    }
    return undefined;
  }

  switch (event.type) {
    case 'offered':
      if (fresh) return move('pending', `offered on the ${event.capability} queue`);
      // Only the holder giving the item back (a worker shutting down) re-offers it. The original offer's event comes
      // from another process than the claim's and may arrive after it: it must not undo the claim.
      return (record.state === 'assigned' || record.state === 'in-progress') && event.agentId === record.agentId && isRelease(event)
        ? move('pending', event.note)
        : undefined;
    case 'claimed': {
      if (record.state === 'completed') return claimBeforeCompletion(record, { ...base, state: 'assigned', note: `claimed by agent ${event.agentId}` }, historyLimit);
      const lost = (record.state === 'assigned' || record.state === 'in-progress' || (record.state === 'pending' && record.agentId)) && record.agentId && record.agentId !== event.agentId;
      const note = lost ? `reassigned: attempt ${event.attempt ?? '?'} after agent ${record.agentId} lost the item` : `claimed by agent ${event.agentId}`;
      return move('assigned', note, { ...(event.agentId ? { agentId: event.agentId } : {}), attempt: event.attempt ?? record.attempt + 1 });
    }
    case 'progress':
      if (event.agentId && record.agentId && event.agentId !== record.agentId) return undefined;
      if (record.state === 'assigned') return move('in-progress', event.note);
      // weft handed the item back when the agent looked stale, but the agent is still at it.
      if (record.state === 'pending' && record.agentId) return move('in-progress', `agent ${record.agentId} is still working on it`);
      return undefined;
    case 'completed':
      if (record.state === 'completed') return undefined;
      return move('completed', undefined, { ...(event.agentId ? { agentId: event.agentId } : {}), result: event.result });
    case 'retrying':
      return move('pending', `attempt ${event.attempt ?? '?'} failed (${event.error ?? 'no error given'}); retrying`, { ...(event.error ? { error: event.error } : {}) });
    case 'failed':
      if (FINAL_STATES.has(record.state) && record.state !== 'failed') return undefined;
      return move('failed', event.note, { ...(event.error ? { error: event.error } : {}) });
    case 'dead-lettered':
      return move('failed', `dead-lettered${event.error ? `: ${event.error}` : ''}`, { ...(event.error ? { error: event.error } : {}) });
    case 'retried':
      return move('pending', 'retried from the dead-letter queue', { attempt: 0 });
    case 'discarded':
      return record.state === 'failed' ? withEntry(record, { ...base, state: 'failed', note: 'discarded from the dead-letter queue' }, {}, historyLimit) : undefined;
    case 'cancelled':
      return record.state === 'cancelled' || record.state === 'completed' ? undefined : move('cancelled', event.note ?? 'cancelled');
  }
  return undefined;
}
