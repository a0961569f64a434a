// Spin-up targets with their latest attempts (outcome, when, why) and the agents they run now.
import { age, badge, h, table } from '../dom.js';

export function targetsView(targets, attempts, spawned, note) {
  const recent = new Map();
  for (const attempt of attempts) if (attempt.targetId) recent.set(attempt.targetId, [...(recent.get(attempt.targetId) ?? []), attempt].slice(0, 5));
  const running = new Map();
  for (const agent of spawned) running.set(agent.targetId, (running.get(agent.targetId) ?? 0) + 1);
  const rows = targets.map((target) =>
    h(
      'tr',
      { 'data-testid': 'target-row', 'data-target-id': target.id },
      h('td', {}, target.name ? h('div', {}, target.name) : null, h('span', { class: 'id' }, target.id), target.enabled ? null : h('span', { class: 'muted' }, ' (disabled)')),
      h('td', {}, target.mechanism),
      h('td', {}, target.agentType),
      h('td', {}, target.capabilities.join(', ')),
      h('td', { class: 'num' }, `${running.get(target.id) ?? 0} / ${target.maxConcurrent}`),
      h('td', {}, (recent.get(target.id) ?? []).map((attempt) => h('div', { title: attempt.detail ?? attempt.error ?? attempt.reason ?? '' }, badge(attempt.outcome), ' ', h('span', { class: 'muted' }, `${age(attempt.at)} ago`))), recent.has(target.id) ? null : h('span', { class: 'muted' }, 'none yet')),
    ),
  );
  const body = table(['target', 'mechanism', 'agent type', 'capabilities', 'running', 'recent spin-ups'], rows, 'No spin-up targets (POST /api/targets).');
  return note ? h('div', {}, body, h('p', { class: 'muted' }, note)) : body;
}
