#!/usr/bin/env node
// The `loom` CLI: the composition root, the only place that knows presets.
import { Command, CommanderError } from 'commander';
import { version } from './version.js';
import { registerMcpCommands } from './commands/serve-mcp.js';
import { registerInitCommand } from './commands/init.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerUpCommand } from './commands/up.js';
import { registerStartCommand } from './commands/start.js';
import { registerMcpConfigCommand } from './commands/mcp-config.js';
import { registerWeftCommand } from './commands/weft.js';
import { registerWorkCommands } from './commands/work.js';
import { registerAgentsCommand } from './commands/agents.js';
import { registerDlqCommands } from './commands/dlq.js';
import { registerStatsCommand } from './commands/stats.js';
import { registerTargetsCommands } from './commands/targets.js';
import { registerAgentCommand } from './commands/agent.js';
import { registerAuthCommand } from './commands/auth.js';
import { registerDemoCommand } from './commands/demo.js';
import { EXIT_USAGE } from './exit.js';

const program = new Command('loom')
  .description('Loominal: agents that talk, share work and remember, over NATS JetStream and MCP')
  .version(version, '-v, --version')
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

registerUpCommand(program);
registerStartCommand(program);
registerMcpCommands(program);
registerWeftCommand(program);
registerWorkCommands(program);
registerAgentsCommand(program);
registerDlqCommands(program);
registerStatsCommand(program);
registerTargetsCommands(program);
registerAgentCommand(program);
registerAuthCommand(program);
registerDemoCommand(program);
registerInitCommand(program);
registerDoctorCommand(program);
registerMcpConfigCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version exit 0; everything else commander rejects (unknown command, bad option, bare `loom`) is usage.
    process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE);
  }
  throw err;
}
