// Publishes a work event and calls the workStateChange hook, after the state changed: neither can undo it.
import type { Logger, PluginHooks, WorkEvent, WorkEventsService } from '../../../core/index.js';

export type EmitWorkEvent = (event: Omit<WorkEvent, 'at'>) => Promise<void>;

export function createEmitter(events: WorkEventsService, hooks: PluginHooks, log: Logger): EmitWorkEvent {
  return async (event) => {
    const full: WorkEvent = { ...event, at: new Date().toISOString() };
    // Not awaited: the state change is already recorded; events from one connection reach the stream in order.
    events.publish(full).catch((err: unknown) => log.error({ err, workId: event.workId, type: event.type }, 'could not publish a work event'));
    try {
      await hooks.workStateChange.promise({ projectId: event.projectId, workId: event.workId, state: event.type, ...(event.agentId ? { agentId: event.agentId } : {}) });
    } catch (err) {
      log.warn({ err, workId: event.workId, type: event.type }, 'a workStateChange hook failed');
    }
  };
}
