// Spawns a `loom` MCP server over stdio and connects a real MCP client to it.
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { loomCommand } from './loom-process.js';

export interface McpSession {
  client: Client;
  transport: StdioClientTransport;
  /** Calls a tool and returns structuredContent; throws with the error text on isError. */
  call<T = Record<string, unknown>>(name: string, args?: Record<string, unknown>): Promise<T>;
  /** Calls a tool and returns the raw result (for asserting errors). */
  raw(name: string, args?: Record<string, unknown>): Promise<{ isError?: boolean; content: Array<{ type: string; text?: string }>; structuredContent?: Record<string, unknown> }>;
  pid(): number | null;
  stderr(): string;
  close(): Promise<void>;
}

export interface SpawnMcpOptions {
  /** `loom` arguments, e.g. ['warp']. */
  args: string[];
  env: Record<string, string>;
  cwd?: string;
}

export async function spawnMcpServer(options: SpawnMcpOptions): Promise<McpSession> {
  const [command, ...prefix] = loomCommand();
  const transport = new StdioClientTransport({
    command: command!,
    args: [...prefix, ...options.args],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...options.env },
    stderr: 'pipe',
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: 'loom-test', version: '0.0.0' });
  await client.connect(transport);
  const raw: McpSession['raw'] = async (name, args = {}) => (await client.callTool({ name, arguments: args })) as never;
  return {
    client,
    transport,
    raw,
    async call(name, args = {}) {
      const result = await raw(name, args);
      if (result.isError) throw new Error(result.content.map((c) => c.text ?? '').join('\n'));
      return result.structuredContent as never;
    },
    pid: () => transport.pid,
    stderr: () => stderr,
    close: () => client.close(),
  };
}
