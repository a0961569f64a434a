// OTLP export out of the box: a real `loom weft` with only OTEL_EXPORTER_OTLP_ENDPOINT set (the SDK and the OTLP/HTTP
// exporter come with loominal as optional dependencies) posts its spans to a collector — here an HTTP server of the
// test — and the submission's trace is in them.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startFabric, waitFor, type Fabric, type WeftProcess } from '../weft/harness.js';

interface Received {
  method: string;
  path: string;
  contentType: string;
  body: Buffer;
}

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
}
interface OtlpRequest {
  resourceSpans: Array<{ resource?: { attributes?: Array<{ key: string; value: { stringValue?: string } }> }; scopeSpans: Array<{ spans: OtlpSpan[] }> }>;
}

let fabric: Fabric;
let weft: WeftProcess;
let collector: Server;
let endpoint: string;
const received: Received[] = [];

beforeAll(async () => {
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', path: req.url ?? '', contentType: req.headers['content-type'] ?? '', body: Buffer.concat(chunks) });
      // What a collector answers to a full success (an empty ExportTraceServiceResponse).
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  fabric = await startFabric('otlp-export');
  weft = await fabric.startWeft({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '100', LOG_LEVEL: 'info' });
}, 60_000);
afterAll(async () => {
  await fabric?.stop();
  await new Promise((resolve) => collector?.close(resolve));
});

/** The spans of one OTLP request: JSON is parsed; protobuf is searched for the trace id's 16 bytes. */
function spansIn(request: Received): { json?: OtlpRequest; hasTrace(traceId: string): boolean } {
  if (request.contentType.startsWith('application/json')) {
    const json = JSON.parse(request.body.toString('utf8')) as OtlpRequest;
    const ids = json.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((span) => span.traceId)));
    return { json, hasTrace: (traceId) => ids.includes(traceId) };
  }
  return { hasTrace: (traceId) => request.body.includes(Buffer.from(traceId, 'hex')) };
}

describe('OTLP export with only OTEL_EXPORTER_OTLP_ENDPOINT set', () => {
  it('posts the spans of a work submission to <endpoint>/v1/traces, in the caller’s trace', async () => {
    expect(weft.stderr()).toContain('exporting spans over OTLP');
    expect(weft.stderr()).not.toContain('spans cannot be exported');
    const traceId = randomBytes(16).toString('hex');
    const submitted = await http(weft.url, 'POST', '/api/work', { body: { description: 'export my trace', capability: 'otlp' }, headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } });
    expect(submitted.status).toBe(201);

    const request = await waitFor(() => received.find((r) => spansIn(r).hasTrace(traceId)), 'a span export carrying the submission’s trace id');
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/traces');
    // The OTLP/HTTP exporter's encoding is JSON.
    expect(request.contentType).toMatch(/^application\/json/);
    const service = spansIn(request).json!.resourceSpans.flatMap((r) => r.resource?.attributes ?? []).find((attribute) => attribute.key === 'service.name');
    expect(service?.value.stringValue).toBe('loom-weft');
    // The request's span and the offer it made (the two may leave in different batches), the offer its child.
    const spans = await waitFor(() => {
      const all = received.flatMap((r) => spansIn(r).json?.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)) ?? []).filter((span) => span.traceId === traceId);
      const server = all.find((span) => span.name === 'POST /api/work');
      const offer = all.find((span) => span.name === 'loom.work.offer');
      return server && offer && { server, offer };
    }, 'the request and offer spans to be exported');
    expect(spans.offer.parentSpanId).toBe(spans.server.spanId);
  });
});
