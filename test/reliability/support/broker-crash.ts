// Warp agents publish channel messages, direct messages and work offers while faults hit the broker (a SIGKILLed
// nats-server, a killed cluster node); afterwards every acknowledged id is in its stream once and readable by the tools.
import type { McpSession } from '../../../core/testing/mcp-client.js';
import type { NatsServerHandle } from '../../../core/testing/nats-server.js';
import { agentHex, alive, jetStreamAnswers, until, type Fabric } from './fabric.js';
import { startTraffic, type TrafficLoop } from './warp-traffic.js';
import { duplicates, readStream } from './stream-read.js';

/** One fault: inject it, let the scenario run while it lasts (until `during` resolves), heal it. */
export interface Fault {
  label: string;
  inject(): Promise<void>;
  during(progress: FaultProgress): Promise<unknown>;
  heal(): Promise<void>;
}

export interface FaultProgress {
  /** Publishes logged as retried since the fault was injected. */
  retriedSince(): number;
  /** Smallest number of successful calls any agent made since the fault was injected. */
  minOkSince(): number;
}

export interface PublishFaultOptions {
  fabric: Fabric;
  projectId: string;
  agents: number;
  faults: Fault[];
  /** Successful calls each agent makes before the first fault and after each heal. */
  callsPerPhase: number;
  extraEnv?: Record<string, string>;
}

export interface BrokerCrashOptions {
  fabric: Fabric;
  nats: NatsServerHandle;
  projectId: string;
  agents: number;
  kills: number;
  /** Successful calls each agent makes before the first kill and after each restart. */
  callsPerPhase: number;
}

export interface BrokerCrashReport {
  kills: number;
  acknowledged: { channel: number; direct: number; work: number };
  /** Acknowledged ids not found (stream or tools), and ids stored more than once: all must be 0. */
  lost: number;
  /** The acknowledged ids behind `lost`, by where they were looked for (a failing run says which). */
  lostIds: Record<'channelStored' | 'channelRead' | 'directStored' | 'directRead' | 'workStored', string[]>;
  duplicated: number;
  /** Publishes logged as "not acknowledged; retrying with the same message id", and how many of those ids are stored once. */
  retriedPublishes: string[];
  retriedStoredOnce: number;
  /** Retried ids found more than once in their stream: must be 0. */
  retriedStoredTwice: number;
  reofferedWork: number;
  surfacedErrors: string[];
  /** Reads after the faults that timed out and were retried (a cluster still moving leaders). */
  readTimeouts: string[];
  pidsUnchanged: boolean;
  okAfterEachRestart: number[];
  /** Successful calls (all agents) while each fault lasted. */
  okDuringEachFault: number[];
  durationMs: number;
}

interface RetryLine {
  msgID?: string;
  subject?: string;
  msg?: string;
}

function retriedIds(stderr: string): Array<{ msgID: string; subject: string }> {
  const out: Array<{ msgID: string; subject: string }> = [];
  for (const line of stderr.split('\n')) {
    if (!line.includes('retrying with the same message id')) continue;
    try {
      const parsed = JSON.parse(line) as RetryLine;
      if (parsed.msgID && parsed.subject) out.push({ msgID: parsed.msgID, subject: parsed.subject });
    } catch {
      // not a log line
    }
  }
  return out;
}

