// Serves a kernel's tools over stdio until the client closes stdin or a signal arrives; stdout carries only protocol.
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import type { Kernel } from '../kernel.js';
import { createMcpServer, type McpServerOptions } from './bridge.js';

export async function serveKernelOverStdio(kernel: Kernel, options: McpServerOptions): Promise<void> {
  await new Promise<void>((resolve) => {
    const handle = serveStdio(() => createMcpServer(kernel, options), { onerror: (err) => kernel.log.warn({ err }, 'MCP transport error') });
    const finish = () => {
      process.stdin.off('end', finish);
      process.stdin.off('close', finish);
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      void handle.close().finally(resolve);
    };
    process.stdin.once('end', finish);
    process.stdin.once('close', finish);
    process.once('SIGINT', finish);
    process.once('SIGTERM', finish);
  });
}
