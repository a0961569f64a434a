// Statistics: per project (agents by status, work by state, queue depth, dead letters) and across projects.
import { effectiveStatus, type AgentEntry, type WeftCaller } from '../../../core/index.js';
import type { WorkRecord } from '../schemas/work.js';
import type { ProjectStats } from '../schemas/stats.js';
import type { Coordinator } from './context.js';
import { countByState } from './work-store.js';

export async function projectAgents(c: Coordinator, projectId: string): Promise<AgentEntry[]> {
  // discover() also returns public and personal agents of other projects; a project's view holds only its own.
  return (await c.projects.get(projectId).registry().discover()).filter((agent) => agent.projectId === projectId);
}

export function countAgents(agents: ReadonlyArray<AgentEntry>, now = Date.now()) {
  const counts = { online: 0, busy: 0, offline: 0 };
  for (const agent of agents) counts[effectiveStatus(agent, now)]++;
  return counts;
}

export async function projectStats(c: Coordinator, projectId: string): Promise<ProjectStats> {
  const project = c.projects.get(projectId);
  const [agents, records, queueDepth, deadLetters] = await Promise.all([
    projectAgents(c, projectId),
    project.workBucket().then((bucket) => bucket.list<WorkRecord>()),
    project.queue().depth().catch(() => ({})),
    project.queue().listDeadLetters({ limit: 1000 }).then((page) => page.items.length, () => 0),
  ]);
  return { projectId, agents: countAgents(agents), work: countByState(records.map((entry) => entry.value)), queueDepth, deadLetters };
}

export function visibleProjects(c: Coordinator, caller: WeftCaller): string[] {
  const known = c.projects.known();
  return caller.projects === 'all' ? known : known.filter((id) => caller.projects.includes(id));
}

export async function projectsList(c: Coordinator, caller: WeftCaller) {
  await c.projects.discover().catch(() => undefined);
  const projects = await Promise.all(
    visibleProjects(c, caller).map(async (projectId) => {
      const project = c.projects.get(projectId);
      const [agents, work] = await Promise.all([projectAgents(c, projectId).catch(() => []), project.workBucket().then((bucket) => bucket.keys(), () => [])]);
      const online = agents.filter((agent) => effectiveStatus(agent) !== 'offline').length;
      return { projectId, agents: online, work: work.length, lastActivity: new Date(project.lastActivity).toISOString() };
    }),
  );
  return { projects };
}

export async function globalStats(c: Coordinator, caller: WeftCaller) {
  const ids = visibleProjects(c, caller);
  const agents = { online: 0, busy: 0, offline: 0 };
  const work: Record<string, number> = {};
  for (const projectId of ids) {
    const stats = await projectStats(c, projectId).catch(() => undefined);
    if (!stats) continue;
    for (const key of Object.keys(agents) as Array<keyof typeof agents>) agents[key] += stats.agents[key];
    for (const [state, n] of Object.entries(stats.work)) work[state] = (work[state] ?? 0) + n;
  }
  return { instanceId: c.instanceId, leader: c.isLeader(), projects: ids.length, agents, work };
}
