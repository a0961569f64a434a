// A `loom` MCP server spawned with every stdout byte kept, and an MCP client transport over the same pipes: what the
// stdout-protocol tests read to show that nothing but JSON-RPC is ever written there.
import { spawn } from 'node:child_process';
import { expect } from 'vitest';
import {
  isJSONRPCErrorResponse,
  isJSONRPCNotification,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  ReadBuffer,
  serializeMessage,
  type JSONRPCMessage,
  type Transport,
} from '@modelcontextprotocol/client';
import { loomCommand } from '../../core/testing/loom-process.js';

export interface RawLoom {
  pid: number | undefined;
  /** Everything the process wrote to stdout so far, byte for byte. */
  stdoutBytes(): Buffer;
  /** The same, decoded (for polling; assertions use stdoutBytes). */
  stdout(): string;
  stderr(): string;
  /** The exit code once the process ends. */
  exited: Promise<number | null>;
  /** Writes one message to stdin as a line, the way an MCP client frames it. */
  send(message: object): void;
  /** Ends stdin: a stdio MCP server exits when its client goes away. */
  end(): void;
  /** A transport for an MCP SDK client over this process's stdin and stdout; close() ends stdin and waits for the exit. */
  transport(): Transport;
}

export function spawnRawLoom(args: string[], options: { cwd: string; env: Record<string, string> }): RawLoom {
  const [command, ...prefix] = loomCommand();
  const child = spawn(command!, [...prefix, ...args], { cwd: options.cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stdoutBytes = () => Buffer.concat(chunks);
  const end = () => child.stdin.end();
  return {
    pid: child.pid,
    stdoutBytes,
    stdout: () => stdoutBytes().toString('utf8'),
    stderr: () => stderr,
    exited,
    send: (message) => child.stdin.write(`${JSON.stringify(message)}\n`),
    end,
    transport() {
      const buffer = new ReadBuffer();
      const transport: Transport = {
        async start() {
          // A second listener on the same stream: the raw copy above sees every byte this one parses.
          child.stdout.on('data', (chunk: Buffer) => {
            buffer.append(chunk);
            for (;;) {
              let message: JSONRPCMessage | null;
              try {
                message = buffer.readMessage();
              } catch (err) {
                transport.onerror?.(err as Error);
                continue;
              }
              if (message === null) break;
              transport.onmessage?.(message);
            }
          });
          void exited.then(() => transport.onclose?.());
        },
        async send(message) {
          await new Promise<void>((resolve, reject) => child.stdin.write(serializeMessage(message), (err) => (err ? reject(err) : resolve())));
        },
        async close() {
          end();
          await exited;
        },
      };
      return transport;
    },
  };
}

/**
 * Fails unless the bytes are valid UTF-8 made of whole lines, each one JSON-RPC 2.0 message (request, notification,
 * result or error); returns the messages.
 */
export function expectOnlyJsonRpc(bytes: Buffer): JSONRPCMessage[] {
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  expect(text.length === 0 || text.endsWith('\n'), `stdout ends in a partial line: ${JSON.stringify(text.slice(-200))}`).toBe(true);
  const lines = text.split('\n').slice(0, -1);
  const notProtocol = lines.filter((line) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return true;
    }
    const jsonrpc = (parsed as { jsonrpc?: unknown } | null)?.jsonrpc;
    return jsonrpc !== '2.0' || !(isJSONRPCRequest(parsed) || isJSONRPCNotification(parsed) || isJSONRPCResultResponse(parsed) || isJSONRPCErrorResponse(parsed));
  });
  expect(notProtocol.map((line) => line.slice(0, 300))).toEqual([]);
  return lines.map((line) => JSON.parse(line) as JSONRPCMessage);
}
