// When no online agent has a subtask's capability, asks weft (over its NATS API) to spin one up, and notes the outcome.
import { errors as natsErrors } from '@nats-io/transport-node';
import { effectiveStatus, type RoutingDecision, type SpinUpTarget } from '../../../core/index.js';
import type { Orchestration, SubtaskRecord } from '../orchestration/record.js';
import type { ShuttleDeps } from './runtime.js';

interface WeftReply {
  ok: boolean;
  data?: unknown;
  error?: { code: string; message: string };
}

interface SpinUpNote {
  at: string;
  outcome: string;
  detail?: string;
  targetId?: string;
}

const isNoResponders = (err: unknown) => err instanceof natsErrors.NoRespondersError || (err instanceof natsErrors.RequestError && err.isNoResponders());

async function ask(deps: ShuttleDeps, verb: string, body: Record<string, unknown>): Promise<WeftReply | 'not-running' | 'timeout'> {
  const nc = await deps.nats.connection();
  try {
    const msg = await nc.request(deps.names.coordSubject('targets', verb), JSON.stringify(body), { timeout: deps.options.spinUpTimeoutMs });
    return JSON.parse(msg.string()) as WeftReply;
  } catch (err) {
    if (isNoResponders(err)) return 'not-running';
    if (err instanceof natsErrors.TimeoutError || (err instanceof Error && err.cause instanceof natsErrors.TimeoutError)) return 'timeout';
    throw err;
  }
}

interface Routing {
  allowed: string[];
  preferred: string[];
  boundary?: string;
}

/** The classifiers' opinion on the subtask (the first that has one decides, as in weft's routing): agent types and boundary. */
async function routingOf(deps: ShuttleDeps, record: Orchestration, subtask: SubtaskRecord): Promise<Routing> {
  const loaded = deps.classifiers.ids();
  const order = deps.options.classifiers ? deps.options.classifiers.filter((id) => loaded.includes(id)) : loaded;
  const work = { workId: subtask.workId, projectId: deps.projectId, description: `${subtask.title}\n\n${subtask.instructions}`, capability: subtask.capability, priority: deps.options.priority };
  for (const id of order) {
    let decision: RoutingDecision | undefined;
    try {
      decision = await deps.classifiers.get(id).classify(work);
    } catch (err) {
      // As when filling capabilities: a failing classifier is skipped, the spin-up still gets asked for.
      deps.log.warn({ err, classifier: id, orchestrationId: record.id, workId: subtask.workId }, 'classifier failed while choosing a spin-up target');
      continue;
    }
    if (!decision) continue;
    const allowed = decision.allowedAgentTypes ?? [];
    return { allowed, preferred: (decision.preferredAgentTypes ?? []).filter((type) => !allowed.length || allowed.includes(type)), ...(decision.boundary ? { boundary: decision.boundary } : {}) };
  }
  return { allowed: [], preferred: [] };
}

/** weft's candidate rule: enabled, has the capability, serves the boundary (none listed = any), an allowed agent type; preferred types first. */
function candidates(targets: ReadonlyArray<SpinUpTarget>, capability: string, routing: Routing): SpinUpTarget[] {
  const rank = (type: string) => (routing.preferred.includes(type) ? routing.preferred.indexOf(type) : routing.preferred.length);
  return targets
    .filter((t) => t.enabled && t.capabilities.includes(capability) && (!t.boundaries?.length || (routing.boundary !== undefined && t.boundaries.includes(routing.boundary))) && (!routing.allowed.length || routing.allowed.includes(t.agentType)))
    .sort((a, b) => rank(a.agentType) - rank(b.agentType) || a.id.localeCompare(b.id));
}

async function spinUpFor(deps: ShuttleDeps, capability: string, workId: string, reason: string, routing: Routing): Promise<SpinUpNote | undefined> {
  const at = new Date().toISOString();
  const registry = deps.registry();
  if (registry) {
    const now = Date.now();
    const agents = await registry.discover({ capability });
    if (agents.some((agent) => agent.projectId === deps.projectId && effectiveStatus(agent, now) !== 'offline' && (!routing.allowed.length || routing.allowed.includes(agent.agentType)))) return undefined;
  }
  const listed = await ask(deps, 'list', {});
  if (listed === 'not-running') return { at, outcome: 'weft-not-running', detail: `no online agent has capability ${capability}, and no weft answers on ${deps.names.coordSubject('targets', 'list')}; the item waits on the queue` };
  if (listed === 'timeout') return { at, outcome: 'weft-timeout', detail: 'weft did not answer the targets list in time' };
  if (!listed.ok) return { at, outcome: 'weft-error', detail: listed.error?.message ?? 'weft refused the targets list' };
  const items = ((listed.data as { items?: SpinUpTarget[] })?.items ?? []);
  const target = candidates(items, capability, routing)[0];
  if (!target) {
    const limits = [...(routing.allowed.length ? [`agent type ${routing.allowed.join(' or ')}`] : []), ...(routing.boundary ? [`boundary ${routing.boundary}`] : [])];
    return { at, outcome: 'no-target', detail: `weft has no enabled target with capability ${capability}${limits.length ? ` for ${limits.join(' and ')}` : ''}` };
  }
  const started = await ask(deps, 'spin-up', { id: target.id, reason, workId });
  if (typeof started === 'string') return { at, outcome: `weft-${started}`, targetId: target.id };
  if (!started.ok) return { at, outcome: 'weft-error', targetId: target.id, detail: started.error?.message ?? 'spin-up refused' };
  const attempt = started.data as { outcome?: string; detail?: string };
  return { at, outcome: attempt.outcome ?? 'requested', targetId: target.id, ...(attempt.detail ? { detail: attempt.detail } : {}) };
}

/** One request per capability among the subtasks just offered; failures are logged, never thrown at the caller. */
export async function requestSpinUps(deps: ShuttleDeps, record: Orchestration, offered: ReadonlyArray<SubtaskRecord>): Promise<void> {
  const byCapability = new Map<string, SubtaskRecord[]>();
  for (const subtask of offered) byCapability.set(subtask.capability, [...(byCapability.get(subtask.capability) ?? []), subtask]);
  for (const [capability, subtasks] of byCapability) {
    try {
      const routing = await routingOf(deps, record, subtasks[0]!);
      const note = await spinUpFor(deps, capability, subtasks[0]!.workId, `shuttle orchestration ${record.id} needs capability ${capability} for subtask ${subtasks.map((s) => s.id).join(', ')}`, routing);
      if (!note) continue;
      deps.log.info({ orchestrationId: record.id, capability, outcome: note.outcome, targetId: note.targetId }, 'no online agent for a subtask: spin-up asked of weft');
      const ids = new Set(subtasks.map((subtask) => subtask.id));
      await deps.store.update(record.id, (current) => {
        for (const subtask of current.subtasks) if (ids.has(subtask.id)) subtask.spinUp = note;
        return true;
      });
    } catch (err) {
      deps.log.warn({ err, orchestrationId: record.id, capability }, 'spin-up request failed');
    }
  }
}
