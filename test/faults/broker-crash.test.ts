// nats-server SIGKILLed three times while three warp agents publish: nothing acknowledged is lost, nothing stored twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { createFabric, type Fabric } from '../reliability/support/fabric.js';
import { runBrokerCrash, type BrokerCrashReport } from '../reliability/support/broker-crash.js';

let nats: NatsServerHandle;
let fabric: Fabric;
let report: BrokerCrashReport;

beforeAll(async () => {
  nats = await startNatsServer();
  fabric = await createFabric(nats.url);
  report = await runBrokerCrash({ fabric, nats, projectId: 'crash-full', agents: 3, kills: 3, callsPerPhase: 40 });
  process.stderr.write(`[broker-crash] ${JSON.stringify({ ...report, surfacedErrors: report.surfacedErrors.length })}\n`);
}, 300_000);

afterAll(async () => {
  await fabric?.close();
  await nats?.stop();
});

describe('nats-server killed with SIGKILL three times under publishing agents', () => {
  it('every acknowledged channel message, direct message and work offer survives, once', () => {
    expect(report.kills).toBe(3);
    expect(report.acknowledged.channel + report.acknowledged.direct + report.acknowledged.work).toBeGreaterThanOrEqual(3 * 4 * 40);
    expect(report.lost).toBe(0);
    expect(report.duplicated).toBe(0);
  });

  it('each agent reconnected by itself after every restart', () => {
    expect(report.pidsUnchanged).toBe(true);
    expect(report.okAfterEachRestart).toHaveLength(3);
    expect(report.okAfterEachRestart.every((n) => n >= 3 * 40)).toBe(true);
  });

  it('publishes that failed during an outage were retried with the same message id, never stored twice', () => {
    expect(report.retriedPublishes.length).toBeGreaterThanOrEqual(3);
    expect(report.retriedStoredTwice).toBe(0);
    expect(report.retriedStoredOnce).toBeGreaterThan(0);
  });

  it('what did fail said so with a coded error', () => {
    for (const error of report.surfacedErrors) expect(error).toMatch(/^LOOM_ERR_(?!INTERNAL)[A-Z_]+: /);
  });
});
