// Chaos soak with the coordinator in the loop: work submitted through weft's REST API while workers, weft and the broker
// are SIGKILLed at random (seeded); every accepted work id ends completed or dead-lettered, none twice, the queue drains.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFabric, type Fabric, type WeftProcess } from '../weft/harness.js';
import { startWorkerFleet, type WorkerFleet } from '../reliability/support/worker-fleet.js';
import { runChaos, type ChaosReport } from '../reliability/support/chaos.js';

const SEED = Number(process.env.LOOM_CHAOS_SEED ?? 20260415);
const PROJECT = 'chaos-weft';
const TOKEN = 'chaos-weft-token-2c8d';
const WORK_ENV = { LOOMINAL_MAX_DELIVER: '5', LOOMINAL_ACK_WAIT_MS: '1500' };
let fabric: Fabric;
let fleet: WorkerFleet;
let weft: WeftProcess;
let report: ChaosReport;

async function submit(_index: number, description: string): Promise<string> {
  const response = await fetch(`${weft.url}/api/work`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ description, capability: 'churn' }),
  });
  const body = (await response.json()) as { workId?: string; error?: { code: string } };
  if (response.status !== 201 || !body.workId) throw new Error(`weft answered ${response.status} ${JSON.stringify(body)}`);
  return body.workId;
}

beforeAll(async () => {
  fabric = await startFabric(PROJECT);
  const weftEnv = { API_TOKENS: TOKEN, WEFT_LEASE_TTL_MS: '2000', WEFT_RATE_LIMIT_MAX: '0', ...WORK_ENV };
  weft = await fabric.startWeft(weftEnv);
  fleet = await startWorkerFleet({ url: fabric.nats.url, projectId: PROJECT, workMs: 150, env: WORK_ENV });
  report = await runChaos({
    fleet,
    nats: fabric.nats,
    projectId: PROJECT,
    capability: 'churn',
    items: 120,
    poisonEvery: 20,
    workers: 4,
    chaosMs: 60_000,
    workerKillEveryMs: 2500,
    brokerKillEveryMs: 25_000,
    seed: SEED,
    submit,
    weft: {
      killEveryMs: 15_000,
      kill: () => weft.kill('SIGKILL'),
      restart: async () => {
        weft = await fabric.startWeft(weftEnv);
      },
    },
  });
  process.stderr.write(`[chaos-weft] ${JSON.stringify(report)}\n`);
}, 480_000);

afterAll(async () => {
  await fleet?.stop();
  await fabric?.stop();
});

describe(`chaos soak through weft (seed ${SEED})`, () => {
  it('killed workers, weft and the broker while work flowed', () => {
    expect(report.submitted).toBe(120);
    expect(report.workerKills).toBeGreaterThanOrEqual(10);
    expect(report.weftKills).toBeGreaterThanOrEqual(2);
    expect(report.brokerKills).toBeGreaterThanOrEqual(1);
  });

  it('every work id weft accepted ended completed or dead-lettered, none both, none twice', () => {
    expect(report.unsettled).toEqual([]);
    expect(report.completedAndDeadLettered).toEqual([]);
    expect(report.deadLetteredTwice).toEqual([]);
    expect(report.completedEventsTwice).toEqual([]);
    expect(report.poisonCompleted).toEqual([]);
  });

  it('the work queue drained', () => {
    expect(report.queueLeft).toEqual({ messages: 0, pending: 0, ackPending: 0 });
  });
});
