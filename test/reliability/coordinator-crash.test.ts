// Quick run of the coordinator-crash fault test (test/faults): weft SIGKILLed during a spin-up's start(); after the
// restart the need it left pending is served by exactly one agent, and the in-flight item completes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCoordinatorCrash, startsPerNeed, type CoordinatorCrash, type CrashSeen } from './support/coordinator-crash.js';

let crash: CoordinatorCrash;
let seen: CrashSeen;

beforeAll(async () => {
  crash = await startCoordinatorCrash({ projectId: 'coord-crash-quick', token: 'coord-crash-quick-token-5e1c', delayMs: 2000, startTimeoutMs: 2500, leaseTtlMs: 2000, checkMs: 300, buildMs: 1500 });
  seen = await crash.run();
}, 90_000);

afterAll(async () => {
  await crash?.stop();
});

describe('weft killed with SIGKILL during a spin-up start (quick)', () => {
  it('the restarted weft tracks the in-flight item to completion by the agent that had it', () => {
    expect(seen.after.inFlightDone.agentId).toBe(seen.before.inFlight.agentId);
  });

  it('serves the need left pending: exactly one agent is started for it, and that agent does the work', async () => {
    const needy = await crash.needServed(seen, 30_000);
    expect(JSON.parse(needy.result).by).toBe(needy.agentId);
    expect(startsPerNeed(crash.readLedger()).get(seen.needyId)).toBe(1);
    const attempts: any[] = (await crash.get(seen.second, '/api/spin-ups?targetId=painter&limit=50')).items;
    expect(attempts.filter((a) => a.workId === seen.needyId && a.outcome === 'started')).toHaveLength(1);
    expect(attempts.some((a) => a.workId === seen.needyId && a.outcome === 'failed' && /weft stopped during start\(\)/.test(a.error))).toBe(true);
  });
});
