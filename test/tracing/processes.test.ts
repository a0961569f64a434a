// Traces across real processes (`loom weft`, `loom agent`, `loom shuttle`), exported through the OTLP hook
// (OTEL_EXPORTER_OTLP_ENDPOINT with a stand-in exporter module that writes spans to a file): REST submission → offer →
// agent, and shuttle's plan → offers → agents → results → synthesis, each one trace with every parent in place.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnMcpServer, type McpSession } from '../../core/testing/mcp-client.js';
import { http, spawnLoom, startFabric, waitFor, type Fabric, type WeftProcess } from '../weft/harness.js';

interface ExportedSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  service: string;
  attributes: Record<string, unknown>;
  endpoint: string;
}

const PROJECT = 'trace-procs';
const ECHO = fileURLToPath(new URL('./fixtures/echo-trace.mjs', import.meta.url));
const FAKE_EXPORTER = fileURLToPath(new URL('./fixtures/fake-otlp-exporter.mjs', import.meta.url));
const ENDPOINT = 'http://127.0.0.1:4318';
let fabric: Fabric;
let weft: WeftProcess;
let shuttle: McpSession | undefined;
let spanFile: string;

const spans = (): ExportedSpan[] => (existsSync(spanFile) ? readFileSync(spanFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as ExportedSpan) : []);
const spanWhere = (what: string, match: (span: ExportedSpan) => boolean) => waitFor(() => spans().find(match), `span ${what} to be exported`);

beforeAll(async () => {
  fabric = await startFabric(PROJECT);
  spanFile = join(fabric.home, 'spans.jsonl');
  const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT, LOOM_OTEL_EXPORTER_MODULE: FAKE_EXPORTER, FAKE_OTLP_FILE: spanFile, OTEL_BSP_SCHEDULE_DELAY: '100', LOG_LEVEL: 'info' };
  weft = await fabric.startWeft(otel);
  spawnLoom(['agent', '--capability', 'trace', '--grace-ms', '0', '--', process.execPath, ECHO], fabric.env({ ...otel, LOOMINAL_AGENT_ID: 'a1'.repeat(16) }), fabric.project.dir);
  shuttle = await spawnMcpServer({ args: ['shuttle'], env: fabric.env({ ...otel, LOOMINAL_AGENT_ID: 'b2'.repeat(16), SHUTTLE_WORK_DIR: join(fabric.home, 'shuttle') }), cwd: fabric.project.dir });
}, 60_000);
afterAll(async () => {
  await shuttle?.close().catch(() => undefined);
  await fabric?.stop();
});

describe('traces across processes', () => {
  it('continues the caller’s trace from POST /api/work in weft to the agent that completes the item', async () => {
    const traceId = randomBytes(16).toString('hex');
    const clientSpanId = randomBytes(8).toString('hex');
    const submitted = await http(weft.url, 'POST', '/api/work', { body: { description: 'trace me', capability: 'trace' }, headers: { traceparent: `00-${traceId}-${clientSpanId}-01` } });
    const workId = submitted.body.workId as string;
    const record = await waitFor(async () => {
      const answer = await http(weft.url, 'GET', `/api/work/${workId}`);
      return answer.body.state === 'completed' && answer.body;
    }, 'the work item to complete');

    const server = await spanWhere('POST /api/work', (s) => s.name === 'POST /api/work' && s.traceId === traceId);
    const offer = await spanWhere('loom.work.offer', (s) => s.name === 'loom.work.offer' && s.attributes['loom.work_id'] === workId);
    const agent = await spanWhere('loom.agent.work', (s) => s.name === 'loom.agent.work' && s.attributes['loom.work_id'] === workId);
    expect(server).toMatchObject({ service: 'loom-weft', parentSpanId: clientSpanId, endpoint: ENDPOINT });
    expect(offer).toMatchObject({ service: 'loom-weft', traceId, parentSpanId: server.spanId });
    expect(agent).toMatchObject({ service: 'loom-agent', traceId, parentSpanId: offer.spanId });
    expect(JSON.parse(record.result as string).traceparent).toBe(`00-${traceId}-${agent.spanId}-01`);
  });

  it('keeps a shuttle orchestration in one trace: plan, offers, agents, results and synthesis', async () => {
    const plan = await shuttle!.call<{ orchestrationId: string }>('assess_task', {
      task: 'Count the words, then summarise',
      subtasks: [
        { id: 'count', instructions: 'Count the words', capability: 'trace' },
        { id: 'summary', instructions: 'Summarise the count', capability: 'trace', dependsOn: ['count'] },
      ],
    });
    const id = plan.orchestrationId;
    await shuttle!.call('spawn_subagents', { orchestrationId: id });
    await waitFor(async () => (await shuttle!.call<{ subtasks: Array<{ state: string }> }>('checkpoint_progress', { orchestrationId: id })).subtasks.every((s) => s.state === 'completed'), 'both subtasks to complete', 45_000);
    const synthesis = await shuttle!.call<{ outcome: string }>('synthesize_results', { orchestrationId: id });
    expect(synthesis.outcome).toBe('complete');

    const root = await spanWhere('shuttle.assess_task', (s) => s.name === 'shuttle.assess_task' && s.attributes['loom.orchestration_id'] === id);
    expect(root.service).toBe('loom-shuttle');
    expect(root.parentSpanId).toBeUndefined();
    const synthesize = await spanWhere('shuttle.synthesize', (s) => s.name === 'shuttle.synthesize' && s.attributes['loom.orchestration_id'] === id);
    expect(synthesize).toMatchObject({ traceId: root.traceId, parentSpanId: root.spanId });
    for (const subtask of ['count', 'summary']) {
      const result = await spanWhere(`shuttle.result of ${subtask}`, (s) => s.name === 'shuttle.result' && s.attributes['loom.orchestration_id'] === id && s.attributes['loom.subtask_id'] === subtask);
      const workId = result.attributes['loom.work_id'];
      const offer = await spanWhere(`the offer of ${subtask}`, (s) => s.name === 'loom.work.offer' && s.attributes['loom.work_id'] === workId);
      const agent = await spanWhere(`the agent span of ${subtask}`, (s) => s.name === 'loom.agent.work' && s.attributes['loom.work_id'] === workId);
      expect(offer).toMatchObject({ service: 'loom-shuttle', traceId: root.traceId, parentSpanId: root.spanId });
      expect(agent).toMatchObject({ service: 'loom-agent', traceId: root.traceId, parentSpanId: offer.spanId });
      expect(result).toMatchObject({ service: 'loom-shuttle', traceId: root.traceId, parentSpanId: offer.spanId });
    }
  });
});
