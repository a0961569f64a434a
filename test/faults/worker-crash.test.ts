// Eight SIGKILLs of `loom agent` workers holding work: every item completes exactly once; a poison item is dead-lettered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { startWorkerFleet, type WorkerFleet } from '../reliability/support/worker-fleet.js';
import { runWorkerCrash, type WorkerCrashReport } from '../reliability/support/worker-crash.js';

let nats: NatsServerHandle;
let fleet: WorkerFleet;
let report: WorkerCrashReport;

beforeAll(async () => {
  nats = await startNatsServer();
  fleet = await startWorkerFleet({ url: nats.url, projectId: 'workers-full', workMs: 300 });
  report = await runWorkerCrash({ fleet, capability: 'crunch', items: 60, workers: 5, kills: 8, maxDeliver: 3 });
  process.stderr.write(`[worker-crash] ${JSON.stringify(report)}\n`);
}, 300_000);

afterAll(async () => {
  await fleet?.stop();
  await nats?.stop();
});

describe('workers killed with SIGKILL while holding work, eight times', () => {
  it('every item is completed exactly once, and a second completion is refused', () => {
    expect(report.notCompleted).toBe(0);
    expect(report.completedTwice).toBe(0);
    expect(report.secondCompletionRefused).toBe(report.items);
  });

  it('every item a killed worker held went to another worker', () => {
    expect(report.heldAtKill.length).toBeGreaterThanOrEqual(8);
    expect(report.heldAtKillCompletedElsewhere).toBe(report.heldAtKill.filter((id) => id !== 'poison').length);
  });

  it('the always-failing item is in the dead-letter queue with its error history, and the queue is empty', () => {
    expect(report.deadLetter?.attempts).toBe(3);
    expect(report.deadLetter?.errors.length).toBeGreaterThanOrEqual(3);
    expect(report.queueDepthAfter).toBe(0);
  });
});
