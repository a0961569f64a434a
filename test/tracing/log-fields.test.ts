// Log lines name their component, project, agent and trace: the logger's rules in one process, and the JSON lines that
// `loom weft`, `loom agent`, `loom warp`, `loom pattern` and `loom shuttle` really write to stderr.
import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, withSpan } from '../../core/index.js';
import { spawnMcpServer } from '../../core/testing/mcp-client.js';
import { ensureContextManager } from '../../plugins/tracing/index.js';
import { http, startFabric, waitFor, type Fabric } from '../weft/harness.js';

type Line = Record<string, unknown>;
const linesOf = (text: string): Line[] => text.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Line);

function capture() {
  const out: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      out.push(String(chunk));
      done();
    },
  });
  return { stream, lines: () => linesOf(out.join('')), raw: () => out.join('') };
}

describe('the logger', () => {
  it('adds the process’s project and agent, lets a line name another project, and adds the active trace', async () => {
    ensureContextManager();
    const sink = capture();
    const log = createLogger({ level: 'info', component: 'loom-test', destination: sink.stream, context: { projectId: 'proj-a', agentId: 'ab'.repeat(16) } });
    log.info('plain');
    log.child({ agentId: 'ab'.repeat(16) }).info({ projectId: 'proj-b' }, 'about another project');
    const traceId = randomBytes(16).toString('hex');
    const spanId = randomBytes(8).toString('hex');
    await withSpan('work', { parent: `00-${traceId}-${spanId}-01` }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.info('inside a span, after an await');
    });
    const [plain, other, traced] = sink.lines();
    expect(plain).toMatchObject({ component: 'loom-test', projectId: 'proj-a', agentId: 'ab'.repeat(16), msg: 'plain' });
    expect(plain).not.toHaveProperty('traceId');
    expect(other).toMatchObject({ projectId: 'proj-b' });
    // One key once: neither the child's binding nor the line's own field is written twice.
    const otherRaw = sink.raw().split('\n')[1]!;
    expect(otherRaw.match(/"agentId"/g)).toHaveLength(1);
    expect(otherRaw.match(/"projectId"/g)).toHaveLength(1);
    expect(traced).toMatchObject({ traceId, projectId: 'proj-a', msg: 'inside a span, after an await' });
  });
});

describe('what the processes write to stderr', () => {
  let fabric: Fabric;
  beforeAll(async () => {
    fabric = await startFabric('log-fields');
  }, 60_000);
  afterAll(async () => {
    await fabric?.stop();
  });

  it('weft, an agent and an MCP server log JSON with component, projectId and agentId; weft’s request work carries the trace id', async () => {
    const weft = await fabric.startWeft({ LOG_LEVEL: 'info', LOOMINAL_AGENT_ID: 'c3'.repeat(16) });
    const agent = await fabric.startAgent({ capability: 'logs', env: { LOG_LEVEL: 'info' } });
    const warp = await spawnMcpServer({ args: ['warp'], env: fabric.env({ LOG_LEVEL: 'debug', LOOMINAL_AGENT_ID: 'd4'.repeat(16) }), cwd: fabric.project.dir });
    try {
      await warp.call('register_agent', { agentType: 'tester', capabilities: ['logs'], scope: 'team' });
      const ready = await waitFor(() => linesOf(agent.stderr()).find((line) => line.msg === 'agent ready for work'), 'the agent to log that it is ready');
      expect(ready).toMatchObject({ component: 'agent', projectId: 'log-fields', agentId: agent.agentId });
      const listening = linesOf(weft.stderr()).find((line) => line.msg === 'weft REST API listening');
      expect(listening).toMatchObject({ component: 'loom-weft', plugin: 'weft:api', projectId: 'log-fields', agentId: 'c3'.repeat(16) });
      const warpLines = await waitFor(() => linesOf(warp.stderr()).length > 0 && linesOf(warp.stderr()), 'warp to log');
      // Parts of a process name themselves (component "nats", "agent"); every line names a component, project and agent.
      for (const line of warpLines) expect(line, JSON.stringify(line)).toMatchObject({ component: expect.any(String), projectId: 'log-fields', agentId: 'd4'.repeat(16) });
      expect(warpLines.some((line) => line.component === 'loom-warp')).toBe(true);

      // Nobody has the capability: weft logs its spin-up request while handling the submission, inside its trace.
      const traceId = randomBytes(16).toString('hex');
      const submitted = await http(weft.url, 'POST', '/api/work', { body: { description: 'no one can', capability: 'nobody' }, headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } });
      expect(submitted.status).toBe(201);
      const line = await waitFor(() => linesOf(weft.stderr()).find((l) => l.workId === submitted.body.workId && l.msg === 'no eligible agent online: spin-up requested'), 'weft to log the spin-up request');
      expect(line).toMatchObject({ traceId, projectId: 'log-fields', component: 'loom-weft' });
    } finally {
      await warp.close();
    }
  });

  it('pattern and shuttle log JSON with component, projectId and agentId on every line', async () => {
    const pattern = await spawnMcpServer({ args: ['pattern'], env: fabric.env({ LOG_LEVEL: 'debug', LOOMINAL_AGENT_ID: 'e5'.repeat(16) }), cwd: fabric.project.dir });
    const shuttle = await spawnMcpServer({ args: ['shuttle'], env: fabric.env({ LOG_LEVEL: 'debug', LOOMINAL_AGENT_ID: 'f6'.repeat(16), SHUTTLE_WORK_DIR: join(fabric.home, 'shuttle-logs') }), cwd: fabric.project.dir });
    try {
      // A tool call each, so each server has connected to NATS and done work worth a line.
      await pattern.call('remember', { content: 'the release train leaves on Fridays', scope: 'team', category: 'decisions' });
      await shuttle.call('assess_task', { task: 'Log something', subtasks: [{ id: 'only', instructions: 'Say hello', capability: 'logs' }] });
      for (const [server, component, agentId] of [[pattern, 'loom-pattern', 'e5'.repeat(16)], [shuttle, 'loom-shuttle', 'f6'.repeat(16)]] as const) {
        const lines = await waitFor(() => linesOf(server.stderr()).some((line) => line.component === component) && linesOf(server.stderr()), `${component} to log`);
        for (const line of lines) expect(line, JSON.stringify(line)).toMatchObject({ component: expect.any(String), projectId: 'log-fields', agentId });
      }
    } finally {
      await Promise.all([pattern.close(), shuttle.close()]);
    }
  });
});
