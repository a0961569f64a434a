// Queues: items waiting (or held under a lease) per capability.
import { h, table } from '../dom.js';

export function queuesView(depth) {
  const rows = Object.entries(depth ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([capability, count]) => h('tr', { 'data-testid': 'queue-row', 'data-capability': capability }, h('td', {}, capability), h('td', { class: 'num', 'data-testid': 'queue-depth' }, count)));
  return table(['capability', 'depth'], rows, 'No work queued.');
}
