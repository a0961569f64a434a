// Chaos soak: work flows while workers and the broker are SIGKILLed at random (seeded); every submitted work id ends
// completed or dead-lettered, none both, none twice, and the queue drains.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { startWorkerFleet, type WorkerFleet } from '../reliability/support/worker-fleet.js';
import { runChaos, type ChaosReport } from '../reliability/support/chaos.js';

const SEED = Number(process.env.LOOM_CHAOS_SEED ?? 20260414);
let nats: NatsServerHandle;
let fleet: WorkerFleet;
let report: ChaosReport;

beforeAll(async () => {
  nats = await startNatsServer();
  fleet = await startWorkerFleet({ url: nats.url, projectId: 'chaos', workMs: 150, env: { LOOMINAL_MAX_DELIVER: '5' } });
  report = await runChaos({ fleet, nats, projectId: 'chaos', capability: 'churn', items: 200, poisonEvery: 25, workers: 4, chaosMs: 60_000, workerKillEveryMs: 2500, brokerKillEveryMs: 15_000, seed: SEED });
  process.stderr.write(`[chaos] ${JSON.stringify(report)}\n`);
}, 420_000);

afterAll(async () => {
  await fleet?.stop();
  await nats?.stop();
});

describe(`chaos soak (seed ${SEED})`, () => {
  it('killed workers and the broker many times while work flowed', () => {
    expect(report.submitted).toBe(200);
    expect(report.workerKills).toBeGreaterThanOrEqual(10);
    expect(report.brokerKills).toBeGreaterThanOrEqual(2);
  });

  it('every submitted work id ended completed or dead-lettered', () => {
    expect(report.unsettled).toEqual([]);
    expect(report.completed + report.deadLettered).toBe(report.submitted);
  });

  it('none ended twice: not completed and dead-lettered, not dead-lettered twice, not completed twice', () => {
    expect(report.completedAndDeadLettered).toEqual([]);
    expect(report.deadLetteredTwice).toEqual([]);
    expect(report.completedEventsTwice).toEqual([]);
  });

  it('an item that always fails never counts as completed', () => {
    expect(report.poisonCompleted).toEqual([]);
  });

  it('the work queue drained: no message, nothing pending, nothing awaiting an ack', () => {
    expect(report.queueLeft).toEqual({ messages: 0, pending: 0, ackPending: 0 });
  });
});
