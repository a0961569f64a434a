// DOM helpers: elements from data (text only, never HTML from the API), tables, badges and relative times.

/** h('td', {class: 'num'}, 'text', child): attributes starting with "on" become listeners; data never becomes markup. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function badge(state) {
  return h('span', { class: `badge ${state}` }, state);
}

export function shortId(id) {
  // Both ends: ids made of an orchestration id and a subtask id share their beginning.
  return h('span', { class: 'id', title: id }, id && id.length > 16 ? `${id.slice(0, 8)}…${id.slice(-4)}` : (id ?? '—'));
}

/** "3 s", "4 min", "2 h", "5 d" since an ISO date. */
export function age(iso, now = Date.now()) {
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms)) return '—';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}

export function table(headers, rows, emptyText) {
  if (!rows.length) return h('p', { class: 'empty' }, emptyText);
  return h('table', {}, h('thead', {}, h('tr', {}, headers.map((title) => h('th', {}, title)))), h('tbody', {}, rows));
}

export function clip(text, max = 200) {
  const value = typeof text === 'string' ? text : text === undefined ? '' : JSON.stringify(text);
  return h('div', { class: 'clip', title: value.slice(0, 2000) }, value.length > max ? `${value.slice(0, max)}…` : value);
}

export function replace(id, node) {
  document.getElementById(id).replaceChildren(node);
}
