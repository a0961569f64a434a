// W3C trace context for every process: traceparent strings (NATS headers, payloads, env) and spans via @opentelemetry/api.
// Without a registered tracer provider the API is a no-op, yet a traceparent received is still passed on unchanged.
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type SpanContext } from '@opentelemetry/api';

const TRACER_NAME = 'loominal';
const TRACEPARENT_PATTERN = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

export type SpanKindName = 'server' | 'client' | 'producer' | 'consumer' | 'internal';
const KINDS: Record<SpanKindName, SpanKind> = { server: SpanKind.SERVER, client: SpanKind.CLIENT, producer: SpanKind.PRODUCER, consumer: SpanKind.CONSUMER, internal: SpanKind.INTERNAL };

export interface LoomSpanOptions {
  kind?: SpanKindName;
  /** A traceparent (from a header, a payload, an env var) or a context; default: the active context. */
  parent?: string | Context | undefined;
  attributes?: Attributes;
}

export function formatTraceparent(spanContext: SpanContext): string | undefined {
  if (!isValid(spanContext.traceId, spanContext.spanId)) return undefined;
  return `00-${spanContext.traceId}-${spanContext.spanId}-${(spanContext.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

/** The span context a traceparent names, or undefined when it is missing or malformed (version 00 only). */
export function parseTraceparent(value: string | undefined | null): SpanContext | undefined {
  const match = value ? TRACEPARENT_PATTERN.exec(value.trim()) : null;
  if (!match || !isValid(match[1]!, match[2]!)) return undefined;
  return { traceId: match[1]!, spanId: match[2]!, traceFlags: parseInt(match[3]!, 16), isRemote: true };
}

function isValid(traceId: string, spanId: string): boolean {
  return traceId !== ZERO_TRACE && spanId !== ZERO_SPAN && /^[0-9a-f]{32}$/.test(traceId) && /^[0-9a-f]{16}$/.test(spanId);
}

/** The trace id inside a traceparent (what logs and tests compare across processes). */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  return parseTraceparent(traceparent)?.traceId;
}

/** The traceparent of the span active in a context (default: the active one), if any. */
export function traceparentOf(ctx: Context = context.active()): string | undefined {
  const span = trace.getSpan(ctx);
  return span ? formatTraceparent(span.spanContext()) : undefined;
}

/** A context whose parent is the remote span a traceparent names; a bad or missing value leaves `base` as it is. */
export function contextFromTraceparent(traceparent: string | undefined | null, base: Context = ROOT_CONTEXT): Context {
  const spanContext = parseTraceparent(traceparent);
  return spanContext ? trace.setSpanContext(base, spanContext) : base;
}

function parentContext(parent: LoomSpanOptions['parent']): Context {
  if (parent === undefined) return context.active();
  if (typeof parent === 'string') return contextFromTraceparent(parent, context.active());
  return parent;
}

/** Starts a span (not made active); end it yourself. Its context is what `context.with` or traceparentOf take. */
export function startSpan(name: string, options: LoomSpanOptions = {}): { span: Span; context: Context } {
  const parent = parentContext(options.parent);
  const span = trace.getTracer(TRACER_NAME).startSpan(name, { kind: KINDS[options.kind ?? 'internal'], ...(options.attributes ? { attributes: options.attributes } : {}) }, parent);
  return { span, context: trace.setSpan(parent, span) };
}

/** Runs fn inside a new active span; an error thrown marks the span failed and is rethrown. */
export async function withSpan<T>(name: string, options: LoomSpanOptions, fn: (span: Span) => Promise<T> | T): Promise<T> {
  const { span, context: active } = startSpan(name, options);
  try {
    return await context.with(active, () => fn(span));
  } catch (err) {
    markFailed(span, err);
    throw err;
  } finally {
    span.end();
  }
}

export function markFailed(span: Span, err: unknown): void {
  span.recordException(err instanceof Error ? err : String(err));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}

/**
 * The traceparent a message should carry when it is sent: a producer span (child of `parent`, else of the active
 * context) is recorded and its traceparent returned. Without a tracer the parent's own traceparent passes through.
 */
export function producerTraceparent(name: string, attributes: Attributes, parent?: string): string | undefined {
  const { span, context: produced } = startSpan(name, { kind: 'producer', attributes, parent });
  span.end();
  return traceparentOf(produced) ?? (parent && parseTraceparent(parent) ? parent : undefined);
}

/** traceId and spanId of the active span, for log lines (pino mixin). */
export function activeTraceFields(): { traceId?: string; spanId?: string } {
  const spanContext = trace.getSpan(context.active())?.spanContext();
  if (!spanContext || !isValid(spanContext.traceId, spanContext.spanId)) return {};
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}
