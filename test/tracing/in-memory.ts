// An in-memory span exporter registered as this test process's tracer provider (the SDK is a devDependency).
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { ensureContextManager } from '../../plugins/tracing/index.js';

export interface SpanRecorder {
  spans(): ReadableSpan[];
  named(name: string): ReadableSpan[];
  shutdown(): Promise<void>;
}

export function recordSpans(): SpanRecorder {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  ensureContextManager();
  if (!trace.setGlobalTracerProvider(provider)) throw new Error('a tracer provider was already registered in this test process');
  return {
    spans: () => exporter.getFinishedSpans(),
    named: (name) => exporter.getFinishedSpans().filter((span) => span.name === name),
    shutdown: () => provider.shutdown(),
  };
}
