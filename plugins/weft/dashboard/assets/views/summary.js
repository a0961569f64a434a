// The cards at the top: agents by status, work by state, items queued and dead letters.
import { h } from '../dom.js';

const card = (value, label, testid) => h('div', { class: 'card', 'data-testid': testid }, h('b', {}, value), h('span', {}, label));

export function summaryView(stats) {
  const queued = Object.values(stats.queueDepth ?? {}).reduce((a, b) => a + b, 0);
  const work = stats.work ?? {};
  return h(
    'div',
    { class: 'cards' },
    card(stats.agents.online, 'agents online', 'agents-online'),
    card(stats.agents.busy, 'busy', 'agents-busy'),
    card(stats.agents.offline, 'offline', 'agents-offline'),
    card(queued, 'queued', 'queued'),
    ...['pending', 'assigned', 'in-progress', 'completed', 'failed', 'cancelled'].map((state) => card(work[state] ?? 0, state, `work-${state}`)),
    card(stats.deadLetters, 'dead letters', 'dead-letters'),
  );
}
