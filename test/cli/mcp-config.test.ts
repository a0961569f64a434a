// `loom mcp-config`: ready-to-paste client config for warp, pattern and shuttle that actually starts the servers.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempProject, exampleToolsConfig, freePort, type TempProject } from '../fixtures/temp-project.js';
import { runLoom } from './run-loom.js';

interface Entry {
  type?: string;
  command: string;
  args: string[];
  env: Record<string, string>;
}

let project: TempProject;
const home = mkdtempSync(join(tmpdir(), 'loom-home-'));

beforeAll(async () => {
  project = createTempProject({ 'package.json': '{}', 'loom.config.ts': await exampleToolsConfig('warp') });
});
afterAll(() => {
  project?.remove();
  rmSync(home, { recursive: true, force: true });
});

async function configFor(client: string, env: Record<string, string> = {}): Promise<Record<string, Record<string, Entry>>> {
  const result = await runLoom(['mcp-config', '--client', client, '--json'], { cwd: project.dir, env: { LOOMINAL_HOME: home, ...env } });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, Record<string, Entry>>;
}

describe('loom mcp-config', () => {
  it('for claude: .mcp.json entries of type stdio for the three servers', async () => {
    const { mcpServers } = await configFor('claude');
    expect(Object.keys(mcpServers!)).toEqual(['loom-warp', 'loom-pattern', 'loom-shuttle']);
    expect(mcpServers!['loom-warp']).toMatchObject({ type: 'stdio', command: process.execPath, env: { LOOMINAL_HOME: home } });
    expect(mcpServers!['loom-warp']!.args[0]).toBe('--max-semi-space-size=1');
    expect(mcpServers!['loom-warp']!.args[1]).toMatch(/dist\/cli\/main\.js$/);
    expect(mcpServers!['loom-shuttle']!.args[2]).toBe('shuttle');
  });

  it('for claude: also prints one `claude mcp add` line per server', async () => {
    const result = await runLoom(['mcp-config', '--client', 'claude'], { cwd: project.dir, env: { LOOMINAL_HOME: home } });
    const lines = result.stdout.split('\n').filter((line) => line.startsWith('claude mcp add'));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(`claude mcp add --transport stdio loom-warp --env LOOMINAL_HOME=${home} -- ${process.execPath} --max-semi-space-size=1 ${(await configFor('claude')).mcpServers!['loom-warp']!.args[1]} warp`);
  });

  it('for vscode: a "servers" object for .vscode/mcp.json that points the servers at the project', async () => {
    const { servers } = await configFor('vscode');
    expect(servers!['loom-pattern']).toMatchObject({ type: 'stdio', env: { MCP_PROJECT_PATH: project.dir, LOOMINAL_CONFIG: join(project.dir, 'loom.config.ts') } });
  });

  it('never copies credentials: NATS_TOKEN stays out and a password in NATS_URL is masked', async () => {
    const result = await runLoom(['mcp-config', '--client', 'desktop', '--json'], { cwd: project.dir, env: { NATS_URL: 'nats://ada:hunter2@example.com:4222', NATS_TOKEN: 's3cret-token' } });
    expect(result.stdout).not.toContain('hunter2');
    expect(result.stdout).not.toContain('s3cret-token');
    expect(result.stdout).toContain('nats://***@example.com:4222');
  });

  it('for desktop: the printed entry starts a working server from any directory', async () => {
    const { mcpServers } = await configFor('desktop');
    const entry = mcpServers!['loom-warp']!;
    expect(entry.type).toBeUndefined();
    // Claude Desktop starts servers outside the project; the env in the entry is what finds it.
    const transport = new StdioClientTransport({
      command: entry.command,
      args: entry.args,
      env: { ...entry.env, PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', NATS_URL: `nats://127.0.0.1:${await freePort()}` },
      cwd: tmpdir(),
      stderr: 'pipe',
    });
    const client = new Client({ name: 'desktop-like', version: '0' });
    await client.connect(transport);
    try {
      const result = await client.callTool({ name: 'greet', arguments: { name: 'desk' } });
      const expectedProject = createHash('sha256').update(project.dir).digest('hex').slice(0, 16);
      expect(result.structuredContent).toEqual({ greeting: 'hello, desk', projectId: expectedProject });
    } finally {
      await client.close();
    }
  });

  it('an unknown or missing --client is a usage error (exit 2)', async () => {
    const bogus = await runLoom(['mcp-config', '--client', 'emacs'], { cwd: project.dir });
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toContain('Allowed choices are claude, vscode, desktop');
    expect((await runLoom(['mcp-config'], { cwd: project.dir })).code).toBe(2);
  });
});
