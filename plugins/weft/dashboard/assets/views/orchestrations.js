// Shuttle orchestrations: phase and per-subtask progress (a bar by state, and each subtask on demand).
import { age, badge, clip, h, table } from '../dom.js';

/** Widths through the CSSOM: the page's CSP allows no inline style attributes. */
function segment(state, percent) {
  const el = h('i', { class: state });
  el.style.width = `${percent}%`;
  return el;
}

function progress(subtasks) {
  const counts = {};
  for (const subtask of subtasks) counts[subtask.state] = (counts[subtask.state] ?? 0) + 1;
  const order = ['completed', 'claimed', 'offered', 'pending', 'failed'];
  return h('div', { class: 'bar', title: order.filter((s) => counts[s]).map((s) => `${counts[s]} ${s}`).join(', ') }, order.filter((s) => counts[s]).map((state) => segment(state, (100 * counts[state]) / subtasks.length)));
}

export function orchestrationsView(items) {
  const rows = items.map((record) => {
    const subtasks = Array.isArray(record.subtasks) ? record.subtasks : [];
    const done = subtasks.filter((subtask) => subtask.state === 'completed').length;
    const details = h(
      'details',
      {},
      h('summary', {}, `${done} / ${subtasks.length} subtasks done`),
      h('ul', {}, subtasks.map((subtask) => h('li', { 'data-testid': 'subtask', 'data-state': subtask.state }, badge(subtask.state), ' ', subtask.id, ' ', h('span', { class: 'muted' }, `wave ${subtask.wave} · ${subtask.capability}`), subtask.error ? h('div', { class: 'error' }, subtask.error.slice(0, 200)) : null))),
    );
    return h(
      'tr',
      { 'data-testid': 'orchestration-row', 'data-orchestration-id': record.id },
      h('td', {}, h('span', { class: 'id' }, record.id)),
      h('td', {}, clip(record.task, 100)),
      h('td', {}, badge(record.phase ?? 'unknown')),
      h('td', {}, progress(subtasks), details),
      h('td', { title: record.createdAt }, age(record.createdAt)),
    );
  });
  return table(['orchestration', 'task', 'phase', 'subtasks', 'age'], rows, 'No orchestrations (shuttle stores them here when it runs against this NATS).');
}
