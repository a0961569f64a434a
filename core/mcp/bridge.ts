// The bridge from the tool registry to an MCP server: validation, hooks, structuredContent, coded isError results.
import { McpServer, type CallToolResult, type StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import { LoomError, toLoomError } from '../errors.js';
import { formatIssues } from '../zod-issues.js';
import type { Kernel } from '../kernel.js';
import type { AnyToolDefinition, ToolContext } from './define-tool.js';

export interface McpServerOptions {
  name: string;
  version: string;
  /** Prefixes every tool name, for clients that mount many servers. */
  toolPrefix?: string;
  instructions?: string;
}

/**
 * The SDK validates arguments before our handler runs and answers with its own wording. We let every
 * argument through (while still advertising the real JSON Schema) so that validation errors carry our code.
 */
function advertiseOnly(schema: z.ZodType): StandardSchemaWithJSON {
  const standard = (schema as unknown as StandardSchemaWithJSON)['~standard'];
  return {
    '~standard': {
      version: 1 as const,
      vendor: standard.vendor,
      validate: (value: unknown) => ({ value }),
      types: undefined,
      jsonSchema: standard.jsonSchema,
    },
  };
}

export function errorResult(err: unknown): CallToolResult {
  const loom = toLoomError(err);
  return { isError: true, content: [{ type: 'text', text: loom.message }], structuredContent: undefined } as CallToolResult;
}

export async function callTool(kernel: Kernel, tool: AnyToolDefinition, args: unknown, signal: AbortSignal): Promise<CallToolResult> {
  const started = performance.now();
  const event = { tool: tool.name, input: args ?? {}, projectId: kernel.identity.projectId, agentId: kernel.identity.agentId };
  try {
    const intercepted = await kernel.hooks.call.beforeToolCall.promise(event);
    const parsed = tool.input.safeParse(intercepted.input);
    if (!parsed.success) throw new LoomError('LOOM_ERR_INVALID_INPUT', `${tool.name}: ${formatIssues(parsed.error)}`, { tool: tool.name, issues: parsed.error.issues });
    let log: ToolContext['log'] | undefined;
    const ctx: ToolContext = {
      projectId: kernel.identity.projectId,
      agentId: kernel.identity.agentId,
      principal: kernel.identity.principal,
      identity: kernel.identity,
      names: kernel.names,
      // Made when a tool first logs: a pino child per call cost more than most tools' own work.
      get log() {
        return (log ??= kernel.log.child({ tool: tool.name }));
      },
      signal,
      use: kernel.use,
    };
    const output = (await tool.run({ input: parsed.data, ctx })) as Record<string, unknown>;
    await kernel.hooks.call.afterToolCall.promise(intercepted, { ok: true, output, durationMs: performance.now() - started });
    return { content: [{ type: 'text', text: JSON.stringify(output) }], structuredContent: output };
  } catch (err) {
    const loom = toLoomError(err);
    if (loom.code === 'LOOM_ERR_INTERNAL') kernel.log.error({ err, tool: tool.name }, 'tool failed');
    await kernel.hooks.call.afterToolCall.promise(event, { ok: false, errorCode: loom.code, durationMs: performance.now() - started }).catch(() => {});
    return { isError: true, content: [{ type: 'text', text: loom.message }] };
  }
}

export function createMcpServer(kernel: Kernel, options: McpServerOptions): McpServer {
  const server = new McpServer({ name: options.name, version: options.version }, { capabilities: { tools: {} }, ...(options.instructions ? { instructions: options.instructions } : {}) });
  for (const tool of kernel.registries.tools.values()) {
    server.registerTool(
      `${options.toolPrefix ?? ''}${tool.name}`,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: advertiseOnly(tool.input),
        outputSchema: tool.output as never,
        annotations: tool.annotations ?? {},
      },
      ((args: unknown, extra: { signal?: AbortSignal } | undefined) => callTool(kernel, tool, args, extra?.signal ?? new AbortController().signal)) as never,
    );
  }
  return server;
}
