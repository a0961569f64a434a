// Shared helpers of the pattern end-to-end tests: real `loom pattern` processes over stdio against a real nats-server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { expect } from 'vitest';
import { spawnMcpServer, type McpSession } from '../../core/testing/mcp-client.js';
import type { NatsServerHandle } from '../../core/testing/nats-server.js';
import type { MemoryRecord } from '../../plugins/pattern/record.js';
import { until } from '../../core/testing/poll.js';

export interface PatternAgent extends McpSession {
  agentId: string;
  projectId: string;
  principal: string;
}

export interface AgentSpec {
  projectId: string;
  principal: string;
  agentId?: string;
  env?: Record<string, string>;
}

export const newAgentId = () => randomBytes(16).toString('hex');

const homes: string[] = [];

export async function startPattern(nats: NatsServerHandle, spec: AgentSpec): Promise<PatternAgent> {
  const home = mkdtempSync(join(tmpdir(), 'loom-pattern-'));
  homes.push(home);
  const agentId = spec.agentId ?? newAgentId();
  const session = await spawnMcpServer({
    args: ['pattern'],
    cwd: home,
    env: {
      NATS_URL: nats.url,
      LOOMINAL_PROJECT_ID: spec.projectId,
      LOOMINAL_AGENT_ID: agentId,
      LOOMINAL_PRINCIPAL: spec.principal,
      HOME: home,
      LOOMINAL_HOME: home,
      // Tests prove that reads filter expired memories themselves, so the background sweep stays off unless asked.
      PATTERN_SWEEP_INTERVAL_MS: '0',
      ...spec.env,
    },
  });
  return Object.assign(session, { agentId, projectId: spec.projectId, principal: spec.principal });
}

export function removeHomes(): void {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
}

export interface ToolError {
  text: string;
}

/** Calls a tool that must fail and returns its error text. */
export async function callError(agent: McpSession, tool: string, args: Record<string, unknown>): Promise<string> {
  const result = await agent.raw(tool, args);
  expect(result.isError, `${tool} should have failed but returned ${JSON.stringify(result.structuredContent)}`).toBe(true);
  return result.content.map((c) => c.text ?? '').join('\n');
}

export async function remember(agent: McpSession, args: Record<string, unknown>): Promise<MemoryRecord> {
  return (await agent.call<{ memory: MemoryRecord }>('remember', args)).memory;
}

export interface Recall {
  summary: string;
  summaryBytes: number;
  memories: MemoryRecord[];
  total: number;
  counts: Record<string, number>;
}

export const recall = (agent: McpSession, args: Record<string, unknown> = {}) => agent.call<Recall>('recall_context', { limit: 200, ...args });

export async function recalledIds(agent: McpSession, args: Record<string, unknown> = {}): Promise<string[]> {
  return (await recall(agent, args)).memories.map((memory) => memory.id);
}

/** Polls until check passes (it throws or returns false until then), with a deadline; never a fixed sleep. */
export async function eventually<T>(check: () => Promise<T | false>, timeoutMs = 15_000): Promise<T> {
  const held = await until(
    async () => {
      const value = await check();
      return value !== false ? { value } : undefined;
    },
    'the condition to hold',
    timeoutMs,
  );
  return held.value;
}

/** A direct NATS view of the memory buckets, to check what is (and is not) stored. */
export async function openBuckets(nats: NatsServerHandle): Promise<{ nc: NatsConnection; keys(bucket: string): Promise<string[]>; close(): Promise<void> }> {
  const nc = await connect({ servers: nats.url });
  const kvm = new Kvm(nc);
  return {
    nc,
    async keys(bucket) {
      const kv = await kvm.open(bucket);
      const out: string[] = [];
      for await (const key of await kv.keys()) out.push(key);
      return out.sort();
    },
    close: () => nc.close(),
  };
}
