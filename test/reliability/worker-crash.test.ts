// kill -9 of `loom agent` workers holding work: items go to other workers after the lease and complete exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { startWorkerFleet, type WorkerFleet } from './support/worker-fleet.js';
import { runWorkerCrash, type WorkerCrashReport } from './support/worker-crash.js';

let nats: NatsServerHandle;
let fleet: WorkerFleet;
let report: WorkerCrashReport;

beforeAll(async () => {
  nats = await startNatsServer();
  fleet = await startWorkerFleet({ url: nats.url, projectId: 'workers-quick', workMs: 400 });
  report = await runWorkerCrash({ fleet, capability: 'crunch', items: 16, workers: 3, kills: 2, maxDeliver: 3 });
  process.stderr.write(`[worker-crash quick] ${JSON.stringify(report)}\n`);
}, 180_000);

afterAll(async () => {
  await fleet?.stop();
  await nats?.stop();
});

describe('workers killed with SIGKILL while holding work', () => {
  it('every item is completed, exactly once', () => {
    expect(report.notCompleted).toBe(0);
    expect(report.completedTwice).toBe(0);
  });

  it('an item held by a killed worker is completed later by another worker', () => {
    expect(report.heldAtKill.length).toBeGreaterThanOrEqual(report.kills);
    expect(report.heldAtKillCompletedElsewhere).toBe(report.heldAtKill.filter((id) => id !== 'poison').length);
  });

  it('a second completion of a completed work id is refused', () => {
    expect(report.secondCompletionRefused).toBe(report.items);
  });

  it('an item that always fails ends in the dead-letter queue after maxDeliver attempts, with every error', () => {
    expect(report.deadLetter).not.toBeNull();
    expect(report.deadLetter!.attempts).toBe(3);
    expect(report.deadLetter!.errors.length).toBeGreaterThanOrEqual(3);
    expect(report.deadLetter!.errors.filter((e) => e.includes('boom on attempt')).length).toBeGreaterThanOrEqual(1);
  });

  it('the work queue is empty afterwards', () => {
    expect(report.queueDepthAfter).toBe(0);
  });
});
