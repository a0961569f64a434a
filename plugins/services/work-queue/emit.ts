// Publishes a work event and calls the workStateChange hook, after the state changed: neither can undo it.
import type { Logger, PluginHooks, WorkEvent, WorkEventsService } from '../../../core/index.js';

export interface EmitWorkEvent {
  (event: Omit<WorkEvent, 'at'>): Promise<void>;
  /** Publishes the events still waiting for their turn (at shutdown, before the connection goes). */
  flush(): void;
}

/**
 * Events are published on the next turn of the event loop, in the order they were emitted: the claim, offer or
 * completion that caused one answers its caller first (a claim_work reply no longer waits for an event's encoding and
 * publish). The state change is already recorded, so an event a crash loses in that gap was at risk anyway.
 */
export function createEmitter(events: WorkEventsService, hooks: PluginHooks, log: Logger): EmitWorkEvent {
  let waiting: WorkEvent[] = [];
  const flush = () => {
    const batch = waiting;
    waiting = [];
    // Events from one connection reach the stream in the order they were published.
    for (const event of batch) events.publish(event).catch((err: unknown) => log.error({ err, workId: event.workId, type: event.type }, 'could not publish a work event'));
  };
  const emit = async (event: Omit<WorkEvent, 'at'>) => {
    if (waiting.push({ ...event, at: new Date().toISOString() }) === 1) setImmediate(flush);
    try {
      await hooks.workStateChange.promise({ projectId: event.projectId, workId: event.workId, state: event.type, ...(event.agentId ? { agentId: event.agentId } : {}) });
    } catch (err) {
      log.warn({ err, workId: event.workId, type: event.type }, 'a workStateChange hook failed');
    }
  };
  return Object.assign(emit, { flush });
}
