// kill -9 of nats-server while warp agents publish: acknowledged messages survive, clients reconnect, failed publishes retry once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { createFabric, type Fabric } from './support/fabric.js';
import { runBrokerCrash, type BrokerCrashReport } from './support/broker-crash.js';

let nats: NatsServerHandle;
let fabric: Fabric;
let report: BrokerCrashReport;

beforeAll(async () => {
  nats = await startNatsServer();
  fabric = await createFabric(nats.url);
  report = await runBrokerCrash({ fabric, nats, projectId: 'crash-quick', agents: 2, kills: 1, callsPerPhase: 15 });
  process.stderr.write(`[broker-crash quick] ${JSON.stringify({ ...report, surfacedErrors: report.surfacedErrors.length })}\n`);
}, 180_000);

afterAll(async () => {
  await fabric?.close();
  await nats?.stop();
});

describe('nats-server killed with SIGKILL while agents publish', () => {
  it('every acknowledged channel message, direct message and work offer is there after the restart, once', () => {
    expect(report.acknowledged.channel).toBeGreaterThan(0);
    expect(report.acknowledged.direct).toBeGreaterThan(0);
    expect(report.acknowledged.work).toBeGreaterThan(0);
    expect(report.lost).toBe(0);
    expect(report.duplicated).toBe(0);
  });

  it('the warp processes reconnect by themselves and keep working after the restart', () => {
    expect(report.pidsUnchanged).toBe(true);
    expect(report.okAfterEachRestart.every((n) => n > 0)).toBe(true);
  });

  it('a publish that failed during the outage was retried with the same message id and stored exactly once', () => {
    expect(report.retriedPublishes.length).toBeGreaterThan(0);
    expect(report.retriedStoredOnce).toBeGreaterThan(0);
    expect(report.retriedStoredTwice).toBe(0);
  });

  it('calls that failed during the outage said so with a coded error', () => {
    for (const error of report.surfacedErrors) expect(error).toMatch(/^LOOM_ERR_[A-Z_]+: /);
  });
});
