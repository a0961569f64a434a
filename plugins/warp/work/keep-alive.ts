// An MCP agent has no progress tool: any tool call it makes is a sign of life that extends the leases it holds.
import { workQueueService, type PluginContext } from '../../../core/index.js';

/**
 * The warp process lives exactly as long as its MCP client (stdio), so a holder that crashes stops calling and its
 * leases lapse. Extensions are spaced a third of the lease apart, so a busy agent does not flood the events stream.
 */
export function extendLeasesOnToolCalls(ctx: PluginContext<unknown>): void {
  const lastExtended = new Map<string, number>();
  ctx.hooks.afterToolCall.tap((event) => {
    const service = ctx.use(workQueueService);
    const queue = service.forProject(event.projectId);
    const now = Date.now();
    const held = new Set(queue.held());
    for (const workId of lastExtended.keys()) if (!held.has(workId)) lastExtended.delete(workId);
    for (const workId of held) {
      // First seen right after its claim_work: the lease is fresh.
      if (!lastExtended.has(workId)) lastExtended.set(workId, now);
      if (now - lastExtended.get(workId)! < service.settings.ackWaitMs / 3) continue;
      lastExtended.set(workId, now);
      queue.progress(workId, event.agentId, `tool call ${event.tool}`).catch((err: unknown) => ctx.log.debug({ err, workId }, 'lease not extended'));
    }
  });
}
