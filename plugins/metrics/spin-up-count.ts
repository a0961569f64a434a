// loom_spin_ups_total, counted from the kernel's afterSpinUp hook by the process that made each attempt, when it made
// it: a standby (which reads the same history) never counts it, a restarted weft does not count the history again,
// and an attempt that leaves the history stays counted. Skips (cooldown, at capacity, no target) come through the
// same hook, with mechanism "none" when no target was tried.
import { Counter, type Registry } from 'prom-client';
import type { PluginHooks } from '../../core/index.js';

export function registerSpinUpCounter(registry: Registry, hooks: PluginHooks): void {
  const spinUps = new Counter({
    name: 'loom_spin_ups_total',
    help: 'Spin-up attempts this process made, by mechanism and outcome (started, failed, vetoed, cooldown, at-capacity, no-target)',
    labelNames: ['project', 'mechanism', 'outcome'],
    registers: [registry],
  });
  hooks.afterSpinUp.tap((event) => {
    spinUps.inc({ project: event.projectId, mechanism: event.mechanism, outcome: event.outcome });
  });
}
