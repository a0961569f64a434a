// The `loom agent` worker: registers, claims work for its capabilities, runs the command per item, obeys shutdown.
import { assertToken, isLoomError, natsService, registryService, traceparentOf, withSpan, workQueueService, type ClaimedWork, type Identity, type Logger, type Names, type ServiceRef } from '../../core/index.js';
import { listenForCancel, listenForShutdown } from './control.js';
import { runCommand } from './run-command.js';
import { workEnv, workItemJson } from './work-env.js';

export interface AgentRuntimeOptions {
  capabilities: string[];
  agentType: string;
  command: string[];
  concurrency: number;
  handle?: string;
  /** Also claim public work offered by other projects. */
  includePublic: boolean;
  /** How long running commands may finish after a shutdown before they are killed and their items released. */
  graceMs: number;
  /** How long one claim waits before it loops (it returns at once when work arrives). */
  claimWaitMs: number;
  maxStdoutBytes: number;
  maxStderrBytes: number;
  /** The env the command inherits (LOOM_WORK_* are added per item); LOOMINAL_STARTED_BY in it names the weft target that started this agent. */
  env: Record<string, string | undefined>;
}

export interface AgentRuntimeDeps {
  use<T>(ref: ServiceRef<T>): T;
  identity: Identity;
  names: Names;
  log: Logger;
}

export interface AgentRuntime {
  /** Registers and works until stop(); resolves after items are settled and the agent is deregistered. */
  run(): Promise<void>;
  /** Stops claiming; running commands get graceMs to finish. Safe to call more than once. */
  stop(reason: string): void;
}

