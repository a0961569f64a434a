// Live events of one project for SSE and the dashboard: work events, weft's record changes and agent status changes.
// Started on the first subscriber and stopped after the last, so idle projects cost nothing; works on any instance.
import { effectiveStatus, natsService, type AgentEntry, type WeftEvent } from '../../../core/index.js';
import type { WorkRecord } from '../schemas/work.js';
import type { Coordinator } from './context.js';

type Listener = (event: WeftEvent) => void;

interface Feed {
  listeners: Set<Listener>;
  stop: Array<() => Promise<void> | void>;
}

export function createEventsFeed(c: Coordinator, agentCheckMs: number) {
  const feeds = new Map<string, Promise<Feed>>();

  async function start(projectId: string): Promise<Feed> {
    const project = c.projects.get(projectId);
    const feed: Feed = { listeners: new Set(), stop: [] };
    const emit = (event: WeftEvent) => {
      for (const listener of feed.listeners) listener(event);
    };
    const nc = await c.ctx.use(natsService).connection();
    const sub = nc.subscribe(project.names.workEventsWildcard, {
      callback: (err, msg) => {
        if (err) return;
        try {
          emit({ type: 'work-event', projectId, data: JSON.parse(msg.string()) as Record<string, unknown> });
        } catch {
          // not JSON: not ours to show
        }
      },
    });
    feed.stop.push(() => sub.unsubscribe());
    const watch = await (await project.workBucket()).watch<WorkRecord>((change) => {
      const record = change.value;
      emit({ type: 'work', projectId, data: { workId: change.key, op: change.op, ...(record ? { state: record.state, capability: record.capability, agentId: record.agentId, updatedAt: record.updatedAt } : {}) } });
    });
    feed.stop.push(() => watch.stop());

    // Staleness has no write of its own (the agent just stops), so statuses are also compared on a timer.
    const registry = project.registry();
    const lastStatus = new Map<string, string>();
    const report = (entry: AgentEntry | null, agentId: string) => {
      // The index also holds public and personal agents of other projects: a project's stream shows only its own.
      if (entry ? entry.projectId !== projectId : !lastStatus.has(agentId)) return;
      const status = entry ? effectiveStatus(entry) : 'gone';
      if (lastStatus.get(agentId) === status) return;
      lastStatus.set(agentId, status);
      emit({ type: 'agent', projectId, data: { agentId, status, ...(entry ? { agentType: entry.agentType, capabilities: entry.capabilities, lastSeen: entry.lastSeen } : {}) } });
    };
    feed.stop.push(registry.onChange(report));
    const timer = setInterval(() => {
      void registry.discover().then((entries) => {
        for (const entry of entries) if (entry.projectId === projectId) report(entry, entry.id);
      }, () => undefined);
    }, agentCheckMs);
    feed.stop.push(() => clearInterval(timer));
    for (const entry of await registry.discover()) if (entry.projectId === projectId) lastStatus.set(entry.id, effectiveStatus(entry));
    return feed;
  }

  return {
    async subscribe(projectId: string, listener: Listener): Promise<() => void> {
      let pending = feeds.get(projectId);
      if (!pending) {
        pending = start(projectId);
        feeds.set(projectId, pending);
        pending.catch(() => feeds.delete(projectId));
      }
      const feed = await pending;
      feed.listeners.add(listener);
      return () => {
        feed.listeners.delete(listener);
        if (feed.listeners.size === 0 && feeds.get(projectId) === pending) {
          feeds.delete(projectId);
          for (const stop of feed.stop) void Promise.resolve(stop()).catch(() => undefined);
        }
      };
    },
    async stopAll(): Promise<void> {
      const all = [...feeds.values()];
      feeds.clear();
      for (const pending of all) {
        const feed = await pending.catch(() => undefined);
        for (const stop of feed?.stop ?? []) await Promise.resolve(stop()).catch(() => undefined);
      }
    },
  };
}
