// Finds in-flight work whose agent stopped heartbeating: the record goes back to pending (JetStream's lease expiry
// redelivers the item itself), so weft's view shows the hand-back and, later, the next agent's claim.
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
  let handedBack = 0;
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
    const note = `agent ${assignment.agentId} went offline (${lastSeen}); the item returns to the queue when its lease expires`;
    let previous: WorkRecord['state'] = 'assigned';
    const { value, changed: moved } = await updateRecord<WorkRecord>(await project.workBucket(), assignment.workId, (record) => {
      if (!record || (record.state !== 'assigned' && record.state !== 'in-progress') || record.agentId !== assignment.agentId) return undefined;
      previous = record.state;
      return { ...record, state: 'pending', history: [...record.history, { state: 'pending', at, agentId: assignment.agentId, attempt: assignment.attempt, note }], updatedAt: at };
    });
    if (moved && value) {
      handedBack++;
      c.ctx.log.warn({ projectId, workId: assignment.workId, agentId: assignment.agentId }, 'agent stopped heartbeating: its work goes back to the queue');
      await c.stateChanged({ projectId, workId: assignment.workId, state: 'pending', previous, agentId: assignment.agentId });
    }
  }
  return handedBack;
}
