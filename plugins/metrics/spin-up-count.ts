// loom_spin_ups_total, counted by the process that made each attempt when it made it, so neither a standby (which
// reads the same history) nor a restarted weft counts an attempt again, and none is lost when it leaves the history.
// Attempts that reach a target (started, failed, vetoed) come from the kernel's afterSpinUp hook. Skips (cooldown,
// at-capacity, no-target) reach no hook: they are taken from the recorded history, by the lease holder only (the one
// that makes them) and only when made after this process began counting.
import { Counter, type Registry } from 'prom-client';
import type { Logger, PluginHooks, SpinUpAttempt, SpinUpOutcome, SpinUpService } from '../../core/index.js';

const SKIPS = new Set<SpinUpAttempt['outcome']>(['cooldown', 'at-capacity', 'no-target']);
/** History read per project and scrape; skips beyond it between two scrapes go uncounted. */
const HISTORY_READ = 1_000;

export interface SpinUpCounter {
  /** Counts the skips recorded since the last call (call it at each scrape). */
  countSkips(service: SpinUpService, projectId: string, leader: boolean): Promise<void>;
}

export function registerSpinUpCounter(registry: Registry, hooks: PluginHooks, spinUp: () => SpinUpService | undefined, log: Logger): SpinUpCounter {
  const spinUps = new Counter({
    name: 'loom_spin_ups_total',
    help: 'Spin-up attempts this process made, by mechanism and outcome (started, failed, vetoed, cooldown, at-capacity, no-target)',
    labelNames: ['project', 'mechanism', 'outcome'],
    registers: [registry],
  });
  const since = new Date().toISOString();
  const seen = new Map<string, Set<string>>();

  /** The hook says only ok or not: a refusal is told apart from a failure by the attempt it recorded just before. */
  async function outcomeOf(event: SpinUpOutcome): Promise<SpinUpAttempt['outcome']> {
    if (event.ok) return 'started';
    const recorded = await spinUp()?.listAttempts?.(event.projectId, { targetId: event.targetId, limit: 50 });
    return recorded?.find((attempt) => attempt.operationId === event.operationId)?.outcome ?? 'failed';
  }

  hooks.afterSpinUp.tap((event) => {
    // Not awaited: the spin-up it reports does not wait for a metrics read.
    void outcomeOf(event)
      .catch((err: unknown) => {
        log.debug({ err, operationId: event.operationId }, 'could not read a spin-up attempt back; counted as failed');
        return event.ok ? 'started' : 'failed';
      })
      .then((outcome) => spinUps.inc({ project: event.projectId, mechanism: event.mechanism, outcome }));
  });

  return {
    async countSkips(service, projectId, leader) {
      if (!service.listAttempts) return;
      const attempts = (await service.listAttempts(projectId, { limit: HISTORY_READ })).filter((attempt) => SKIPS.has(attempt.outcome) && attempt.at >= since);
      const before = seen.get(projectId) ?? new Set<string>();
      const now = new Set<string>();
      for (const attempt of attempts) {
        now.add(attempt.operationId);
        if (leader && !before.has(attempt.operationId)) spinUps.inc({ project: projectId, mechanism: attempt.mechanism ?? 'none', outcome: attempt.outcome });
      }
      // Seen even while standby: after a failover this process counts only what comes later.
      seen.set(projectId, now);
    },
  };
}
