// GET /api/events: server-sent events of one project (work events, work record changes, agent status).
import { PassThrough } from 'node:stream';
import type { Context } from 'koa';
import { z } from 'zod';
import { formatIssues, LoomError, type WeftService } from '../../../core/index.js';
import { projectIdField } from '../schemas/common.js';

export const eventsQuerySchema = z.strictObject({
  projectId: projectIdField,
  /** EventSource cannot send headers, so a browser may pass its token here (only on this route). */
  access_token: z.string().optional(),
  /** Better than access_token: a single-use ticket from POST /api/events/ticket, valid for 60 s. */
  ticket: z.string().max(200).optional(),
});

export function createSseHandler(weft: WeftService, streams: Set<PassThrough>, keepAliveMs = 15_000) {
  return async (ctx: Context) => {
    const parsed = eventsQuerySchema.safeParse(ctx.query);
    if (!parsed.success) throw new LoomError('LOOM_ERR_INVALID_INPUT', formatIssues(parsed.error, 'query', eventsQuerySchema), {});
    const caller = ctx.state.caller as { projects: 'all' | string[] };
    const projectId = parsed.data.projectId ?? (caller.projects !== 'all' && caller.projects.length === 1 ? caller.projects[0]! : weft.defaultProjectId);
    if (caller.projects !== 'all' && !caller.projects.includes(projectId)) throw new LoomError('LOOM_ERR_FORBIDDEN', `this token may not access project ${projectId}`, { projectId });

    const stream = new PassThrough();
    streams.add(stream);
    const send = (event: string, data: unknown) => stream.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    const unsubscribe = await weft.subscribe(projectId, (event) => send(event.type, { projectId: event.projectId, ...event.data }));
    const keepAlive = setInterval(() => stream.write(': keep-alive\n\n'), keepAliveMs);
    const close = () => {
      clearInterval(keepAlive);
      unsubscribe();
      streams.delete(stream);
      stream.end();
    };
    ctx.req.on('close', close);
    stream.on('error', close);
    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    ctx.set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    ctx.status = 200;
    ctx.body = stream;
    send('ready', { projectId, instanceId: weft.instanceId });
  };
}
