// Applies one work event (claimed, completed, failed, dead-lettered, retried, …) to a subtask; pure and idempotent.
import type { WorkEvent } from '../../../core/index.js';
import type { Orchestration, ResultMeta } from './record.js';

/** Returns whether the record changed. `result` is the result recorded for a completion (whoever delivered it first). */
export function applyWorkEvent(record: Orchestration, event: WorkEvent, result?: ResultMeta): boolean {
  const subtask = record.subtasks.find((candidate) => candidate.workId === event.workId);
  if (!subtask) return false;
  const before = JSON.stringify(subtask);
  switch (event.type) {
    case 'offered':
      if (subtask.state === 'pending') {
        subtask.state = 'offered';
        subtask.offeredAt ??= event.at;
      }
      break;
    case 'claimed':
      if (subtask.state === 'pending' || subtask.state === 'offered') {
        subtask.state = 'claimed';
        subtask.claimedAt = event.at;
      }
      if (subtask.state === 'claimed') {
        if (event.agentId) subtask.agentId = event.agentId;
        if (event.attempt !== undefined) subtask.attempt = event.attempt;
      }
      break;
    case 'retrying':
      if (event.error) subtask.lastError = event.error.slice(0, 2000);
      break;
    case 'completed':
      subtask.workCompleted = true;
      if (subtask.state !== 'completed' && result) complete(subtask, result);
      break;
    case 'failed':
    case 'dead-lettered':
    case 'cancelled':
      if (subtask.state !== 'completed') {
        subtask.state = 'failed';
        subtask.failedAt ??= event.at;
        // Both `failed` and `dead-lettered` carry the worker's error and the reason, and the shuttle processes sharing
        // the events consumer may apply them in either order: each part is kept once, whichever event comes first.
        // Capped: the record is one KV value, and an error may be as long as a worker's stderr.
        const parts = [event.error, event.note].filter((part): part is string => Boolean(part)).map((part) => part.slice(0, 2000));
        for (const why of parts.length ? parts : [event.type]) {
          if (!subtask.error) subtask.error = why;
          else if (!subtask.error.includes(why)) subtask.error = `${subtask.error}; ${why}`;
        }
      }
      break;
    case 'retried':
      // Put back from the dead-letter queue: the subtask is in play again, in a new round.
      if (subtask.state === 'failed' && !record.synthesisStartedAt) {
        subtask.round += 1;
        subtask.state = 'offered';
        subtask.offeredAt = event.at;
        delete subtask.error;
        delete subtask.failedAt;
        delete subtask.claimedAt;
      }
      break;
    default:
      break;
  }
  return JSON.stringify(subtask) !== before;
}

export function complete(subtask: Orchestration['subtasks'][number], result: ResultMeta): void {
  subtask.state = 'completed';
  subtask.result = result;
  delete subtask.lastError;
  delete subtask.error;
  delete subtask.failedAt;
}
