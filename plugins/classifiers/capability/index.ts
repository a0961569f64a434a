// classifier:capability: prefers the agent types that have the work's capability online now (least busy first).
import { z } from 'zod';
import { defineClassifier, effectiveStatus, registryService } from '../../../core/index.js';

const optionsSchema = z.strictObject({
  /** Count busy agents as candidates too (they claim when they are done). */
  includeBusy: z.boolean().default(true),
});

export const capabilityClassifier = defineClassifier<z.output<typeof optionsSchema>>({
  name: 'classifier:capability',
  options: optionsSchema,
  create(ctx) {
    return async (work) => {
      const registry = ctx.use(registryService).forProject(work.projectId);
      const now = Date.now();
      // Only this project's agents claim its (team-scoped) queue; public agents of other projects do not.
      const agents = (await registry.discover({ capability: work.capability })).filter((agent) => {
        if (agent.projectId !== work.projectId) return false;
        const status = effectiveStatus(agent, now);
        return status === 'online' || (ctx.options.includeBusy && status === 'busy');
      });
      const candidates = work.requiredAgentType ? agents.filter((agent) => agent.agentType === work.requiredAgentType) : agents;
      const load = new Map<string, { count: number; tasks: number }>();
      for (const agent of candidates) {
        const entry = load.get(agent.agentType) ?? { count: 0, tasks: 0 };
        entry.count++;
        entry.tasks += agent.currentTaskCount;
        load.set(agent.agentType, entry);
      }
      const byIdleness = [...load.entries()].sort((a, b) => a[1].tasks / a[1].count - b[1].tasks / b[1].count || b[1].count - a[1].count).map(([type]) => type);
      const preferred = work.preferredAgentType ? [work.preferredAgentType, ...byIdleness.filter((type) => type !== work.preferredAgentType)] : byIdleness;
      const summary = [...load.entries()].map(([type, { count }]) => `${type} ×${count}`).join(', ');
      return {
        ...(work.requiredAgentType ? { allowedAgentTypes: [work.requiredAgentType] } : {}),
        ...(preferred.length ? { preferredAgentTypes: preferred } : {}),
        reason: candidates.length
          ? `${candidates.length} online agent(s) have capability ${work.capability} (${summary})`
          : `no online agent has capability ${work.capability}${work.requiredAgentType ? ` and type ${work.requiredAgentType}` : ''}`,
      };
    };
  },
});
