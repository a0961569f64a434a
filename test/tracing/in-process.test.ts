// One trace from a REST submission through the queue to an agent's completion, in one process with an in-memory
// exporter: every span's parent is the step before it, and the worker command gets the agent span as TRACEPARENT.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SpanKind } from '@opentelemetry/api';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKernel, startSpan, traceparentOf, weftHttpService, type Kernel } from '../../core/index.js';
import { parseConfig } from '../../core/config/load.js';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { createPresetKernel } from '../../cli/runtime.js';
import { agentPreset } from '../../presets/agent.js';
import { createAgentRuntime, type AgentRuntime } from '../../plugins/agent-runtime/index.js';
import { FAST, http, waitFor } from '../weft/harness.js';
import { recordSpans, type SpanRecorder } from './in-memory.js';

const PROJECT = 'trace-inproc';
const ECHO = fileURLToPath(new URL('./fixtures/echo-trace.mjs', import.meta.url));
let recorder: SpanRecorder;
let nats: NatsServerHandle;
let dir: string;
let weft: Kernel;
let agentKernel: Kernel;
let runtime: AgentRuntime;
let running: Promise<void>;
let nc: NatsConnection;
const events: Array<{ type: string; traceparent?: string }> = [];
const offerHeaders: string[] = [];

beforeAll(async () => {
  recorder = recordSpans();
  nats = await startNatsServer();
  dir = mkdtempSync(join(tmpdir(), 'loom-trace-'));
  const env = { NATS_URL: nats.url, LOOMINAL_PROJECT_ID: PROJECT, LOOMINAL_HOME: dir, API_PORT: '0', LOG_LEVEL: 'warn', ...FAST };
  nc = await connect({ servers: nats.url });
  nc.subscribe(`loom.${PROJECT}.events.work.>`, { callback: (_err, msg) => void events.push(JSON.parse(msg.string())) });
  nc.subscribe(`loom.${PROJECT}.work.>`, { callback: (_err, msg) => void offerHeaders.push(msg.headers?.get('traceparent') ?? '') });

  weft = await createPresetKernel({ preset: 'weft', env: { ...env, LOOMINAL_AGENT_ID: 'e'.repeat(32) }, cwd: dir });
  await weft.start();
  const agentEnv = { ...env, LOOMINAL_AGENT_ID: 'f'.repeat(32) };
  agentKernel = createKernel({ config: parseConfig({}, agentEnv), plugins: agentPreset.plugins.map((plugin) => ({ plugin, origin: 'test' })), env: agentEnv, cwd: dir, name: 'loom-agent' });
  await agentKernel.start();
  runtime = createAgentRuntime(
    { use: agentKernel.use, identity: agentKernel.identity, names: agentKernel.names, log: agentKernel.log },
    { capabilities: ['trace'], agentType: 'worker', command: [process.execPath, ECHO], concurrency: 1, includePublic: false, graceMs: 0, claimWaitMs: 1000, maxStdoutBytes: 65_536, maxStderrBytes: 16_384, env: { PATH: process.env.PATH } },
  );
  running = runtime.run();
}, 60_000);

afterAll(async () => {
  runtime?.stop('test over');
  await running?.catch(() => undefined);
  await agentKernel?.stop();
  await weft?.stop();
  await nc?.close();
  await recorder?.shutdown();
  await nats?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('tracing in one process', () => {
  it('records one trace: client → POST /api/work → loom.work.offer → loom.agent.work, carried by NATS headers and work events', async () => {
    const client = startSpan('test.client', { kind: 'client' });
    const traceparent = traceparentOf(client.context)!;
    const url = weft.use(weftHttpService).url()!;
    const submitted = await http(url, 'POST', '/api/work', { body: { description: 'trace me', capability: 'trace' }, headers: { traceparent } });
    client.span.end();
    expect(submitted.status).toBe(201);
    const workId = submitted.body.workId as string;
    const record = await waitFor(async () => {
      const answer = await http(url, 'GET', `/api/work/${workId}`);
      return answer.body.state === 'completed' && answer.body;
    }, 'the work item to complete');

    const traceId = client.span.spanContext().traceId;
    const [server] = recorder.named('POST /api/work');
    const offer = recorder.named('loom.work.offer').find((span) => span.attributes['loom.work_id'] === workId)!;
    const agent = recorder.named('loom.agent.work').find((span) => span.attributes['loom.work_id'] === workId)!;
    for (const span of [server!, offer, agent]) expect(span.spanContext().traceId, span.name).toBe(traceId);
    expect(server!.kind).toBe(SpanKind.SERVER);
    expect(server!.parentSpanContext?.spanId).toBe(client.span.spanContext().spanId);
    expect(server!.attributes['http.route']).toBe('/api/work');
    expect(offer.kind).toBe(SpanKind.PRODUCER);
    expect(offer.parentSpanContext?.spanId).toBe(server!.spanContext().spanId);
    expect(agent.kind).toBe(SpanKind.CONSUMER);
    expect(agent.parentSpanContext?.spanId).toBe(offer.spanContext().spanId);
    expect(agent.attributes).toMatchObject({ 'loom.capability': 'trace', 'loom.attempt': 1, 'loom.agent_id': 'f'.repeat(32) });

    // The worker command continued the trace: TRACEPARENT is the agent's span, the item carries the offer's.
    const seen = JSON.parse(record.result as string) as { traceparent: string; itemTraceparent: string };
    expect(seen.traceparent).toBe(`00-${traceId}-${agent.spanContext().spanId}-01`);
    expect(seen.itemTraceparent).toBe(`00-${traceId}-${offer.spanContext().spanId}-01`);
    // On NATS: the offer's header and every event of the item carry the same trace.
    expect(offerHeaders).toContain(seen.itemTraceparent);
    const itemEvents = events.filter((event) => (event as { workId?: string }).workId === workId);
    expect(itemEvents.map((event) => event.type)).toEqual(expect.arrayContaining(['offered', 'claimed', 'completed']));
    for (const event of itemEvents.filter((e) => e.type !== 'cancelled')) expect(event.traceparent, event.type).toBe(seen.itemTraceparent);
  });
});
