// A prom-client registry per process (never the global default: a test may run several kernels in one process).
import { collectDefaultMetrics, Registry } from 'prom-client';

export function createMetricsRegistry(labels: Record<string, string> = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  // Process CPU, memory, event-loop lag and GC, under their usual names (process_*, nodejs_*).
  collectDefaultMetrics({ register: registry });
  return registry;
}
