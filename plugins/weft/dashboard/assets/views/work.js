// Work items, newest first: state, capability, agent, age, and the result or the error.
import { age, badge, clip, h, shortId, table } from '../dom.js';

export function workView(items) {
  const rows = items.map((item) =>
    h(
      'tr',
      { 'data-testid': 'work-row', 'data-work-id': item.workId, 'data-state': item.state },
      h('td', {}, shortId(item.workId)),
      // Work offered by warp or shuttle is known from its events only: no description, but maybe a task id.
      h('td', {}, item.description ? clip(item.description, 80) : h('span', { class: 'muted' }, item.taskId ? `task ${item.taskId}` : 'offered on the queue')),
      h('td', {}, item.capability),
      h('td', {}, badge(item.state)),
      h('td', {}, item.agentId ? shortId(item.agentId) : h('span', { class: 'muted' }, '—')),
      h('td', { title: item.createdAt }, age(item.createdAt)),
      h('td', { class: item.error && item.state !== 'completed' ? 'error' : '' }, item.state === 'completed' ? clip(item.result, 120) : item.error ? clip(item.error, 120) : ''),
    ),
  );
  return table(['work', 'description', 'capability', 'state', 'agent', 'age', 'result or error'], rows, 'No work items yet.');
}
