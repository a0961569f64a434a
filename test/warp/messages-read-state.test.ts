// The inbox read-state rules, checked against a model: any mix of filtered and limited reads returns each message once.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EMPTY_READ_STATE, InboxSelection, nextReadState, type ReadState } from '../../plugins/services/inbox/read-state.js';

interface Msg {
  seq: number;
  type: 'a' | 'b' | 'c';
}

/** One read as the inbox service does it: a scan from floor + 1 in sequence order, stopping when the selection is full. */
function read(inbox: Msg[], state: ReadState, filter: Msg['type'] | undefined, limit: number): { returned: Msg[]; state: ReadState } {
  const selection = new InboxSelection<Msg>(state, { limit, maxBytes: Number.MAX_SAFE_INTEGER, matches: (m) => filter === undefined || m.type === filter });
  for (const message of inbox) {
    if (message.seq <= state.floor) continue;
    if (!selection.offer(message.seq, message, 1)) break;
  }
  return { returned: selection.messages, state: selection.nextState() };
}

const inboxArb = fc
  .array(fc.record({ gap: fc.integer({ min: 1, max: 5 }), type: fc.constantFrom<'a' | 'b' | 'c'>('a', 'b', 'c') }), { maxLength: 40 })
  .map((items) => {
    let seq = 0;
    return items.map(({ gap, type }) => ({ seq: (seq += gap), type }));
  });
const readsArb = fc.array(fc.record({ filter: fc.constantFrom<Msg['type'] | undefined>(undefined, 'a', 'b', 'c'), limit: fc.integer({ min: 1, max: 6 }) }), { maxLength: 25 });

describe('inbox read state', () => {
  it('any sequence of reads returns every message at most once, filtered reads only matching ones, oldest unread first', () => {
    fc.assert(
      fc.property(inboxArb, readsArb, (inbox, reads) => {
        let state = EMPTY_READ_STATE;
        const seen = new Set<number>();
        for (const { filter, limit } of reads) {
          const unreadMatching = inbox.filter((m) => !seen.has(m.seq) && (filter === undefined || m.type === filter));
          const result = read(inbox, state, filter, limit);
          expect(result.returned).toEqual(unreadMatching.slice(0, limit));
          for (const m of result.returned) seen.add(m.seq);
          state = result.state;
        }
        // Whatever the earlier filters skipped is still there for unfiltered reads.
        const rest: Msg[] = [];
        for (let i = 0; i < 100; i++) {
          const result = read(inbox, state, undefined, 7);
          rest.push(...result.returned);
          state = result.state;
          if (result.returned.length === 0) break;
        }
        expect(rest.map((m) => m.seq)).toEqual(inbox.filter((m) => !seen.has(m.seq)).map((m) => m.seq));
        // Fully read: the floor covers everything and nothing is listed above it.
        if (inbox.length) expect(state).toEqual({ floor: inbox.at(-1)!.seq, read: [] });
      }),
      { numRuns: 300 },
    );
  });

  it('the floor stops just below the first message a read leaves unread', () => {
    expect(nextReadState({ floor: 2, read: [7] }, { returned: [5, 9], firstLeftUnread: 6, lastVisited: 9 })).toEqual({ floor: 5, read: [7, 9] });
    expect(nextReadState({ floor: 2, read: [7] }, { returned: [5, 9], lastVisited: 9 })).toEqual({ floor: 9, read: [] });
  });

  it('a message nobody can parse counts as read instead of holding the floor down', () => {
    const selection = new InboxSelection<Msg>(EMPTY_READ_STATE, { limit: 10, maxBytes: 1000, matches: () => true });
    selection.offer(1, null, 5);
    selection.offer(2, { seq: 2, type: 'a' }, 5);
    expect(selection.messages).toEqual([{ seq: 2, type: 'a' }]);
    expect(selection.nextState()).toEqual({ floor: 2, read: [] });
  });

  it('the byte budget leaves the rest unread but always returns at least one message', () => {
    const selection = new InboxSelection<Msg>(EMPTY_READ_STATE, { limit: 10, maxBytes: 8, matches: () => true });
    expect(selection.offer(1, { seq: 1, type: 'a' }, 20)).toBe(true);
    expect(selection.offer(2, { seq: 2, type: 'a' }, 1)).toBe(false);
    expect(selection.messages.map((m) => m.seq)).toEqual([1]);
    expect(selection.nextState()).toEqual({ floor: 1, read: [] });
  });
});
