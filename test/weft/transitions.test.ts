// The work record state machine: events move it pending → assigned → in-progress → completed | failed | cancelled.
import { describe, expect, it } from 'vitest';
import type { WorkEvent } from '../../core/index.js';
import { applyWorkEvent, canChangeExisting } from '../../plugins/weft/coordinator/transitions.js';
import { WORK_STATES, type WorkRecord } from '../../plugins/weft/schemas/work.js';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
let clock = 0;
const ev = (type: WorkEvent['type'], patch: Partial<WorkEvent> = {}): WorkEvent => ({ type, projectId: 'p', workId: 'w1', capability: 'ts', at: new Date(1_700_000_000_000 + clock++ * 1000).toISOString(), ...patch });

function run(events: WorkEvent[], start?: WorkRecord): WorkRecord {
  let record = start;
  for (const event of events) record = applyWorkEvent(record, event) ?? record;
  return record!;
}

describe('work record transitions', () => {
  it('records the whole life of a completed item with agent and result', () => {
    const record = run([ev('offered'), ev('claimed', { agentId: A, attempt: 1 }), ev('progress', { agentId: A, attempt: 1, note: 'started' }), ev('completed', { agentId: A, attempt: 1, result: { ok: 1 } })]);
    expect(record.history.map((h) => h.state)).toEqual(['pending', 'assigned', 'in-progress', 'completed']);
    expect(record).toMatchObject({ state: 'completed', agentId: A, result: { ok: 1 }, source: 'queue' });
  });

  it('records the claim of a completed item even when its event arrives after the completion (a retried publish)', () => {
    const offered = ev('offered');
    const claimed = ev('claimed', { agentId: A, attempt: 1 });
    const completed = ev('completed', { agentId: A, attempt: 1, result: 'done' });
    const record = run([offered, completed, claimed]);
    expect(record.history.map((h) => h.state)).toEqual(['pending', 'assigned', 'completed']);
    expect(record).toMatchObject({ state: 'completed', agentId: A, result: 'done' });
    expect(applyWorkEvent(record, claimed)).toBeUndefined();
    // Only the claim that led to the completion is filled in: a stale claim of another attempt changes nothing.
    expect(applyWorkEvent(record, ev('claimed', { agentId: B, attempt: 2 }))).toBeUndefined();
  });

  it('applies a redelivered event once', () => {
    const claimed = ev('claimed', { agentId: A, attempt: 1 });
    const once = run([ev('offered'), claimed]);
    expect(applyWorkEvent(once, claimed)).toBeUndefined();
  });

  it('shows a reassignment when another agent claims after the first lost the item', () => {
    const record = run([ev('offered'), ev('claimed', { agentId: A, attempt: 1 }), ev('claimed', { agentId: B, attempt: 2 }), ev('completed', { agentId: B, attempt: 2, result: 'done' })]);
    expect(record.history[2]).toMatchObject({ state: 'assigned', agentId: B, attempt: 2 });
    expect(record.history[2]!.note).toContain(`after agent ${A} lost the item`);
    expect(record).toMatchObject({ state: 'completed', agentId: B });
  });

  it('goes back to pending on a retryable failure and ends failed when dead-lettered', () => {
    const record = run([ev('offered'), ev('claimed', { agentId: A, attempt: 1 }), ev('retrying', { agentId: A, attempt: 1, error: 'boom' }), ev('claimed', { agentId: A, attempt: 2 }), ev('failed', { agentId: A, attempt: 2, error: 'boom again' }), ev('dead-lettered', { attempt: 2 })]);
    expect(record.history.map((h) => h.state)).toEqual(['pending', 'assigned', 'pending', 'assigned', 'failed', 'failed']);
    expect(record).toMatchObject({ state: 'failed', error: 'boom again' });
  });

  it('keeps a cancelled item cancelled whatever arrives later', () => {
    const cancelled = run([ev('offered'), ev('cancelled', { note: 'not needed' })]);
    const after = run([ev('claimed', { agentId: A, attempt: 1 }), ev('completed', { agentId: A, attempt: 1, result: 'x' })], cancelled);
    expect(after.state).toBe('cancelled');
    expect(after.result).toBeUndefined();
    expect(after.history.at(-1)!.note).toContain('after cancellation');
  });

  it('ignores the original offer event when it arrives after the claim (they come from different processes)', () => {
    const offered = ev('offered', { agentId: 'c'.repeat(32) });
    const claimed = ev('claimed', { agentId: A, attempt: 1 });
    const record = run([offered, claimed, offered, ev('progress', { agentId: A, attempt: 1 })].map((e, i) => (i === 2 ? { ...e, at: new Date(Date.parse(e.at) + 1).toISOString() } : e)));
    expect(record.history.map((h) => h.state)).toEqual(['pending', 'assigned', 'in-progress']);
  });

  it('returns a released item to pending', () => {
    const record = run([ev('offered'), ev('claimed', { agentId: A, attempt: 1 }), ev('offered', { agentId: A, note: `released by agent ${A}` })]);
    expect(record.state).toBe('pending');
  });

  it('an offer that is not a release leaves every existing record alone in every state, as canChangeExisting says; a release does not', () => {
    const offers = [ev('offered'), ev('offered', { agentId: A, note: 'offered again' }), ev('offered', { agentId: B })];
    const release = ev('offered', { agentId: A, note: 'released by agent ' + A });
    expect(offers.map(canChangeExisting)).toEqual([false, false, false]);
    expect(canChangeExisting(release)).toBe(true);
    for (const state of WORK_STATES) {
      const record: WorkRecord = { ...run([ev('offered'), ev('claimed', { agentId: A, attempt: 1 })]), state };
      for (const offer of offers) expect(applyWorkEvent(record, offer), `${state} + ${offer.note ?? 'offer'}`).toBeUndefined();
      if (state === 'assigned' || state === 'in-progress') expect(applyWorkEvent(record, release)?.state).toBe('pending');
    }
    for (const type of ['claimed', 'progress', 'completed', 'retrying', 'failed', 'dead-lettered', 'retried', 'discarded', 'cancelled'] as const) {
      expect(canChangeExisting(ev(type, { agentId: A, attempt: 1 })), type).toBe(true);
    }
  });
});
