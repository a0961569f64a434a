// Drives `loom warp` sessions the way agents do during a fault: channel messages, direct messages and work offers, non-stop.
import type { McpSession } from '../../../core/testing/mcp-client.js';

export interface TrafficLedger {
  /** Ids the server acknowledged (the tool call succeeded). */
  channel: string[];
  direct: string[];
  work: string[];
  /** Work ids whose offer failed at least once and was offered again with the same id. */
  reoffered: string[];
  /** Error texts of calls that failed (they must be coded). */
  errors: string[];
  /** Successful calls per phase label (see setPhase). */
  okByPhase: Record<string, number>;
}

export interface TrafficLoop {
  ledger: TrafficLedger;
  /** Successful calls so far. */
  ok(): number;
  setPhase(phase: string): void;
  stop(): Promise<void>;
}

export interface TrafficOptions {
  session: McpSession;
  /** Used in work ids and message texts. */
  label: string;
  recipientId: string;
  channel?: string;
  capability?: string;
}

const text = (result: { content: Array<{ text?: string }> }) => result.content.map((c) => c.text ?? '').join('\n');

/**
 * One call after another, cycling channel → direct → work. A failed offer is offered again with the same work id
 * until the server acknowledges it: the duplicate window makes that safe, which is what a careful client does.
 */
export function startTraffic(options: TrafficOptions): TrafficLoop {
  const { session, label } = options;
  const ledger: TrafficLedger = { channel: [], direct: [], work: [], reoffered: [], errors: [], okByPhase: {} };
  let phase = 'start';
  let stopped = false;
  let n = 0;
  const count = () => (ledger.okByPhase[phase] = (ledger.okByPhase[phase] ?? 0) + 1);

  async function offer(workId: string): Promise<void> {
    for (let tries = 0; !stopped || tries === 0; tries++) {
      const result = await session.raw('broadcast_work_offer', { taskId: 'crash', description: `work ${workId}`, requiredCapability: options.capability ?? 'build', workId });
      if (!result.isError) {
        ledger.work.push(workId);
        count();
        return;
      }
      ledger.errors.push(text(result));
      if (tries === 0) ledger.reoffered.push(workId);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  const loop = (async () => {
    while (!stopped) {
      const i = n++;
      const kind = i % 3;
      if (kind === 0) {
        const result = await session.raw('send_message', { channel: options.channel ?? 'parallel-work', message: `${label} channel ${i}` });
        if (result.isError) ledger.errors.push(text(result));
        else (ledger.channel.push(String(result.structuredContent?.id)), count());
      } else if (kind === 1) {
        const result = await session.raw('send_direct_message', { recipientId: options.recipientId, message: `${label} direct ${i}`, receipt: false });
        if (result.isError) ledger.errors.push(text(result));
        else (ledger.direct.push(String(result.structuredContent?.messageId)), count());
      } else {
        await offer(`${label}-w${i}`);
      }
    }
  })();

  return {
    ledger,
    ok: () => ledger.channel.length + ledger.direct.length + ledger.work.length,
    setPhase(next) {
      phase = next;
    },
    async stop() {
      stopped = true;
      await loop;
    },
  };
}
