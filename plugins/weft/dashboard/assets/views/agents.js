// Agents: status (offline once heartbeats stop), type, capabilities, last seen and the work each holds now.
import { age, badge, h, shortId, table } from '../dom.js';

export function agentsView(agents, work) {
  const holding = new Map();
  for (const item of work) {
    if ((item.state === 'assigned' || item.state === 'in-progress') && item.agentId) holding.set(item.agentId, [...(holding.get(item.agentId) ?? []), item]);
  }
  const rows = agents.map((agent) =>
    h(
      'tr',
      { 'data-testid': 'agent-row', 'data-agent-id': agent.id, 'data-status': agent.status },
      h('td', {}, badge(agent.status)),
      h('td', {}, h('div', {}, agent.handle), shortId(agent.id)),
      h('td', {}, agent.agentType),
      h('td', {}, agent.capabilities.join(', ')),
      h('td', { title: agent.lastSeen }, `${age(agent.lastSeen)} ago`),
      h('td', {}, (holding.get(agent.id) ?? []).map((item) => h('div', {}, shortId(item.workId), ' ', badge(item.state))), holding.has(agent.id) ? null : h('span', { class: 'muted' }, agent.currentTaskCount ? `${agent.currentTaskCount} task(s)` : 'idle')),
    ),
  );
  return table(['status', 'agent', 'type', 'capabilities', 'last seen', 'current work'], rows, 'No agents registered in this project.');
}
