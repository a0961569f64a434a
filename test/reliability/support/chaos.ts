// A bounded chaos run: work flows while workers (and the broker) are killed at random; afterwards every submitted work id
// is completed or dead-lettered, none both, none twice, and every queue is empty.
import { jetstreamManager } from '@nats-io/jetstream';
import { randomBytes } from 'node:crypto';
import type { NatsServerHandle } from '../../../core/testing/nats-server.js';
import { createNames, natsService, type DeadLetter } from '../../../core/index.js';
import { until } from './fabric.js';
import { readStream } from './stream-read.js';
import { offer, type WorkerFleet } from './worker-fleet.js';

export interface ChaosOptions {
  fleet: WorkerFleet;
  nats: NatsServerHandle;
  projectId: string;
  capability: string;
  items: number;
  /** Every n-th item always fails (it must end in the DLQ). */
  poisonEvery: number;
  workers: number;
  /** How long the chaos lasts; submission runs inside it. */
  chaosMs: number;
  /** Milliseconds between two worker kills (randomised ±50%). */
  workerKillEveryMs: number;
  /** Milliseconds between two broker kills; 0 = never. */
  brokerKillEveryMs: number;
  seed: number;
  /** Submits one item some other way (weft's REST API) and returns its work id once accepted; default: a direct offer. */
  submit?: (index: number, description: string) => Promise<string>;
  /** A coordinator to kill and restart too. */
  weft?: { killEveryMs: number; kill(): Promise<void>; restart(): Promise<void> };
}

export interface ChaosReport {
  seed: number;
  submitted: number;
  completed: number;
  deadLettered: number;
  workerKills: number;
  brokerKills: number;
  weftKills: number;
  /** Each must be 0. */
  unsettled: string[];
  completedAndDeadLettered: string[];
  deadLetteredTwice: string[];
  completedEventsTwice: string[];
  poisonCompleted: string[];
  queueLeft: { messages: number; pending: number; ackPending: number };
  durationMs: number;
}

/** A small seeded generator (mulberry32): the same seed replays the same kill schedule. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function allDeadLetters(fleet: WorkerFleet, capability: string): Promise<DeadLetter[]> {
  const out: DeadLetter[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await fleet.queue.listDeadLetters({ capability, limit: 100, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const { fleet, capability } = options;
  const random = rng(options.seed);
  const started = Date.now();
  const newWorker = () => fleet.start(randomBytes(16).toString('hex'), capability);
  const live = () => fleet.workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
  for (let i = 0; i < options.workers; i++) newWorker();

  const submitted: string[] = [];
  const poison = new Set<string>();
  const submitting = (async () => {
    const gap = Math.max(5, Math.floor(options.chaosMs / 2 / options.items));
    for (let i = 0; i < options.items; i++) {
      const isPoison = i % options.poisonEvery === options.poisonEvery - 1;
      const description = isPoison ? 'always-fail' : `chaos item ${i}`;
      // A careful client: a failed submission is tried again (a direct offer with the same work id) until accepted.
      const id = await until(
        () => (options.submit ? options.submit(i, description) : fleet.queue.offer(offer(`chaos-${i}`, capability, description)).then(() => `chaos-${i}`)),
        `submission ${i}`,
        120_000,
        200,
      );
      submitted.push(id);
      if (isPoison) poison.add(id);
      await sleep(gap);
    }
  })();

  let workerKills = 0;
  let brokerKills = 0;
  let weftKills = 0;
  let nextBrokerKill = options.brokerKillEveryMs > 0 ? Date.now() + options.brokerKillEveryMs : Number.POSITIVE_INFINITY;
  let nextWeftKill = options.weft ? Date.now() + options.weft.killEveryMs * (0.5 + random()) : Number.POSITIVE_INFINITY;
  while (Date.now() - started < options.chaosMs) {
    await sleep(options.workerKillEveryMs * (0.5 + random()));
    if (options.weft && Date.now() >= nextWeftKill) {
      await options.weft.kill();
      weftKills++;
      await options.weft.restart();
      nextWeftKill = Date.now() + options.weft.killEveryMs;
      continue;
    }
    if (Date.now() >= nextBrokerKill) {
      await options.nats.kill();
      brokerKills++;
      await sleep(300 + random() * 1200);
      await options.nats.restart();
      nextBrokerKill = Date.now() + options.brokerKillEveryMs;
      continue;
    }
    const victims = live();
    if (victims.length === 0) continue;
    await victims[Math.floor(random() * victims.length)]!.kill();
    workerKills++;
    newWorker();
  }
  await submitting;

  const dead = new Map<string, number>();
  await until(async () => {
    const done = await Promise.all(submitted.map((id) => fleet.queue.completion(id)));
    const letters = await allDeadLetters(fleet, capability);
    dead.clear();
    for (const item of letters) dead.set(item.workId, (dead.get(item.workId) ?? 0) + 1);
    return submitted.every((id, i) => done[i] || dead.has(id));
  }, 'every submitted item to be completed or dead-lettered', 240_000, 500);

  const completions = await Promise.all(submitted.map((id) => fleet.queue.completion(id)));
  const completedIds = submitted.filter((_, i) => completions[i]);
  const names = createNames(options.projectId);
  const nc = await fleet.kernel.use(natsService).connection();
  // Counted in the events stream itself (a follower may see an event again after a broker restart; the stream may not).
  const completedEvents = new Map<string, number>();
  for (const record of await readStream(nc, names.eventsStream)) {
    const event = record.json as { type?: string; workId?: string };
    if (event.type === 'completed' && event.workId) completedEvents.set(event.workId, (completedEvents.get(event.workId) ?? 0) + 1);
  }
  const jsm = await jetstreamManager(nc);
  const left = async () => {
    let pending = 0;
    let ackPending = 0;
    for await (const consumer of jsm.consumers.list(names.workStream)) {
      pending += consumer.num_pending;
      ackPending += consumer.num_ack_pending;
    }
    return { messages: (await jsm.streams.info(names.workStream)).state.messages, pending, ackPending };
  };
  // The last acks are fire-and-forget: give them a moment to land before reading what is left.
  const queueLeft = await until(async () => {
    // depth() is what weft and `loom stats` read; it also removes messages a broker crash left behind already acked.
    await fleet.queue.depth();
    const now = await left();
    return now.messages + now.pending + now.ackPending === 0 ? now : null;
  }, 'the work queue to drain', 30_000, 200).catch(() => left());
  return {
    seed: options.seed,
    submitted: submitted.length,
    completed: completedIds.length,
    deadLettered: dead.size,
    workerKills,
    brokerKills,
    weftKills,
    unsettled: submitted.filter((id, i) => !completions[i] && !dead.has(id)),
    completedAndDeadLettered: completedIds.filter((id) => dead.has(id)),
    deadLetteredTwice: [...dead.entries()].filter(([, n]) => n > 1).map(([id]) => id),
    completedEventsTwice: [...completedEvents.entries()].filter(([, n]) => n > 1).map(([id]) => id),
    poisonCompleted: completedIds.filter((id) => poison.has(id)),
    queueLeft,
    durationMs: Date.now() - started,
  };
}
