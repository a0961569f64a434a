// Dead letters with their last error; retry puts one back on its queue, discard (asked twice) removes it.
import { age, clip, h, shortId, table } from '../dom.js';

export function dlqView(items, { retry, discard }) {
  const rows = items.map((item) => {
    const last = item.errors?.[item.errors.length - 1];
    const discardButton = h('button', { class: 'danger', 'data-testid': 'dlq-discard' }, 'Discard');
    discardButton.addEventListener('click', () => {
      if (discardButton.dataset.armed) return discard(item);
      discardButton.dataset.armed = '1';
      discardButton.textContent = 'Really discard?';
    });
    return h(
      'tr',
      { 'data-testid': 'dlq-row', 'data-dead-letter-id': item.deadLetterId, 'data-work-id': item.workId },
      h('td', {}, h('span', { class: 'id' }, item.deadLetterId)),
      h('td', {}, shortId(item.workId)),
      h('td', {}, item.capability),
      h('td', { class: 'num' }, item.attempt),
      h('td', {}, clip(item.reason, 80)),
      h('td', { class: 'error' }, clip(last?.error ?? '', 120)),
      h('td', { title: item.deadLetteredAt }, age(item.deadLetteredAt)),
      h('td', {}, h('button', { 'data-testid': 'dlq-retry', onclick: () => retry(item) }, 'Retry'), ' ', discardButton),
    );
  });
  return table(['id', 'work', 'capability', 'attempts', 'reason', 'last error', 'age', ''], rows, 'The dead-letter queue is empty.');
}
