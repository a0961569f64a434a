// call(): validate an operation's input, resolve and check the project, then run it here or forward it to the leader.
import { formatIssues, formatPath, LoomError, type WeftCaller } from '../../../core/index.js';
import type { WeftOperation } from '../operations/define.js';
import type { Coordinator } from './context.js';

export type Forward = (operation: WeftOperation, projectId: string, input: Record<string, unknown>) => Promise<unknown>;

export function createDispatch(c: Coordinator, operations: ReadonlyArray<WeftOperation>, forward: Forward) {
  const byId = new Map(operations.map((op) => [op.id, op]));
  return async function call(operationId: string, raw: Record<string, unknown>, caller: WeftCaller): Promise<unknown> {
    const op = byId.get(operationId);
    if (!op) throw new LoomError('LOOM_ERR_NOT_FOUND', `no weft operation "${operationId}"; known: ${[...byId.keys()].join(', ')}`, { operationId });
    const parsed = op.input.safeParse(raw);
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.flatMap((issue) => (issue.code === 'unrecognized_keys' ? issue.keys.map((key) => formatPath([...issue.path, key])) : [formatPath(issue.path)])))];
      throw new LoomError('LOOM_ERR_INVALID_INPUT', formatIssues(parsed.error, '', op.input), { operation: op.id, fields, issues: parsed.error.issues.map(({ path, message, code }) => ({ path, message, code })) });
    }
    const input = parsed.data as Record<string, unknown>;
    let projectId = '';
    if (op.scope === 'project') {
      const bound = caller.projects;
      projectId = (input.projectId as string | undefined) ?? (bound !== 'all' && bound.length === 1 ? bound[0]! : c.ctx.identity.projectId);
      if (bound !== 'all' && !bound.includes(projectId)) {
        throw new LoomError('LOOM_ERR_FORBIDDEN', `this token may not access project ${projectId}`, { projectId });
      }
      c.projects.touch(projectId);
    }
    if (op.mutates && !c.isLeader()) {
      // Only the lease holder acts; a request reaching the NATS API of an instance that just lost the lease is refused.
      if (caller.via === 'nats') throw new LoomError('LOOM_ERR_UNAVAILABLE', 'this weft instance no longer holds the lease; retry', { instanceId: c.instanceId });
      return forward(op, projectId, input);
    }
    return op.run({ c, input, projectId, caller });
  };
}
