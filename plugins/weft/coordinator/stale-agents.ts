// Finds in-flight work whose agent stopped heartbeating: the record goes back to pending and the queue naks the dead
// holder's delivery so the item is redelivered now; weft's view shows the hand-back and, later, the next agent's claim.
import { effectiveStatus } from '../../../core/index.js';
import type { WorkRecord } from '../schemas/work.js';
import type { Coordinator } from './context.js';
import type { Assignment } from './tracker.js';
import { updateRecord } from './work-store.js';

export async function sweepStaleAgents(c: Coordinator, projectId: string): Promise<number> {
  const project = c.projects.get(projectId);
  const assignments = await project.assignmentsBucket();
  const active = (await assignments.list<Assignment>()).map((entry) => entry.value).filter((a) => a.status === 'active');
  if (!active.length) return 0;
  const registry = project.registry();
  let returned = 0;
  const now = Date.now();
  for (const assignment of active) {
    if (!c.isLeader()) break;
    const agent = await registry.get(assignment.agentId);
    if (agent && effectiveStatus(agent, now) !== 'offline') continue;
    const lastSeen = agent ? `last seen ${agent.lastSeen}` : 'no longer registered';
    const at = new Date().toISOString();
    const { changed } = await updateRecord<Assignment>(assignments, assignment.workId, (current) =>
      current && current.status === 'active' && current.agentId === assignment.agentId && current.attempt === assignment.attempt ? { ...current, status: 'lost' } : undefined,
    );
    if (!changed) continue;
    // Only an agent this registry knows and reports offline: one it does not know may be alive in another project
    // (public work), and taking its delivery away would give its item to a second agent while it still works.
    const handedBack = agent ? await handBack(c, projectId, assignment) : false;
    const note = `agent ${assignment.agentId} went offline (${lastSeen}); ${handedBack ? 'the item was handed back to the queue' : 'the item returns to the queue when its lease expires'}`;
    let previous: WorkRecord['state'] = 'assigned';
    const { value, changed: moved } = await updateRecord<WorkRecord>(await project.workBucket(), assignment.workId, (record) => {
      if (!record || (record.state !== 'assigned' && record.state !== 'in-progress') || record.agentId !== assignment.agentId) return undefined;
      previous = record.state;
      return { ...record, state: 'pending', history: [...record.history, { state: 'pending', at, agentId: assignment.agentId, attempt: assignment.attempt, note }], updatedAt: at };
    });
    if (moved && value) {
      returned++;
      c.ctx.log.warn({ projectId, workId: assignment.workId, agentId: assignment.agentId }, 'agent stopped heartbeating: its work goes back to the queue');
      await c.stateChanged({ projectId, workId: assignment.workId, state: 'pending', previous, agentId: assignment.agentId });
    }
  }
  return returned;
}

/** Asks the queue to redeliver the item now; false (the lease runs out instead) when it cannot or the call fails. */
async function handBack(c: Coordinator, projectId: string, assignment: Assignment): Promise<boolean> {
  const queue = c.projects.get(projectId).queue();
  if (!queue.handBack) return false;
  try {
    return (await queue.handBack(assignment.workId, assignment.agentId, assignment.attempt)).handedBack;
  } catch (err) {
    c.ctx.log.warn({ err, projectId, workId: assignment.workId, agentId: assignment.agentId }, 'could not hand the item of an offline agent back; it returns when its lease expires');
    return false;
  }
}
