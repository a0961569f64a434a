// The routing chain: classifiers in configured order (first opinion decides), then matching against online agents.
import { effectiveStatus, LoomError, tokenSchema, type Classifier, type ProjectRegistry, type Registry, type RoutableWork } from '../../../core/index.js';
import type { RecordedDecision } from '../schemas/work.js';

export interface Router {
  /** The classifier ids in the order they are asked (configured first, then any other loaded classifier). */
  order(): string[];
  decide(work: RoutableWork, registry: ProjectRegistry): Promise<RecordedDecision>;
}

export function createRouter(classifiers: Registry<Classifier>, configured: ReadonlyArray<string>): Router {
  const order = () => {
    const missing = configured.filter((id) => !classifiers.has(id));
    if (missing.length) {
      throw new LoomError('LOOM_ERR_UNKNOWN_ID', `options["weft:coordinator"].classifiers names classifier(s) not loaded: ${missing.join(', ')}; loaded: ${classifiers.ids().join(', ') || '(none)'}`, { missing, known: classifiers.ids() });
    }
    return [...configured, ...classifiers.ids().filter((id) => !configured.includes(id))];
  };

  return {
    order,
    async decide(work, registry) {
      let classifier = 'default';
      let decision: Awaited<ReturnType<Classifier['classify']>>;
      for (const id of order()) {
        try {
          decision = await classifiers.get(id).classify(work);
        } catch (err) {
          throw new LoomError('LOOM_ERR_HOOK_FAILED', `classifier ${id} failed on work ${work.workId}: ${err instanceof Error ? err.message : String(err)}`, { classifier: id }, { cause: err });
        }
        if (decision) {
          classifier = id;
          break;
        }
      }
      const capability = decision?.capability && tokenSchema.safeParse(decision.capability).success ? decision.capability : work.capability;
      let allowed = decision?.allowedAgentTypes ?? [];
      const reason = decision?.reason ?? 'no classifier had an opinion: any agent with the capability';
      if (work.requiredAgentType) {
        if (allowed.length && !allowed.includes(work.requiredAgentType)) {
          throw new LoomError('LOOM_ERR_CONFLICT', `requiredAgentType ${work.requiredAgentType} is not allowed here: ${reason} (decided by classifier ${classifier})`, { field: 'requiredAgentType', classifier });
        }
        allowed = [work.requiredAgentType];
      }
      const preferred = [...new Set([...(work.preferredAgentType ? [work.preferredAgentType] : []), ...(decision?.preferredAgentTypes ?? [])])].filter((type) => !allowed.length || allowed.includes(type));
      const boundary = decision?.boundary ?? work.boundary;

      const now = Date.now();
      const rank = (type: string) => (preferred.includes(type) ? preferred.indexOf(type) : preferred.length);
      const eligible = (await registry.discover({ capability }))
        .map((agent) => ({ agent, status: effectiveStatus(agent, now) }))
        .filter(({ agent, status }) => agent.projectId === work.projectId && status !== 'offline' && (!allowed.length || allowed.includes(agent.agentType)))
        .sort((a, b) => rank(a.agent.agentType) - rank(b.agent.agentType) || a.agent.currentTaskCount - b.agent.currentTaskCount)
        .slice(0, 20)
        .map(({ agent, status }) => ({ id: agent.id, agentType: agent.agentType, status }));
      return {
        classifier,
        reason,
        capability,
        ...(boundary ? { boundary } : {}),
        allowedAgentTypes: allowed,
        preferredAgentTypes: preferred,
        eligibleAgents: eligible,
        decidedAt: new Date().toISOString(),
      };
    },
  };
}
