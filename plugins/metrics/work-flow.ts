// Work as it moves, from the workStateChange hook: weft's record transitions, dispatch latency (queued → an agent
// claimed it) and work duration (claimed → completed or failed); the queue's own events are counted apart.
import { Counter, Histogram, type Registry } from 'prom-client';
import type { PluginHooks } from '../../core/index.js';
import { sourceOf } from './work-sources.js';

/** Items followed at once; beyond it the oldest are forgotten (their latency is then not observed). */
const MAX_FOLLOWED = 50_000;

export function registerWorkFlowMetrics(registry: Registry, hooks: PluginHooks): void {
  const transitions = new Counter({ name: 'loom_work_transitions_total', help: 'Work record state changes weft made, by project and new state', labelNames: ['project', 'state'], registers: [registry] });
  const queueEvents = new Counter({ name: 'loom_work_events_total', help: 'Work queue events that happened in this process (offered, claimed, completed, …), by type', labelNames: ['type'], registers: [registry] });
  const dispatch = new Histogram({
    name: 'loom_work_dispatch_seconds',
    help: 'From an item being queued (submitted, or put back) to an agent claiming it, as weft sees it',
    labelNames: ['project'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'loom_work_duration_seconds',
    help: 'From an agent claiming an item to its completion or failure, by outcome',
    labelNames: ['project', 'outcome'],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 1800, 3600],
    registers: [registry],
  });
  const followed = new Map<string, { queuedAt?: number; assignedAt?: number }>();
  const follow = (key: string) => {
    let entry = followed.get(key);
    if (!entry) {
      if (followed.size >= MAX_FOLLOWED) followed.delete(followed.keys().next().value!);
      followed.set(key, (entry = {}));
    }
    return entry;
  };

  hooks.workStateChange.tap(async (change) => {
    if (sourceOf(change) === 'queue') return void queueEvents.inc({ type: change.state });
    const now = Date.now();
    const key = `${change.projectId}/${change.workId}`;
    transitions.inc({ project: change.projectId, state: change.state });
    if (change.state === 'pending') {
      follow(key).queuedAt = now;
    } else if (change.state === 'assigned') {
      const entry = follow(key);
      if (entry.queuedAt !== undefined) dispatch.observe({ project: change.projectId }, (now - entry.queuedAt) / 1000);
      entry.queuedAt = undefined;
      entry.assignedAt = now;
    } else if (change.state === 'completed' || change.state === 'failed' || change.state === 'cancelled') {
      const entry = followed.get(key);
      if (entry?.assignedAt !== undefined && change.state !== 'cancelled') duration.observe({ project: change.projectId, outcome: change.state }, (now - entry.assignedAt) / 1000);
      followed.delete(key);
    }
  });
}
