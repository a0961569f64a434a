// MCP client configuration for the three stdio servers (warp, pattern, shuttle): JSON per client and `claude mcp add` lines.
import { fileURLToPath } from 'node:url';
import { redactUrl } from '../core/nats/connection.js';

export const MCP_CLIENTS = ['claude', 'vscode', 'desktop'] as const;
export type McpClientKind = (typeof MCP_CLIENTS)[number];
export const MCP_PRESETS = ['warp', 'pattern', 'shuttle'] as const;

export interface ServerLaunch {
  /** The name the client shows: loom-warp, loom-pattern, loom-shuttle. */
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
}

export interface LaunchOptions {
  client: McpClientKind;
  env: Readonly<Record<string, string | undefined>>;
  /** The project directory (where loom.config.ts lives). */
  projectDir: string;
  configFile?: string;
  /** `npx loom <preset>` instead of absolute paths: portable, needs loominal installed in the project. */
  npx?: boolean;
}

/** Variables the servers must see the same way this shell does; credentials (NATS_PASS, NATS_TOKEN, ...) are never copied. */
const PASSED_THROUGH = ['NATS_URL', 'LOOMINAL_HOME', 'LOOMINAL_PROJECT_ID', 'LOOMINAL_PRINCIPAL'] as const;

/**
 * Node flags for the stdio servers. A client runs three per agent session, mostly idle: a 1 MB young generation keeps
 * each one's resident memory near 80 MB instead of ~105 MB, for scavenges that cost microseconds at MCP call rates.
 */
export const MCP_SERVER_NODE_FLAGS = ['--max-semi-space-size=1'] as const;

const cliEntry = (): string => fileURLToPath(new URL('./main.js', import.meta.url));

export function serverLaunches(options: LaunchOptions): ServerLaunch[] {
  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = options.env[name];
    if (value) env[name] = name === 'NATS_URL' ? redactUrl(value) : value;
  }
  // Claude Desktop and VS Code do not start servers in the project directory, so they are told where it is.
  if (options.client !== 'claude') {
    env.MCP_PROJECT_PATH = options.projectDir;
    if (options.configFile && !env.LOOMINAL_CONFIG) env.LOOMINAL_CONFIG = options.configFile;
  }
  return MCP_PRESETS.map((preset) => ({
    name: `loom-${preset}`,
    command: options.npx ? 'npx' : process.execPath,
    args: options.npx ? ['loom', preset] : [...MCP_SERVER_NODE_FLAGS, cliEntry(), preset],
    // npx starts node itself: the flags reach it through NODE_OPTIONS, which allows this one.
    env: options.npx ? { ...env, NODE_OPTIONS: MCP_SERVER_NODE_FLAGS.join(' ') } : { ...env },
  }));
}

export interface RenderedConfig {
  /** Where the JSON goes. */
  file: string;
  json: Record<string, unknown>;
  /** Shell commands that add the servers instead (claude only). */
  commands: string[];
}

export function renderClientConfig(client: McpClientKind, launches: ServerLaunch[]): RenderedConfig {
  const entry = (launch: ServerLaunch, typed: boolean) => ({
    ...(typed ? { type: 'stdio' } : {}),
    command: launch.command,
    args: launch.args,
    env: launch.env,
  });
  const byName = (typed: boolean) => Object.fromEntries(launches.map((launch) => [launch.name, entry(launch, typed)]));
  if (client === 'vscode') return { file: '.vscode/mcp.json', json: { servers: byName(true) }, commands: [] };
  if (client === 'desktop') {
    return { file: 'claude_desktop_config.json (macOS: ~/Library/Application Support/Claude/, Windows: %APPDATA%\\Claude\\)', json: { mcpServers: byName(false) }, commands: [] };
  }
  return { file: '.mcp.json (project root)', json: { mcpServers: byName(true) }, commands: launches.map(claudeAddLine) };
}

function claudeAddLine(launch: ServerLaunch): string {
  const envFlags = Object.entries(launch.env).map(([key, value]) => `--env ${shellQuote(`${key}=${value}`)}`);
  return ['claude mcp add --transport stdio', launch.name, ...envFlags, '--', shellQuote(launch.command), ...launch.args.map(shellQuote)].join(' ');
}

export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