/** A read as a careful client makes it right after a fault: a timeout (leaders still moving) is retried a few times. */
async function callRetrying<T>(session: McpSession, tool: string, args: Record<string, unknown>, timeouts: string[]): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const result = await session.raw(tool, args);
    if (!result.isError) return result.structuredContent as T;
    const text = result.content.map((c) => c.text ?? '').join('\n');
    if (attempt >= 5 || !/timeout|TIMEOUT|UNREACHABLE/.test(text)) throw new Error(`${tool}: ${text}`);
    timeouts.push(`${tool}: ${text}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function readChannel(session: McpSession, channel: string, timeouts: string[]): Promise<string[]> {
  const ids: string[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await callRetrying<{ messages: Array<{ id: string }>; olderCursor?: number }>(session, 'read_messages', { channel, limit: 200, ...(before !== undefined ? { before } : {}) }, timeouts);
    ids.push(...page.messages.map((m) => m.id));
    if (page.olderCursor === undefined) return ids;
    before = page.olderCursor;
  }
}

async function readInbox(session: McpSession, timeouts: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (;;) {
    const page = await callRetrying<{ messages: Array<{ messageId: string }>; unreadRemaining: number }>(session, 'read_direct_messages', { limit: 100 }, timeouts);
    ids.push(...page.messages.map((m) => m.messageId));
    if (page.messages.length === 0 || page.unreadRemaining === 0) return ids;
  }
}

/** nats-server SIGKILLed `kills` times; each outage lasts until a publish is known to have failed and to be retrying. */
export function runBrokerCrash(options: BrokerCrashOptions): Promise<BrokerCrashReport> {
  const faults: Fault[] = Array.from({ length: options.kills }, (_, i) => ({
    label: `kill ${i + 1}`,
    inject: () => options.nats.kill(),
    during: (progress) => until(() => progress.retriedSince() > 0, 'a publish to fail and be retried while the broker is down', 30_000, 100),
    heal: () => options.nats.restart(),
  }));
  return runPublishFaults({ fabric: options.fabric, projectId: options.projectId, agents: options.agents, faults, callsPerPhase: options.callsPerPhase });
}

export async function runPublishFaults(options: PublishFaultOptions): Promise<BrokerCrashReport> {
  const { fabric, projectId } = options;
  const started = Date.now();
  const ids = Array.from({ length: options.agents }, (_, i) => agentHex(String.fromCharCode(97 + i)));
  const sessions = await Promise.all(ids.map((id) => fabric.session('warp', projectId, id, options.extraEnv)));
  const pids = sessions.map((s) => s.pid());
  const loops: TrafficLoop[] = sessions.map((session, i) => startTraffic({ session, label: `a${i}`, recipientId: ids[(i + 1) % ids.length]! }));
  const okAfterEachRestart: number[] = [];
  const okDuringEachFault: number[] = [];
  // Work events are published with a random id and are not what this scenario counts; the three kinds below are.
  const retried = () => sessions.flatMap((s) => retriedIds(s.stderr())).filter((r) => /\.(channels|inbox|work)\./.test(r.subject));
  try {
    let phaseStart = loops.map((l) => l.ok());
    await until(() => loops.every((l, i) => l.ok() - phaseStart[i]! >= options.callsPerPhase), 'traffic before the first fault', 60_000);
    for (const [k, fault] of options.faults.entries()) {
      const retriedBefore = retried().length;
      const okBefore = loops.map((l) => l.ok());
      await fault.inject();
      await fault.during({ retriedSince: () => retried().length - retriedBefore, minOkSince: () => Math.min(...loops.map((l, i) => l.ok() - okBefore[i]!)) });
      okDuringEachFault.push(loops.reduce((sum, l, i) => sum + l.ok() - okBefore[i]!, 0));
      await fault.heal();
      const phase = `after-${k + 1}`;
      for (const loop of loops) loop.setPhase(phase);
      phaseStart = loops.map((l) => l.ok());
      await until(() => loops.every((l, i) => l.ok() - phaseStart[i]! >= options.callsPerPhase), `traffic after ${fault.label}`, 90_000);
      okAfterEachRestart.push(loops.reduce((sum, l) => sum + (l.ledger.okByPhase[phase] ?? 0), 0));
    }
  } finally {
    await Promise.all(loops.map((l) => l.stop()));
  }
  await jetStreamAnswers(fabric.jsm);

  const ledgers = loops.map((l) => l.ledger);
  const channelAcked = ledgers.flatMap((l) => l.channel);
  const directAcked = ledgers.flatMap((l) => l.direct);
  const workAcked = ledgers.flatMap((l) => l.work);
  const up = projectId.toUpperCase();

  // What the streams hold, read on the test's own connection.
  const channelStored = (await readStream(fabric.nc, `LOOM_${up}_CHANNELS`)).map((r) => (r.json as { id: string }).id);
  const directStored = (await readStream(fabric.nc, `LOOM_${up}_INBOX`)).map((r) => (r.json as { messageId: string }).messageId);
  const workStored = (await readStream(fabric.nc, `LOOM_${up}_WORK`)).map((r) => (r.json as { workId: string }).workId);
  // What agents read through their tools.
  const readTimeouts: string[] = [];
  const channelRead = await readChannel(sessions[0]!, 'parallel-work', readTimeouts);
  const directRead = (await Promise.all(sessions.map((s) => readInbox(s, readTimeouts)))).flat();

  const missing = (acked: string[], found: string[]) => {
    const have = new Set(found);
    return acked.filter((id) => !have.has(id));
  };
  const lostIds = {
    channelStored: missing(channelAcked, channelStored),
    channelRead: missing(channelAcked, channelRead),
    directStored: missing(directAcked, directStored),
    directRead: missing(directAcked, directRead),
    workStored: missing(workAcked, workStored),
  };
  const lost = Object.values(lostIds).reduce((sum, ids) => sum + ids.length, 0);
  const duplicated = duplicates(channelStored).length + duplicates(directStored).length + duplicates(workStored).length + duplicates(channelRead).length + duplicates(directRead).length;

  const retriedList = retried();
  const storedIds = new Map<string, number>();
  for (const id of [...channelStored, ...directStored, ...workStored]) storedIds.set(id, (storedIds.get(id) ?? 0) + 1);
  // A retried id was either stored exactly once, or belonged to a call that finally failed (then it is in no stream).
  const retriedUnique = [...new Set(retriedList.map((r) => r.msgID))];
  const retriedStoredOnce = retriedUnique.filter((id) => storedIds.get(id) === 1).length;
  const retriedStoredTwice = retriedUnique.filter((id) => (storedIds.get(id) ?? 0) > 1).length;

  return {
    kills: options.faults.length,
    acknowledged: { channel: channelAcked.length, direct: directAcked.length, work: workAcked.length },
    lost,
    lostIds,
    duplicated,
    retriedPublishes: retriedUnique,
    retriedStoredOnce,
    retriedStoredTwice,
    reofferedWork: ledgers.reduce((sum, l) => sum + l.reoffered.length, 0),
    surfacedErrors: ledgers.flatMap((l) => l.errors),
    readTimeouts,
    pidsUnchanged: sessions.every((s, i) => s.pid() === pids[i] && alive(s.pid())),
    okAfterEachRestart,
    okDuringEachFault,
    durationMs: Date.now() - started,
  };
}
