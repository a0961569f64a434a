// weft SIGKILLed while an item is in flight and a spin-up is pending: after the restart, work states, assignments and
// targets are as before, both items finish, and exactly one agent was started for the need.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../fixtures/temp-project.js';
import { loomCommand } from '../../core/testing/loom-process.js';
import { http, startFabric, waitFor, WORKER, type Fabric, type WeftProcess } from '../weft/harness.js';

const PROJECT = 'coord-crash';
const TOKEN = 'coord-crash-token-81f2';
const CONFIG = `import { slowSpinUp } from ${JSON.stringify(`${REPO_ROOT}/test/faults/fixtures/slow-spin-up.ts`)};
export default { plugins: [slowSpinUp] };
`;
/** Spin-up takes 4 s; a start older than 6 s counts as abandoned (a weft that died mid-request). */
const WEFT_ENV = { API_TOKENS: TOKEN, WEFT_LEASE_TTL_MS: '3000', LOOMINAL_SPIN_UP_START_TIMEOUT_MS: '6000', LOOMINAL_SPIN_UP_CHECK_MS: '500' };

interface LedgerLine {
  event: 'starting' | 'started';
  workId?: string;
  weftPid: number;
  agentPid?: number;
}

let fabric: Fabric;
let ledger: string;
const readLedger = (): LedgerLine[] => (existsSync(ledger) ? readFileSync(ledger, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as LedgerLine) : []);
const get = (weft: WeftProcess, path: string) => http(weft.url, 'GET', path, { token: TOKEN }).then((a) => a.body);

beforeAll(async () => {
  fabric = await startFabric(PROJECT, { 'loom.config.ts': CONFIG });
  ledger = join(fabric.home, 'spin-up-ledger.jsonl');
}, 60_000);

afterAll(async () => {
  // Agents the slow mechanism started are detached: end them by the pids it recorded.
  for (const line of readLedger()) {
    if (!line.agentPid) continue;
    try {
      process.kill(line.agentPid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await fabric?.stop();
});

describe('weft killed with SIGKILL while work is in flight and a spin-up is pending', () => {
  const seen: { before?: Record<string, any>; after?: Record<string, any>; starts?: LedgerLine[]; second?: WeftProcess; needyId?: string } = {};

  beforeAll(async () => {
    const first = await fabric.startWeft(WEFT_ENV);
    const [node, ...prefix] = loomCommand();
    const target = await http(first.url, 'POST', '/api/targets', {
      token: TOKEN,
      body: { id: 'painter', mechanism: 'slow', agentType: 'worker', capabilities: ['paint'], config: { ledger, delayMs: 4000, command: [node!, ...prefix, 'agent', '--capability', 'paint', '--grace-ms', '0', '--', process.execPath, WORKER] } },
    });
    expect(target.status, JSON.stringify(target.body)).toBe(201);
    const builder = await fabric.startAgent({ capability: 'build' });
    await waitFor(async () => (await get(first, `/api/agents/${builder.agentId}`))?.status === 'online', 'the build agent to be online');

    const inFlight = (await http(first.url, 'POST', '/api/work', { token: TOKEN, body: { description: 'sleep:5000 long build', capability: 'build' } })).body;
    await waitFor(async () => (await get(first, `/api/work/${inFlight.workId}`)).state === 'in-progress', 'the build item to be in progress');
    const needy = (await http(first.url, 'POST', '/api/work', { token: TOKEN, body: { description: 'paint the fence', capability: 'paint' } })).body;
    await waitFor(() => readLedger().some((l) => l.event === 'starting' && l.workId === needy.workId), 'the spin-up for the paint item to be under way');
    expect(readLedger().some((l) => l.event === 'started')).toBe(false);

    seen.before = {
      inFlight: await get(first, `/api/work/${inFlight.workId}`),
      needy: await get(first, `/api/work/${needy.workId}`),
      targets: await get(first, '/api/targets'),
    };
    await first.kill('SIGKILL');
    const second = await fabric.startWeft(WEFT_ENV);
    expect(second.instanceId).not.toBe(first.instanceId);
    seen.after = {
      targets: await get(second, '/api/targets'),
      inFlightNow: await get(second, `/api/work/${inFlight.workId}`),
      needyNow: await get(second, `/api/work/${needy.workId}`),
    };
    seen.after.inFlightDone = await waitFor(async () => {
      const record = await get(second, `/api/work/${inFlight.workId}`);
      return record.state === 'completed' && record;
    }, 'the in-flight build item to complete, seen by the restarted weft', 60_000);
    seen.second = second;
    seen.needyId = needy.workId;
    seen.starts = readLedger();
  }, 240_000);

  it('keeps targets exactly as they were', () => {
    expect(seen.after!.targets).toEqual(seen.before!.targets);
  });

  it('keeps work states and assignments: each record after the restart continues the one before', () => {
    for (const [before, now] of [[seen.before!.inFlight, seen.after!.inFlightNow], [seen.before!.needy, seen.after!.needyNow]] as const) {
      expect(now.workId).toBe(before.workId);
      expect(now.history.slice(0, before.history.length)).toEqual(before.history);
    }
    expect(seen.after!.inFlightNow.agentId).toBe(seen.before!.inFlight.agentId);
  });

  it('tracks the in-flight item to completion by the agent that had it', () => {
    expect(seen.after!.inFlightDone.agentId).toBe(seen.before!.inFlight.agentId);
  });

  it('serves the need left pending by the killed weft: one agent is started and it does the work', async () => {
    const second = seen.second!;
    const needy = await waitFor(async () => {
      const record = await get(second, `/api/work/${seen.needyId}`);
      return record.state === 'completed' && record;
    }, 'the paint item to be done by a spun-up agent', 45_000).catch(async (err: unknown) => {
      throw new Error(`${String(err)}\nwork: ${JSON.stringify(await get(second, `/api/work/${seen.needyId}`))}\nspin-ups: ${JSON.stringify(await get(second, '/api/spin-ups?targetId=painter&limit=50'))}\nledger: ${JSON.stringify(readLedger())}`);
    });
    const started = readLedger().filter((l) => l.event === 'started' && l.workId === needy.workId);
    expect(started).toHaveLength(1);
    expect(JSON.parse(needy.result).by).toBe(needy.agentId);
  });

  it('never starts a second agent for the same need', () => {
    const perNeed = new Map<string, number>();
    for (const line of readLedger()) if (line.event === 'started' && line.workId) perNeed.set(line.workId, (perNeed.get(line.workId) ?? 0) + 1);
    expect([...perNeed.values()].filter((n) => n > 1)).toEqual([]);
  });
});