export function createAgentRuntime(deps: AgentRuntimeDeps, options: AgentRuntimeOptions): AgentRuntime {
  const { agentId, projectId } = deps.identity;
  const log = deps.log.child({ component: 'agent', agentId });
  const queue = deps.use(workQueueService).forProject(projectId);
  const registry = deps.use(registryService).forProject(projectId);
  const stopping = new AbortController();
  const killing = new AbortController();
  let running = 0;
  /** Items whose command runs now: a cancel request from weft stops that one command. */
  const cancels = new Map<string, AbortController>();

  // Presence writes run one after another, and all are done before deregistering, so none can resurrect the entry.
  let presenceWrites: Promise<unknown> = Promise.resolve();
  const presence = () => {
    const patch = { status: running > 0 ? ('busy' as const) : ('online' as const), currentTaskCount: running };
    presenceWrites = presenceWrites.then(() => registry.updatePresence(agentId, patch)).catch((err: unknown) => log.warn({ err }, 'presence update failed'));
  };

  /** One item in a consumer span that continues the submitter's trace; the command gets TRACEPARENT to go on with it. */
  function work(claimed: ClaimedWork): Promise<void> {
    const { item } = claimed;
    const attributes = { 'loom.work_id': item.workId, 'loom.capability': item.capability, 'loom.attempt': item.attempt, 'loom.agent_id': agentId, 'loom.project_id': item.projectId };
    return withSpan('loom.agent.work', { kind: 'consumer', parent: item.traceparent, attributes }, () => runItem(claimed));
  }

  async function runItem(claimed: ClaimedWork): Promise<void> {
    const { workId } = claimed.item;
    const traceparent = traceparentOf();
    running++;
    presence();
    const leaseEvery = Math.max(100, Math.floor(deps.use(workQueueService).settings.ackWaitMs / 3));
    const lease = setInterval(() => queue.progress(workId, agentId).catch((err: unknown) => log.warn({ err, workId }, 'lease extension failed')), leaseEvery);
    const cancel = new AbortController();
    cancels.set(workId, cancel);
    try {
      // Tells weft the command is starting (in-progress), however quick it is; the periodic progress only extends the lease.
      await queue.progress(workId, agentId, 'started').catch((err: unknown) => log.warn({ err, workId }, 'could not report the start of the item'));
      const json = workItemJson(claimed);
      const run = await runCommand({
        command: options.command,
        stdin: json,
        env: { ...options.env, ...workEnv(claimed, json), ...(traceparent ? { TRACEPARENT: traceparent } : {}) },
        signal: AbortSignal.any([killing.signal, cancel.signal]),
        maxStdoutBytes: options.maxStdoutBytes,
        maxStderrBytes: options.maxStderrBytes,
      });
      clearInterval(lease);
      if (cancel.signal.aborted) {
        await settleCancelled(workId, 'work item cancelled; its command was stopped');
      } else if (run.killed) {
        log.warn({ workId }, 'command stopped by shutdown; releasing its item');
        await queue.release(workId, agentId);
      } else if (run.code === 0) {
        if (run.stdoutTruncated) log.warn({ workId, maxStdoutBytes: options.maxStdoutBytes }, 'stdout was longer than the limit; the result is truncated');
        await queue.complete(workId, agentId, run.stdout).catch((err: unknown) => {
          // Cancelled before the cancel request reached us: the refusal settled the delivery, the result is dropped.
          if (!isLoomError(err, 'LOOM_ERR_CONFLICT') || err.details?.cancelled !== true) throw err;
          log.info({ workId }, 'work item was cancelled while its command ran; its result is dropped');
        });
      } else {
        const why = run.spawnError ? `could not start ${options.command[0]}: ${run.spawnError}` : `exited with ${run.signal ? `signal ${run.signal}` : `code ${run.code}`}`;
        await queue.fail(workId, agentId, run.stderr.trim() ? `${run.stderr.trim()}\n(${why})` : why, true);
      }
    } catch (err) {
      log.error({ err, workId }, 'could not settle a work item; its lease will lapse and it goes to another agent');
    } finally {
      clearInterval(lease);
      cancels.delete(workId);
      running--;
      presence();
    }
  }

  /** Settles a cancelled item this agent holds (acks its delivery); false when it was not cancelled after all. */
  async function settleCancelled(workId: string, message: string): Promise<boolean> {
    const { removed } = (await queue.cancel?.(workId)) ?? { removed: false };
    if (removed) log.info({ workId }, message);
    return removed;
  }

  async function worker(): Promise<void> {
    while (!stopping.signal.aborted) {
      let claimed: ClaimedWork | null = null;
      try {
        claimed = await queue.claim(options.capabilities, { agentId, timeoutMs: options.claimWaitMs, signal: stopping.signal, includePublic: options.includePublic });
      } catch (err) {
        log.warn({ err }, 'claim failed; trying again shortly');
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      if (!claimed) continue;
      if (stopping.signal.aborted) {
        // Claimed but not started: give it straight back without spending an attempt.
        await queue.release(claimed.item.workId, agentId).catch((err: unknown) => log.warn({ err }, 'release failed; the lease will lapse'));
        break;
      }
      await work(claimed);
    }
  }

  function stop(reason: string): void {
    if (stopping.signal.aborted) return;
    log.info({ reason, running }, 'agent shutting down');
    stopping.abort();
    if (running > 0) setTimeout(() => killing.abort(), options.graceMs).unref();
  }

  async function run(): Promise<void> {
    const startedBy = startedByOf(options.env);
    const nc = await deps.use(natsService).connection();
    const control = listenForShutdown(nc, deps.names.controlSubject(agentId, 'shutdown'), () => ({ ok: true, agentId, running }), stop, log);
    const cancelling = listenForCancel(nc, deps.names.controlSubject(agentId, 'cancel'), (workId, reason) => {
      const cancel = cancels.get(workId);
      if (cancel) log.info({ workId, reason }, 'weft cancelled a work item this agent runs; stopping its command');
      cancel?.abort();
      return cancel !== undefined;
    }, log);
    try {
      // Whoever sees the registration may ask at once (weft's scale-down, a cancel): the server must know the
      // control subscriptions before the entry exists, or that request finds no responders.
      await nc.flush();
      await registry.register({ agentId, agentType: options.agentType, capabilities: options.capabilities, scope: 'team', ...(options.handle ? { handle: options.handle } : {}), ...(startedBy ? { startedBy } : {}) });
    } catch (err) {
      control.unsubscribe();
      cancelling.unsubscribe();
      throw err;
    }
    log.info({ capabilities: options.capabilities, concurrency: options.concurrency }, 'agent ready for work');
    try {
      await Promise.all(Array.from({ length: options.concurrency }, () => worker()));
    } finally {
      control.unsubscribe();
      cancelling.unsubscribe();
      await presenceWrites;
      await registry.deregister(agentId).catch((err: unknown) => log.warn({ err }, 'deregister failed; the entry goes offline after 3 missed heartbeats'));
      log.info('agent stopped');
    }
  }

  return { run, stop };
}

/** LOOMINAL_STARTED_BY: the id of the weft target that started this agent (every spin-up mechanism passes it on). */
function startedByOf(env: Record<string, string | undefined>): string | undefined {
  const value = env.LOOMINAL_STARTED_BY;
  return value === undefined || value === '' ? undefined : assertToken('LOOMINAL_STARTED_BY', value);
}
