// The worker-crash scenario: `loom agent` workers SIGKILLed while holding work; every item completes exactly once.
import { isLoomError } from '../../../core/index.js';
import { randomBytes } from 'node:crypto';
import { until } from './fabric.js';
import { heldBy, offer, type WorkerFleet } from './worker-fleet.js';

export interface WorkerCrashOptions {
  fleet: WorkerFleet;
  capability: string;
  items: number;
  workers: number;
  kills: number;
  maxDeliver: number;
}

export interface WorkerCrashReport {
  items: number;
  kills: number;
  /** Items that were held by a worker at the moment it was killed. */
  heldAtKill: string[];
  /** Of those, completed later by another worker on a later attempt. */
  heldAtKillCompletedElsewhere: number;
  /** Normal items with no completion record, and items with more than one "completed" event: both must be 0. */
  notCompleted: number;
  completedTwice: number;
  /** A second complete() of every completed id: refusals with LOOM_ERR_CONFLICT. */
  secondCompletionRefused: number;
  deadLetter: { attempts: number; errors: string[] } | null;
  queueDepthAfter: number;
}

const nextAgent = () => randomBytes(16).toString('hex');

export async function runWorkerCrash(options: WorkerCrashOptions): Promise<WorkerCrashReport> {
  const { fleet, capability } = options;
  const live = () => fleet.workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
  for (let i = 0; i < options.workers; i++) fleet.start(nextAgent(), capability);
  const ids = Array.from({ length: options.items }, (_, i) => `item-${i}`);
  for (const id of ids) await fleet.queue.offer(offer(id, capability));
  await fleet.queue.offer(offer('poison', capability, 'always-fail: this item can never succeed'));

  const heldAtKill: Array<{ workId: string; agentId: string }> = [];
  for (let k = 0; k < options.kills; k++) {
    // Kill a worker at a moment it holds work (its command is running).
    // A victim holding an item no earlier kill hit: an item whose holder dies maxDeliver times is dead-lettered, by design.
    const hit = new Set(heldAtKill.map((h) => h.workId));
    const victim = await until(() => live().find((w) => heldBy(fleet.events, w.agentId).some((id) => !hit.has(id))), `a worker holding fresh work (kill ${k + 1})`, 60_000, 20);
    const held = heldBy(fleet.events, victim.agentId);
    await victim.kill();
    heldAtKill.push(...held.map((workId) => ({ workId, agentId: victim.agentId })));
    fleet.start(nextAgent(), capability);
  }

  await until(async () => {
    const done = await Promise.all(ids.map((id) => fleet.queue.completion(id)));
    const dead = await fleet.queue.listDeadLetters({ capability, limit: 10 });
    return done.every(Boolean) && dead.items.some((item) => item.workId === 'poison');
  }, 'every item completed and the poison item dead-lettered', 120_000, 200).catch(async (err: unknown) => {
    const done = await Promise.all(ids.map((id) => fleet.queue.completion(id)));
    const dead = (await fleet.queue.listDeadLetters({ capability, limit: 100 })).items.map((item) => `${item.workId} (${item.reason})`);
    throw new Error(`${String(err)}; not completed: ${ids.filter((_, i) => !done[i]).join(', ')}; dead letters: ${dead.join('; ')}; depth: ${JSON.stringify(await fleet.queue.depth())}; live workers: ${live().length}`);
  });

  // Events are published after the state change is recorded; wait for them to arrive through the follower, then count.
  const completedCount = () => {
    const counts = new Map<string, number>();
    for (const event of fleet.events) if (event.type === 'completed') counts.set(event.workId, (counts.get(event.workId) ?? 0) + 1);
    return counts;
  };
  await until(() => ids.every((id) => completedCount().has(id)), 'a completed event for every item', 30_000);
  const completedEvents = completedCount();

  let heldAtKillCompletedElsewhere = 0;
  for (const { workId, agentId } of heldAtKill) {
    const completion = await fleet.queue.completion(workId);
    if (completion && completion.agentId !== agentId) heldAtKillCompletedElsewhere++;
  }
  let secondCompletionRefused = 0;
  for (const id of ids) {
    const err = await fleet.queue.complete(id, 'e'.repeat(32), 'a second completion').then(() => null, (e: unknown) => e);
    if (isLoomError(err, 'LOOM_ERR_CONFLICT')) secondCompletionRefused++;
  }
  const dead = (await fleet.queue.listDeadLetters({ capability, limit: 10 })).items.find((item) => item.workId === 'poison');
  const depth = await fleet.queue.depth();
  return {
    items: ids.length,
    kills: options.kills,
    heldAtKill: heldAtKill.map((h) => h.workId),
    heldAtKillCompletedElsewhere,
    notCompleted: (await Promise.all(ids.map((id) => fleet.queue.completion(id)))).filter((c) => !c).length,
    completedTwice: [...completedEvents.values()].filter((n) => n > 1).length,
    secondCompletionRefused,
    deadLetter: dead ? { attempts: dead.attempt, errors: dead.errors.map((e) => e.error) } : null,
    queueDepthAfter: Object.values(depth).reduce((sum, n) => sum + n, 0),
  };
}
