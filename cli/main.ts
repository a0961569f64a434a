#!/usr/bin/env node
// The `loom` CLI: the composition root, the only place that knows presets.
import { Command, CommanderError } from 'commander';
import { version } from './version.js';
import { registerMcpCommands } from './commands/serve-mcp.js';
import { EXIT_USAGE } from './exit.js';

const program = new Command('loom')
  .description('Loominal: agents that talk, share work and remember, over NATS JetStream and MCP')
  .version(version, '-v, --version')
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

registerMcpCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') process.exit(0);
    process.exit(EXIT_USAGE);
  }
  throw err;
}
