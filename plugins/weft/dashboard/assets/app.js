// The weft dashboard: loads each panel from the REST API, then keeps them current from /api/events (and a slow poll
// for what has no event: ages, queue depth, spin-ups). No build step: plain modules served by weft.
import { api, clearToken, setToken, takeTokenFromUrl } from './api.js';
import { h } from './dom.js';
import { connectLive } from './live.js';
import { loaders } from './panels.js';

const POLL_MS = 5000;
/** `?poll=off` leaves the page to the event stream alone: how the browser test proves live updates need no poll. */
const POLLING = new URLSearchParams(location.search).get('poll') !== 'off';
const state = { projectId: undefined, work: [], stopLive: undefined, pending: new Set(), timer: undefined, running: undefined, poll: undefined };

function showStatus(text, isError = false) {
  const el = document.getElementById('status');
  el.textContent = text;
  el.className = isError ? 'error' : 'muted';
}

function needLogin(message) {
  state.stopLive?.();
  document.getElementById('main').hidden = true;
  document.getElementById('login').hidden = false;
  document.getElementById('login-error').textContent = message ?? '';
}

/** Runs the named panel loads after a short pause, so a burst of events costs one round of requests. */
function schedule(...panels) {
  for (const panel of panels) state.pending.add(panel);
  clearTimeout(state.timer);
  state.timer = setTimeout(flush, 200);
}

async function flush() {
  if (state.running) {
    await state.running;
    return schedule();
  }
  const panels = [...state.pending];
  state.pending.clear();
  if (!panels.length) return;
  // Current work feeds the agents panel: load work first.
  const ordered = panels.includes('work') ? ['work', ...panels.filter((panel) => panel !== 'work')] : panels;
  state.running = (async () => {
    for (const panel of ordered) {
      try {
        await loaders[panel](state, actions);
      } catch (err) {
        if (err.status === 401) return needLogin('The token was refused.');
        showStatus(`${panel}: ${err.message}`, true);
      }
    }
    showStatus(`Updated ${new Date().toLocaleTimeString()}`);
  })();
  await state.running;
  state.running = undefined;
}

const actions = {
  async retry(item) {
    await act(() => api('POST', `/api/dlq/${encodeURIComponent(item.deadLetterId)}/retry`, { body: { projectId: state.projectId } }), `Work ${item.workId} is back on the ${item.capability} queue.`);
  },
  async discard(item) {
    await act(() => api('DELETE', `/api/dlq/${encodeURIComponent(item.deadLetterId)}`, { query: { projectId: state.projectId } }), `Dead letter ${item.deadLetterId} discarded.`);
  },
};

async function act(call, done) {
  try {
    await call();
    showStatus(done);
  } catch (err) {
    showStatus(err.message, true);
  }
  schedule('dlq', 'stats', 'work');
}

function onEvent(type, data) {
  if (type === 'agent') return schedule('agents', 'stats');
  schedule('stats', 'work', 'orchestrations');
  if (type === 'work-event' && ['failed', 'dead-lettered', 'retried', 'discarded'].includes(data.type)) schedule('dlq');
}

function goLive() {
  state.stopLive?.();
  const live = document.getElementById('live');
  state.stopLive = connectLive(state.projectId, {
    onEvent,
    onState(on) {
      live.className = `live ${on ? 'on' : 'off'}`;
      live.textContent = on ? 'live' : 'reconnecting…';
      if (on) schedule(...Object.keys(loaders));
    },
  });
}

async function selectProject(projectId) {
  state.projectId = projectId;
  const params = new URLSearchParams(location.hash.slice(1));
  params.set('project', projectId);
  history.replaceState(null, '', `${location.pathname}${location.search}#${params}`);
  goLive();
  schedule(...Object.keys(loaders));
}

async function boot() {
  takeTokenFromUrl();
  let stats;
  let projects;
  const wanted = new URLSearchParams(location.hash.slice(1)).get('project') ?? undefined;
  try {
    [stats, projects] = await Promise.all([api('GET', '/api/stats', { query: { projectId: wanted } }), api('GET', '/api/stats/projects')]);
  } catch (err) {
    if (err.status === 401 || err.status === 403) return needLogin(err.status === 403 ? 'This token may not see that project.' : undefined);
    return showStatus(`weft did not answer: ${err.message}`, true);
  }
  document.getElementById('login').hidden = true;
  document.getElementById('main').hidden = false;
  const health = await api('GET', '/health').catch(() => undefined);
  if (health) document.getElementById('instance').textContent = `${health.instanceId}${health.leader ? ' · lease holder' : ' · standby'}`;
  const select = document.getElementById('project');
  const ids = [...new Set([stats.projectId, ...projects.projects.map((p) => p.projectId)])].sort();
  select.replaceChildren(...ids.map((id) => h('option', { value: id, selected: id === stats.projectId }, id)));
  select.onchange = () => selectProject(select.value);
  await selectProject(stats.projectId);
  if (POLLING) state.poll ??= setInterval(() => {
    if (!document.getElementById('main').hidden) schedule(...Object.keys(loaders));
  }, POLL_MS);
}

document.getElementById('login').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = document.getElementById('token');
  if (!input.value) return;
  clearToken();
  setToken(input.value);
  input.value = '';
  void boot();
});

void boot();
