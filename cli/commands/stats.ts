// `loom stats`: one project's numbers, or every project weft serves (--projects).
import type { Command } from 'commander';
import { createApiClient, printJson, printTable, withApiOptions, type ApiFlags } from '../api-client.js';
import { reportAndExit } from '../exit.js';

interface ProjectStats {
  projectId: string;
  agents: Record<string, number>;
  work: Record<string, number>;
  queueDepth: Record<string, number>;
  deadLetters: number;
}

const pairs = (counts: Record<string, number>) => Object.entries(counts).map(([key, n]) => `${key} ${n}`).join(', ') || 'none';

export function registerStatsCommand(program: Command): void {
  withApiOptions(program.command('stats').description('statistics of a project, or the projects weft serves (weft REST API)'))
    .option('--projects', 'list every project this weft serves (that the token may see)')
    .action((flags: ApiFlags & { projects?: boolean }) =>
      (async () => {
        const client = createApiClient(flags);
        if (flags.projects) {
          const list = await client.request<{ projects: Array<{ projectId: string; agents: number; work: number; lastActivity?: string }> }>('GET', '/api/stats/projects');
          if (flags.json) return printJson(list);
          printTable([['PROJECT', 'AGENTS ONLINE', 'WORK ITEMS', 'LAST ACTIVITY'], ...list.projects.map((p) => [p.projectId, String(p.agents), String(p.work), p.lastActivity ?? ''])]);
          return;
        }
        const stats = await client.request<ProjectStats>('GET', '/api/stats');
        if (flags.json) return printJson(stats);
        printTable([
          ['project', stats.projectId],
          ['agents', pairs(stats.agents)],
          ['work', pairs(stats.work)],
          ['queued', pairs(stats.queueDepth)],
          ['dead letters', String(stats.deadLetters)],
        ]);
      })().then(() => process.exit(0), reportAndExit),
    );
}
