// Before answering about an orchestration, pick up results and completions that arrived without an event.
import { isLoomError } from '../../../core/index.js';
import type { ShuttleRuntime } from '../engine/runtime.js';

export async function refresh(runtime: ShuttleRuntime, id: string): Promise<void> {
  try {
    await runtime.reconcile(id);
  } catch (err) {
    if (isLoomError(err, 'LOOM_ERR_NOT_FOUND')) throw err;
    // The answer still comes from what is stored; the retry loop tries again.
    runtime.log.warn({ err, orchestrationId: id }, 'could not re-check the orchestration before answering');
  }
}
