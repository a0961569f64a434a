// An inbox read whose read-state write times out: the write may have landed (the answer was lost) or not. Either way
// every message comes back exactly once, on this read or the next one (the cluster failover run lost one before).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoomError, inboxService, type ProjectInbox } from '../../core/index.js';
import { inboxServicePlugin } from '../../plugins/services/inbox/index.js';
import { startLostAnswersKernel, type LostAnswers, type LostAnswersKernel } from '../fixtures/lost-answers-storage.js';

let fabric: LostAnswersKernel;
let faults: LostAnswers;
let inbox: ProjectInbox;
const hex = (n: number) => n.toString(16).padStart(32, '0');
const sender = hex(1);
const send = (to: string, message: string) => inbox.send({ from: { agentId: sender, projectId: 'lost-answer' }, to, messageType: 'note', message, receipt: false });

beforeAll(async () => {
  fabric = await startLostAnswersKernel({ keys: (_bucket, key) => key.startsWith('cursor.'), plugins: [inboxServicePlugin], projectId: 'lost-answer' });
  faults = fabric.faults;
  inbox = fabric.kernel.use(inboxService).forProject('lost-answer');
}, 60_000);

afterAll(() => fabric?.stop());

describe('an inbox read whose read-state write times out', () => {
  for (const [fault, recipient] of [
    ['lands, answer lost', hex(2)],
    ['times out, not written', hex(3)],
    ['lands after its timeout', hex(4)],
  ] as const) {
    it(`returns every message exactly once when the write ${fault}`, async () => {
      for (const text of ['m1', 'm2', 'm3', 'm4']) await send(recipient, text);
      // A first read creates the read state; the fault hits the second, which updates it.
      expect((await inbox.read(recipient, { limit: 1 })).messages.map((m) => m.message)).toEqual(['m1']);
      const writesBefore = faults.writes;
      faults.next = fault;
      const seen: string[] = [];
      const second = await inbox.read(recipient, { limit: 2 }).then(
        (page) => page.messages.map((m) => m.message),
        (err: unknown) => (err instanceof LoomError ? err.code : String(err)),
      );
      if (fault === 'lands, answer lost') {
        // The write landed: the read knows it and returns what it marked read.
        expect(second).toEqual(['m2', 'm3']);
        seen.push(...second);
      } else {
        // Nothing was marked read: the caller is told to retry, and loses nothing by it.
        expect(second).toBe('LOOM_ERR_TIMEOUT');
      }
      // The settling write came first, so the late one can no longer mark anything read.
      if (fault === 'lands after its timeout') await expect(faults.lateWrite).rejects.toMatchObject({ code: 'LOOM_ERR_CONFLICT' });
      expect(faults.writes).toBeGreaterThan(writesBefore + 1); // the timed-out write, then the write that settled it
      for (let page = await inbox.read(recipient, { limit: 10 }); page.messages.length > 0; page = await inbox.read(recipient, { limit: 10 })) seen.push(...page.messages.map((m) => m.message));
      expect(seen).toEqual(['m2', 'm3', 'm4']);
    }, 30_000);
  }
});
