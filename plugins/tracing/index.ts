// tracing:otel — W3C trace context in every process: the active span follows awaits, and OTEL_EXPORTER_OTLP_ENDPOINT
// turns on span export (see exporter.ts). Loaded by every preset and by `loom agent`.
import { z } from 'zod';
import { definePlugin } from '../../core/index.js';
import { ensureContextManager } from './context-manager.js';
import { startOtlpExport } from './exporter.js';

export const tracingOptionsSchema = z.strictObject({
  /** service.name of exported spans (OTEL_SERVICE_NAME wins); default: the process's log component (loom-weft, …). */
  serviceName: z.string().min(1).optional(),
  /** The module that provides OTLPTraceExporter. */
  exporterModule: z.string().min(1).default('@opentelemetry/exporter-trace-otlp-http'),
});
export type TracingOptions = z.output<typeof tracingOptionsSchema>;

export const tracingPlugin = definePlugin<TracingOptions>({
  name: 'tracing:otel',
  options: tracingOptionsSchema,
  env: { LOOM_OTEL_EXPORTER_MODULE: 'exporterModule' },
  async setup(ctx) {
    ensureContextManager();
    // The process's log component names its spans too: loom-weft, loom-warp, loom-agent, …
    const component = (ctx.log.bindings() as { component?: string }).component ?? 'loom';
    const running = await startOtlpExport({ env: ctx.env, log: ctx.log, serviceName: ctx.options.serviceName ?? component, exporterModule: ctx.options.exporterModule });
    // Flushed last: spans of the other plugins' shutdown still go out.
    if (running) ctx.onStop(() => running.shutdown().catch((err: unknown) => ctx.log.warn({ err }, 'flushing spans failed')));
  },
});

export { AsyncLocalContextManager, ensureContextManager } from './context-manager.js';
