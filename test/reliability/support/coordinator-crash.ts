// The coordinator-crash scenario: weft SIGKILLed while a build item is in flight and a spin-up's start() is under way
// (the slow mechanism in test/faults/fixtures), then restarted. The fault test runs it with long delays, the quick
// reliability test with short ones; both check the same report.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../fixtures/temp-project.js';
import { loomCommand } from '../../../core/testing/loom-process.js';
import { http, startFabric, waitFor, WORKER, type Fabric, type WeftProcess } from '../../weft/harness.js';

export interface CoordinatorCrashOptions {
  projectId: string;
  token: string;
  /** How long the slow mechanism's start() takes before it starts the agent. */
  delayMs: number;
  /** weft's start timeout: a pending start older than this (plus a margin) is abandoned after the restart. */
  startTimeoutMs: number;
  leaseTtlMs: number;
  checkMs: number;
  /** How long the in-flight build item runs. */
  buildMs: number;
}

export interface LedgerLine {
  event: 'starting' | 'started';
  workId?: string;
  operationId?: string;
  weftPid: number;
  agentPid?: number;
}

export interface CoordinatorCrash {
  fabric: Fabric;
  readLedger(): LedgerLine[];
  get(weft: WeftProcess, path: string): Promise<any>;
  /** Runs the kill and restart; what the records looked like before and after. */
  run(): Promise<CrashSeen>;
  /** Waits for the need's item to be completed by a spun-up agent; on timeout, fails with what weft recorded. */
  needServed(seen: CrashSeen, timeoutMs: number): Promise<any>;
  stop(): Promise<void>;
}

export interface CrashSeen {
  before: { inFlight: any; needy: any; targets: any };
  after: { targets: any; inFlightNow: any; needyNow: any; inFlightDone: any };
  first: WeftProcess;
  second: WeftProcess;
  needyId: string;
}

const CONFIG = `import { slowSpinUp } from ${JSON.stringify(`${REPO_ROOT}/test/faults/fixtures/slow-spin-up.ts`)};
export default { plugins: [slowSpinUp] };
`;

export async function startCoordinatorCrash(options: CoordinatorCrashOptions): Promise<CoordinatorCrash> {
  const fabric = await startFabric(options.projectId, { 'loom.config.ts': CONFIG });
  const ledger = join(fabric.home, 'spin-up-ledger.jsonl');
  const env = {
    API_TOKENS: options.token,
    WEFT_LEASE_TTL_MS: String(options.leaseTtlMs),
    LOOMINAL_SPIN_UP_START_TIMEOUT_MS: String(options.startTimeoutMs),
    LOOMINAL_SPIN_UP_CHECK_MS: String(options.checkMs),
  };
  const readLedger = (): LedgerLine[] => (existsSync(ledger) ? readFileSync(ledger, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as LedgerLine) : []);
  const get = (weft: WeftProcess, path: string) => http(weft.url, 'GET', path, { token: options.token }).then((a) => a.body);

  return {
    fabric,
    readLedger,
    get,
    async run() {
      const first = await fabric.startWeft(env);
      const [node, ...prefix] = loomCommand();
      const target = await http(first.url, 'POST', '/api/targets', {
        token: options.token,
        body: { id: 'painter', mechanism: 'slow', agentType: 'worker', capabilities: ['paint'], config: { ledger, delayMs: options.delayMs, command: [node!, ...prefix, 'agent', '--capability', 'paint', '--grace-ms', '0', '--', process.execPath, WORKER] } },
      });
      if (target.status !== 201) throw new Error(`the target was not created: ${target.status} ${JSON.stringify(target.body)}`);
      const builder = await fabric.startAgent({ capability: 'build' });
      await waitFor(async () => (await get(first, `/api/agents/${builder.agentId}`))?.status === 'online', 'the build agent to be online');

      const inFlight = (await http(first.url, 'POST', '/api/work', { token: options.token, body: { description: `sleep:${options.buildMs} long build`, capability: 'build' } })).body;
      await waitFor(async () => (await get(first, `/api/work/${inFlight.workId}`)).state === 'in-progress', 'the build item to be in progress');
      const needy = (await http(first.url, 'POST', '/api/work', { token: options.token, body: { description: 'paint the fence', capability: 'paint' } })).body;
      await waitFor(() => readLedger().some((l) => l.event === 'starting' && l.workId === needy.workId), 'the spin-up for the paint item to be under way');
      if (readLedger().some((l) => l.event === 'started')) throw new Error('the slow start finished before weft could be killed: raise delayMs');

      const before = { inFlight: await get(first, `/api/work/${inFlight.workId}`), needy: await get(first, `/api/work/${needy.workId}`), targets: await get(first, '/api/targets') };
      await first.kill('SIGKILL');
      const second = await fabric.startWeft(env);
      const after = { targets: await get(second, '/api/targets'), inFlightNow: await get(second, `/api/work/${inFlight.workId}`), needyNow: await get(second, `/api/work/${needy.workId}`) };
      const inFlightDone = await waitFor(async () => {
        const record = await get(second, `/api/work/${inFlight.workId}`);
        return record.state === 'completed' && record;
      }, 'the in-flight build item to complete, seen by the restarted weft', 60_000);
      return { before, after: { ...after, inFlightDone }, first, second, needyId: needy.workId };
    },
    async needServed(seen, timeoutMs) {
      return waitFor(async () => {
        const record = await get(seen.second, `/api/work/${seen.needyId}`);
        return record.state === 'completed' && record;
      }, 'the paint item to be done by a spun-up agent', timeoutMs).catch(async (err: unknown) => {
        throw new Error(`${String(err)}\nwork: ${JSON.stringify(await get(seen.second, `/api/work/${seen.needyId}`))}\nspin-ups: ${JSON.stringify(await get(seen.second, '/api/spin-ups?targetId=painter&limit=50'))}\nledger: ${JSON.stringify(readLedger())}`);
      });
    },
    async stop() {
      // Agents the slow mechanism started are detached: end them by the pids it recorded.
      for (const line of readLedger()) {
        if (!line.agentPid) continue;
        try {
          process.kill(line.agentPid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await fabric.stop();
    },
  };
}

/** Agents started per need, from the ledger (what the mechanism really did, not what weft recorded). */
export function startsPerNeed(lines: LedgerLine[]): Map<string, number> {
  const perNeed = new Map<string, number>();
  for (const line of lines) if (line.event === 'started' && line.workId) perNeed.set(line.workId, (perNeed.get(line.workId) ?? 0) + 1);
  return perNeed;
}
