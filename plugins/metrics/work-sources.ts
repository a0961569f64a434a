// The workStateChange hook has two callers: weft reports its record states (pending, assigned, in-progress, completed,
// failed, cancelled, always with `previous` once a record changes), the work queue its event types (offered, claimed,
// progress, completed, …, never with `previous`). This tells them apart.
import type { WorkStateChange } from '../../core/index.js';

const WEFT_ONLY = new Set(['pending', 'assigned', 'in-progress']);
const QUEUE_ONLY = new Set(['offered', 'claimed', 'progress', 'retrying', 'dead-lettered', 'retried', 'discarded']);

/** completed, failed and cancelled exist in both: without `previous` they are read as queue events. */
export function sourceOf(change: WorkStateChange): 'weft' | 'queue' {
  if (WEFT_ONLY.has(change.state)) return 'weft';
  if (QUEUE_ONLY.has(change.state)) return 'queue';
  return change.previous !== undefined ? 'weft' : 'queue';
}
