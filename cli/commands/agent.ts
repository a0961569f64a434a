// `loom agent --capability X -- <command...>`: the worker runtime for agents that are not MCP clients.
import { Command, InvalidArgumentError } from 'commander';
import { assertToken, createKernel, type Kernel } from '../../core/index.js';
import { knownPluginNamesFor } from '../../presets/index.js';
import { loadProjectConfig } from '../runtime.js';
import { reportAndExit } from '../exit.js';

interface AgentFlags {
  capability: string[];
  agentType: string;
  concurrency: number;
  handle?: string;
  includePublic?: boolean;
  graceMs: number;
}

const token = (field: string) => (value: string) => {
  try {
    return assertToken(field, value);
  } catch (err) {
    throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
  }
};
const tokens = (field: string) => (value: string, previous: string[] = []) => [...previous, token(field)(value)];

const positive = (min: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}`);
  return n;
};

// The runtime and its preset load when `loom agent` runs, not whenever any `loom` command starts.
async function createAgentKernel(): Promise<Kernel> {
  const { agentPreset } = await import('../../presets/agent.js');
  const loaded = await loadProjectConfig();
  return createKernel({
    config: loaded.config,
    plugins: [
      ...agentPreset.plugins.map((plugin) => ({ plugin, origin: 'preset agent' })),
      ...loaded.config.plugins.map((plugin, index) => ({ plugin, origin: `loom.config.ts plugins[${index}]` })),
    ],
    knownPluginNames: await knownPluginNamesFor(Object.keys(loaded.config.options), [...agentPreset.plugins, ...loaded.config.plugins].map((p) => p.name)),
    name: 'loom-agent',
  });
}

async function runAgent(command: string[], flags: AgentFlags): Promise<void> {
  const kernel = await createAgentKernel();
  const { createAgentRuntime } = await import('../../plugins/agent-runtime/index.js');
  await kernel.start();
  const runtime = createAgentRuntime(
    { use: kernel.use, identity: kernel.identity, names: kernel.names, log: kernel.log },
    {
      capabilities: flags.capability,
      agentType: flags.agentType,
      command,
      concurrency: flags.concurrency,
      includePublic: flags.includePublic ?? false,
      graceMs: flags.graceMs,
      claimWaitMs: 30_000,
      maxStdoutBytes: 512 * 1024,
      maxStderrBytes: 16 * 1024,
      env: process.env,
      ...(flags.handle ? { handle: flags.handle } : {}),
    },
  );
  const onSignal = (signal: NodeJS.Signals) => runtime.stop(signal);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    await runtime.run();
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    await kernel.stop();
  }
}

export function registerAgentCommand(program: Command): void {
  program
    .command('agent')
    .description('worker runtime: register with capabilities, claim work, run <command> per item (item JSON on stdin, LOOM_WORK_* env), complete with its stdout or fail with its stderr')
    .requiredOption('--capability <name>', 'a capability to claim work for (repeat for several)', tokens('capability'))
    .option('--agent-type <type>', 'agent type to register as', token('agent-type'), 'worker')
    .option('--concurrency <n>', 'items worked on at once', positive(1), 1)
    .option('--handle <handle>', 'display handle to register with')
    .option('--include-public', 'also claim public work offered by other projects')
    .option('--grace-ms <ms>', 'on shutdown, how long running commands may finish before they are stopped and their items released', positive(0), 30_000)
    .argument('<command...>', 'the command to run per work item (put it after --)')
    .action(async (command: string[], flags: AgentFlags) => {
      await runAgent(command, flags).catch(reportAndExit);
      process.exit(0);
    });
}
