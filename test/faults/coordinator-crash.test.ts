// weft SIGKILLed while an item is in flight and a spin-up is pending: after the restart, work states, assignments and
// targets are as before, both items finish, and exactly one agent was started for the need.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCoordinatorCrash, startsPerNeed, type CoordinatorCrash, type CrashSeen } from '../reliability/support/coordinator-crash.js';

let crash: CoordinatorCrash;
let seen: CrashSeen;

beforeAll(async () => {
  /** Spin-up takes 4 s; a start older than 6 s (plus the register margin) counts as abandoned. */
  crash = await startCoordinatorCrash({ projectId: 'coord-crash', token: 'coord-crash-token-81f2', delayMs: 4000, startTimeoutMs: 6000, leaseTtlMs: 3000, checkMs: 500, buildMs: 5000 });
  seen = await crash.run();
}, 240_000);

afterAll(async () => {
  await crash?.stop();
});

describe('weft killed with SIGKILL while work is in flight and a spin-up is pending', () => {
  it('keeps targets exactly as they were', () => {
    expect(seen.after.targets).toEqual(seen.before.targets);
  });

  it('keeps work states and assignments: each record after the restart continues the one before', () => {
    for (const [before, now] of [[seen.before.inFlight, seen.after.inFlightNow], [seen.before.needy, seen.after.needyNow]] as const) {
      expect(now.workId).toBe(before.workId);
      expect(now.history.slice(0, before.history.length)).toEqual(before.history);
    }
    expect(seen.after.inFlightNow.agentId).toBe(seen.before.inFlight.agentId);
  });

  it('tracks the in-flight item to completion by the agent that had it', () => {
    expect(seen.after.inFlightDone.agentId).toBe(seen.before.inFlight.agentId);
  });

  it('serves the need left pending by the killed weft: one agent is started and it does the work', async () => {
    const needy = await crash.needServed(seen, 45_000);
    const started = crash.readLedger().filter((l) => l.event === 'started' && l.workId === needy.workId);
    expect(started).toHaveLength(1);
    expect(JSON.parse(needy.result).by).toBe(needy.agentId);
  });

  it('records the start the killed weft abandoned as failed, and the retry as the one start', async () => {
    const attempts: any[] = (await crash.get(seen.second, '/api/spin-ups?targetId=painter&limit=50')).items;
    const forNeed = attempts.filter((a) => a.workId === seen.needyId);
    expect(forNeed.filter((a) => a.outcome === 'started')).toHaveLength(1);
    const abandoned = forNeed.filter((a) => a.outcome === 'failed' && /weft stopped during start\(\)/.test(a.error));
    expect(abandoned.map((a) => a.operationId)).toEqual(crash.readLedger().filter((l) => l.event === 'starting' && l.weftPid === seen.first.pid).map((l) => l.operationId));
  });

  it('never starts a second agent for the same need', () => {
    expect([...startsPerNeed(crash.readLedger()).values()].filter((n) => n > 1)).toEqual([]);
  });
});
