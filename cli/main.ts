#!/usr/bin/env node
// The `loom` CLI: the composition root, the only place that knows presets.
import nodeModule from 'node:module';
import { Command, CommanderError } from 'commander';
import { version } from './version.js';
import { EXIT_USAGE } from './exit.js';

// Node 22.1+ keeps compiled modules on disk (in the OS temp dir): the MCP servers a client starts at every session
// then skip recompiling the same ones. Node 20 has no such cache; there this does nothing. Before any command loads.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const program = new Command('loom')
  .description('Loominal: agents that talk, share work and remember, over NATS JetStream and MCP')
  .version(version, '-v, --version')
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

type Register = (program: Command) => void;
/**
 * Each command's module is imported only when argv names it (all of them for help, --version or a typo): `loom warp`,
 * which an MCP client starts at every session, then loads none of the other commands. The order is the help's.
 */
const COMMANDS: Array<[names: string[], load: () => Promise<Register>]> = [
  [['up'], async () => (await import('./commands/up.js')).registerUpCommand],
  [['start'], async () => (await import('./commands/start.js')).registerStartCommand],
  [['warp', 'pattern', 'shuttle'], async () => (await import('./commands/serve-mcp.js')).registerMcpCommands],
  [['weft'], async () => (await import('./commands/weft.js')).registerWeftCommand],
  [['work'], async () => (await import('./commands/work.js')).registerWorkCommands],
  [['agents'], async () => (await import('./commands/agents.js')).registerAgentsCommand],
  [['dlq'], async () => (await import('./commands/dlq.js')).registerDlqCommands],
  [['stats'], async () => (await import('./commands/stats.js')).registerStatsCommand],
  [['targets'], async () => (await import('./commands/targets.js')).registerTargetsCommands],
  [['agent'], async () => (await import('./commands/agent.js')).registerAgentCommand],
  [['auth'], async () => (await import('./commands/auth.js')).registerAuthCommand],
  [['demo'], async () => (await import('./commands/demo.js')).registerDemoCommand],
  [['init'], async () => (await import('./commands/init.js')).registerInitCommand],
  [['doctor'], async () => (await import('./commands/doctor.js')).registerDoctorCommand],
  [['mcp-config'], async () => (await import('./commands/mcp-config.js')).registerMcpConfigCommand],
];

const named = COMMANDS.filter(([names]) => names.includes(process.argv[2] ?? ''));
for (const register of await Promise.all((named.length ? named : COMMANDS).map(([, load]) => load()))) register(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version exit 0; everything else commander rejects (unknown command, bad option, bare `loom`) is usage.
    process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE);
  }
  throw err;
}
