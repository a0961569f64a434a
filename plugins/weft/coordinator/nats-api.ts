// The NATS API: every operation as request/reply on coord.<p>.<area>.<verb> and coord.global.<verb>, served by the
// lease holder; followers forward their REST writes here, so only the holder ever acts.
import { errors as natsErrors, type Subscription } from '@nats-io/transport-node';
import { globalNames, LoomError, natsService, toLoomError, type WeftCaller } from '../../../core/index.js';
import type { WeftOperation } from '../operations/define.js';
import type { Coordinator } from './context.js';
import type { Forward } from './dispatch.js';

export interface NatsReply {
  ok: boolean;
  data?: unknown;
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

export function subjectOf(c: Coordinator, operation: WeftOperation, projectId: string): string {
  return operation.scope === 'global' ? globalNames.coordGlobalSubject(operation.verb) : c.projects.get(projectId).names.coordSubject(operation.area, operation.verb);
}

function errorReply(err: unknown): NatsReply {
  const loom = toLoomError(err);
  return { ok: false, error: { code: loom.code, message: loom.reason, ...(loom.details ? { details: loom.details } : {}) } };
}

export function createNatsApi(c: Coordinator, operations: ReadonlyArray<WeftOperation>, call: (id: string, input: Record<string, unknown>, caller: WeftCaller) => Promise<unknown>) {
  let sub: Subscription | undefined;
  const find = (tokens: string[]): { op?: WeftOperation; projectId: string } => {
    if (tokens[1] === 'global') return { op: operations.find((op) => op.scope === 'global' && op.verb === tokens[2] && tokens.length === 3), projectId: '' };
    return { op: operations.find((op) => op.scope === 'project' && op.area === tokens[2] && op.verb === tokens[3] && tokens.length === 4), projectId: tokens[1] ?? '' };
  };

  async function handle(subject: string, payload: string): Promise<NatsReply> {
    try {
      const { op, projectId } = find(subject.split('.'));
      if (!op) throw new LoomError('LOOM_ERR_NOT_FOUND', `no weft operation on subject ${subject}; operations: ${operations.map((o) => (o.scope === 'global' ? globalNames.coordGlobalSubject(o.verb) : `coord.<p>.${o.area}.${o.verb}`)).join(', ')}`, { subject });
      let input: unknown = {};
      if (payload.trim()) {
        try {
          input = JSON.parse(payload);
        } catch {
          throw new LoomError('LOOM_ERR_INVALID_INPUT', 'the request payload is not valid JSON', { subject });
        }
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new LoomError('LOOM_ERR_INVALID_INPUT', '(root): expected a JSON object', { subject });
      const body = input as Record<string, unknown>;
      if (op.scope === 'project') {
        if (body.projectId !== undefined && body.projectId !== projectId) throw new LoomError('LOOM_ERR_INVALID_INPUT', `projectId: ${JSON.stringify(body.projectId)} does not match the subject's project ${projectId}`, { field: 'projectId' });
        body.projectId = projectId;
      }
      return { ok: true, data: await call(op.id, body, { projects: 'all', via: 'nats' }) };
    } catch (err) {
      return errorReply(err);
    }
  }

  const forward: Forward = async (op, projectId, input) => {
    const nc = await c.ctx.use(natsService).connection();
    let reply: NatsReply;
    try {
      const msg = await nc.request(subjectOf(c, op, projectId), JSON.stringify(input), { timeout: c.options.forwardTimeoutMs });
      reply = JSON.parse(msg.string()) as NatsReply;
    } catch (err) {
      const noResponders = err instanceof natsErrors.NoRespondersError || (err instanceof natsErrors.RequestError && err.isNoResponders());
      if (noResponders) throw new LoomError('LOOM_ERR_UNAVAILABLE', `no weft instance holds the lease right now (this one, ${c.instanceId}, is standing by); retry in a few seconds`, { operation: op.id });
      const timedOut = err instanceof natsErrors.TimeoutError || (err instanceof Error && err.cause instanceof natsErrors.TimeoutError);
      if (timedOut) throw new LoomError('LOOM_ERR_TIMEOUT', `the weft lease holder did not answer ${op.id} within ${c.options.forwardTimeoutMs} ms; it may or may not have run it — check before retrying`, { operation: op.id });
      throw err;
    }
    if (reply.ok) return reply.data;
    throw new LoomError((reply.error?.code ?? 'LOOM_ERR_INTERNAL') as never, reply.error?.message ?? 'the leader failed', reply.error?.details);
  };

  return {
    forward,
    async start(): Promise<void> {
      if (sub) return;
      const nc = await c.ctx.use(natsService).connection();
      sub = nc.subscribe(globalNames.coordWildcard, {
        queue: globalNames.weftQueueGroup,
        callback: (err, msg) => {
          if (err || !msg.reply) return;
          void handle(msg.subject, msg.string()).then((reply) => msg.respond(JSON.stringify(reply)));
        },
      });
    },
    async stop(): Promise<void> {
      const current = sub;
      sub = undefined;
      if (current) await current.drain().catch(() => current.unsubscribe());
    },
  };
}
