// When no online agent has a subtask's capability, asks weft (over its NATS API) to spin one up, and notes the outcome.
import { errors as natsErrors } from '@nats-io/transport-node';
import { effectiveStatus } from '../../../core/index.js';
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

async function spinUpFor(deps: ShuttleDeps, capability: string, workId: string, reason: string): Promise<SpinUpNote | undefined> {
  const at = new Date().toISOString();
  const registry = deps.registry();
  if (registry) {
    const now = Date.now();
    const agents = await registry.discover({ capability });
    if (agents.some((agent) => agent.projectId === deps.projectId && effectiveStatus(agent, now) !== 'offline')) return undefined;
  }
  const listed = await ask(deps, 'list', {});
  if (listed === 'not-running') return { at, outcome: 'weft-not-running', detail: `no online agent has capability ${capability}, and no weft answers on ${deps.names.coordSubject('targets', 'list')}; the item waits on the queue` };
  if (listed === 'timeout') return { at, outcome: 'weft-timeout', detail: 'weft did not answer the targets list in time' };
  if (!listed.ok) return { at, outcome: 'weft-error', detail: listed.error?.message ?? 'weft refused the targets list' };
  const items = ((listed.data as { items?: Array<{ id: string; enabled: boolean; capabilities: string[] }> })?.items ?? []);
  const target = items.find((candidate) => candidate.enabled && candidate.capabilities.includes(capability));
  if (!target) return { at, outcome: 'no-target', detail: `weft has no enabled target with capability ${capability}` };
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
      const note = await spinUpFor(deps, capability, subtasks[0]!.workId, `shuttle orchestration ${record.id} needs capability ${capability} for subtask ${subtasks.map((s) => s.id).join(', ')}`);
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
