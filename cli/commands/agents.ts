// `loom agents [id]`: the project's agents as weft sees them (offline after 3 missed heartbeats).
import type { Command } from 'commander';
import { createApiClient, printJson, printTable, withApiOptions, type ApiFlags } from '../api-client.js';
import { reportAndExit } from '../exit.js';

interface AgentView {
  id: string;
  handle: string;
  agentType: string;
  capabilities: string[];
  status: string;
  hostname: string;
  currentTaskCount: number;
  lastSeen: string;
}

export function registerAgentsCommand(program: Command): void {
  withApiOptions(program.command('agents').description('list the project’s agents, or show one (weft REST API)'))
    .argument('[agentId]', 'show this agent')
    .option('-c, --capability <capability>')
    .option('-s, --status <status>', 'online, busy or offline')
    .option('-t, --type <agentType>')
    .action((agentId: string | undefined, flags: ApiFlags & { capability?: string; status?: string; type?: string }) =>
      (async () => {
        const client = createApiClient(flags);
        if (agentId) {
          const agent = await client.request<AgentView>('GET', `/api/agents/${encodeURIComponent(agentId)}`);
          if (flags.json) printJson(agent);
          else printTable([['FIELD', 'VALUE'], ...Object.entries(agent).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)])]);
          return;
        }
        const page = await client.request<{ items: AgentView[] }>('GET', '/api/agents', { query: { capability: flags.capability, status: flags.status, agentType: flags.type } });
        if (flags.json) return printJson(page);
        if (!page.items.length) return void process.stdout.write('no agents\n');
        printTable([['AGENT ID', 'HANDLE', 'TYPE', 'STATUS', 'TASKS', 'LAST SEEN', 'CAPABILITIES'], ...page.items.map((a) => [a.id, a.handle, a.agentType, a.status, String(a.currentTaskCount), a.lastSeen, a.capabilities.join(',')])]);
      })().then(() => process.exit(0), reportAndExit),
    );
}
