// Live updates from GET /api/events: the page trades its token for a single-use ticket (EventSource sends no headers),
// and on any error opens a new stream with a new ticket rather than letting EventSource retry a spent one.
import { api } from './api.js';

export function connectLive(projectId, { onEvent, onState }) {
  let source;
  let stopped = false;
  let timer;
  const open = async () => {
    if (stopped) return;
    try {
      const { ticket } = await api('POST', '/api/events/ticket');
      if (stopped) return;
      const url = new URL('/api/events', location.origin);
      if (projectId) url.searchParams.set('projectId', projectId);
      url.searchParams.set('ticket', ticket);
      source = new EventSource(url);
      source.addEventListener('ready', () => onState(true));
      for (const type of ['work', 'work-event', 'agent']) source.addEventListener(type, (message) => onEvent(type, JSON.parse(message.data)));
      source.onerror = () => {
        source.close();
        onState(false);
        retry();
      };
    } catch {
      onState(false);
      retry();
    }
  };
  const retry = () => {
    clearTimeout(timer);
    timer = setTimeout(open, 2000);
  };
  void open();
  return () => {
    stopped = true;
    clearTimeout(timer);
    source?.close();
  };
}
