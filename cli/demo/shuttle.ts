// The demo's shuttle orchestration, driven as an agent would: a real MCP client talking to `loom shuttle` over stdio.
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { loomCommand } from '../../core/process/loom-command.js';
import { DEMO_ORCHESTRATION } from './plan.js';

export interface ShuttleView {
  orchestrationId: string;
  phase: string;
  subtasks: Array<{ id: string; state: string; capability: string; agentId?: string; result?: string }>;
}

export interface DemoShuttle {
  orchestrationId: string;
  results(): Promise<ShuttleView & { complete: boolean }>;
  synthesize(): Promise<{ outcome: string; path: string; document: string }>;
  close(): Promise<void>;
}

export async function startDemoShuttle(env: Record<string, string>, cwd: string): Promise<DemoShuttle> {
  const [command, ...prefix] = loomCommand();
  const transport = new StdioClientTransport({ command: command!, args: [...prefix, 'shuttle'], env, cwd, stderr: 'ignore' });
  const client = new Client({ name: 'loom-demo', version: '1.0.0' });
  await client.connect(transport);
  const call = async <T>(name: string, args: Record<string, unknown>): Promise<T> => {
    const result = (await client.callTool({ name, arguments: args })) as { isError?: boolean; content: Array<{ text?: string }>; structuredContent?: unknown };
    if (result.isError) throw new Error(`shuttle ${name}: ${result.content.map((c) => c.text ?? '').join(' ')}`);
    return result.structuredContent as T;
  };
  try {
    const { orchestrationId } = await call<{ orchestrationId: string }>('assess_task', DEMO_ORCHESTRATION);
    await call('spawn_subagents', { orchestrationId });
    return {
      orchestrationId,
      results: () => call('get_results', { orchestrationId }),
      synthesize: () => call('synthesize_results', { orchestrationId }),
      close: () => client.close(),
    };
  } catch (err) {
    await client.close().catch(() => undefined);
    throw err;
  }
}
