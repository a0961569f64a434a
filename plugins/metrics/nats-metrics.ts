// NATS connection state and reconnects. The connection is never opened for metrics' sake: the status is watched once
// the process has connected on its own.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger, NatsService } from '../../core/index.js';

export function registerNatsMetrics(registry: Registry, nats: NatsService, log: Logger): { stop(): void } {
  new Gauge({
    name: 'loom_nats_connected',
    help: '1 while the NATS connection is open, 0 before the first connect and while reconnecting',
    registers: [registry],
    collect() {
      this.set(nats.isConnected() ? 1 : 0);
    },
  });
  const events = new Counter({ name: 'loom_nats_connection_events_total', help: 'NATS connection status changes seen by this process, by type (disconnect, reconnect, …)', labelNames: ['type'], registers: [registry] });
  const reconnects = new Counter({ name: 'loom_nats_reconnects_total', help: 'Times this process reconnected to NATS', registers: [registry] });
  reconnects.inc(0);
  let watching = false;
  let stopped = false;
  const timer = setInterval(() => {
    if (watching || stopped || !nats.isConnected()) return;
    watching = true;
    void nats.connection().then(async (nc) => {
      clearInterval(timer);
      for await (const status of nc.status()) {
        if (stopped) break;
        events.inc({ type: status.type });
        if (status.type === 'reconnect') reconnects.inc();
      }
    }).catch((err: unknown) => {
      watching = false;
      log.debug({ err }, 'not watching the NATS connection status');
    });
  }, 250);
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
