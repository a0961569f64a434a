// How each panel loads: the REST calls behind it and the view that draws the answer.
import { api } from './api.js';
import { replace } from './dom.js';
import { agentsView } from './views/agents.js';
import { dlqView } from './views/dlq.js';
import { orchestrationsView } from './views/orchestrations.js';
import { queuesView } from './views/queues.js';
import { summaryView } from './views/summary.js';
import { targetsView } from './views/targets.js';
import { workView } from './views/work.js';

const WORK_SHOWN = 50;
/** Unchanged data is drawn again only this often (for the ages it shows): a redraw under the pointer loses a click. */
const REDRAW_MS = 30_000;
const drawn = new Map();

function draw(id, data, view) {
  const key = JSON.stringify(data);
  const last = drawn.get(id);
  if (last && last.key === key && Date.now() - last.at < REDRAW_MS) return;
  drawn.set(id, { key, at: Date.now() });
  replace(id, view());
}

/** A 501 means weft runs without the spin-up manager: targets still show, without history. */
async function optional(call, fallback) {
  try {
    return await call();
  } catch (err) {
    if (err.status === 501) return fallback;
    throw err;
  }
}

export const loaders = {
  async stats(state) {
    const stats = await api('GET', '/api/stats', { query: { projectId: state.projectId } });
    draw('summary', stats, () => summaryView(stats));
    draw('queues', stats.queueDepth, () => queuesView(stats.queueDepth));
  },
  async work(state) {
    const { items } = await api('GET', '/api/work', { query: { projectId: state.projectId, limit: WORK_SHOWN } });
    state.work = items;
    draw('work', items, () => workView(items));
  },
  async agents(state) {
    const { items } = await api('GET', '/api/agents', { query: { projectId: state.projectId } });
    const holding = state.work.filter((item) => item.state === 'assigned' || item.state === 'in-progress').map((item) => [item.workId, item.agentId, item.state]);
    draw('agents', [items, holding], () => agentsView(items, state.work));
  },
  async dlq(state, actions) {
    const { items } = await api('GET', '/api/dlq', { query: { projectId: state.projectId, limit: 100 } });
    draw('dlq', items, () => dlqView(items, actions));
  },
  async targets(state) {
    const query = { projectId: state.projectId };
    const [targets, attempts, spawned] = await Promise.all([
      api('GET', '/api/targets', { query }),
      optional(() => api('GET', '/api/spin-ups', { query: { ...query, limit: 200 } }), undefined),
      optional(() => api('GET', '/api/spin-ups/agents', { query }), { items: [] }),
    ]);
    draw('targets', [targets, attempts, spawned], () => targetsView(targets.items, attempts?.items ?? [], spawned.items, attempts ? undefined : 'No spin-up manager is loaded in this weft: no spin-up history.'));
  },
  async orchestrations(state) {
    const { items } = await api('GET', '/api/orchestrations', { query: { projectId: state.projectId, limit: 20 } });
    draw('orchestrations', items, () => orchestrationsView(items));
  },
};
