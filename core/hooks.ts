// The typed lifecycle and interception hooks; taps are named after their plugin and their errors name it too.
import type { SpinUpAttempt } from './services/spin-up.js';
import { AsyncSeriesBailHook, AsyncSeriesHook, AsyncSeriesWaterfallHook } from 'tapable';
import { LoomError, isLoomError } from './errors.js';

export interface ToolCallEvent {
  tool: string;
  input: unknown;
  projectId: string;
  agentId: string;
}

export interface ToolCallOutcome {
  ok: boolean;
  output?: unknown;
  errorCode?: string;
  durationMs: number;
}

export interface SpinUpEvent {
  projectId: string;
  targetId: string;
  mechanism: string;
  reason: string;
}

export interface SpinUpOutcome extends SpinUpEvent {
  operationId: string;
  /** What the attempt came to: a start, a failure or veto, or a skip (cooldown, at capacity, no target). */
  outcome: SpinUpAttempt['outcome'];
  /** outcome === 'started'. */
  ok: boolean;
  error?: string;
  durationMs: number;
}

export interface WorkStateChange {
  projectId: string;
  workId: string;
  state: string;
  previous?: string;
  agentId?: string;
}

function createHookSet() {
  return {
    /** After every plugin's setup, before the kernel reports it is running. */
    start: new AsyncSeriesHook<[]>(),
    /** Before the kernel releases its resources; taps run in reverse order of registration. */
    stop: new AsyncSeriesHook<[]>(),
    /** Each tap gets the previous event and may rewrite its input, or throw LOOM_ERR_FORBIDDEN to deny. */
    beforeToolCall: new AsyncSeriesWaterfallHook<[ToolCallEvent]>(['event']),
    afterToolCall: new AsyncSeriesHook<[ToolCallEvent, ToolCallOutcome]>(['event', 'outcome']),
    /** The first tap that returns a string vetoes the spin-up with that reason. */
    beforeSpinUp: new AsyncSeriesBailHook<[SpinUpEvent], string | undefined>(['event']),
    afterSpinUp: new AsyncSeriesHook<[SpinUpOutcome]>(['outcome']),
    workStateChange: new AsyncSeriesHook<[WorkStateChange]>(['change']),
  };
}

export type HookSet = ReturnType<typeof createHookSet>;
export type HookName = keyof HookSet;

// tapable's hook classes are structurally identical, so the tap's type is read from tapPromise, not from the class.
type TapFn<H> = H extends { tapPromise(options: never, fn: (...args: infer A) => Promise<infer R>): void } ? (...args: A) => Promise<R> | R : never;

export interface TapOptions {
  /** Lower stages run first; default 0. Order is by stage only, never by another plugin's name. */
  stage?: number;
}

type CallFn<H> = H extends { promise: (...args: infer A) => infer R } ? (...args: A) => R : never;

/**
 * What a plugin sees: the same hooks, but every tap carries the plugin's name. `promise(...)` calls the hook, for
 * plugins that own a lifecycle event (the work queue calls workStateChange, weft the spin-up hooks).
 */
export type PluginHooks = { [K in HookName]: { tap(fn: TapFn<HookSet[K]>, options?: TapOptions): void; promise: CallFn<HookSet[K]> } };

export interface Hooks {
  /** Calls a hook: callers use these, plugins tap through forPlugin(). */
  readonly call: HookSet;
  forPlugin(pluginName: string): PluginHooks;
}

function attribute(err: unknown, plugin: string, hook: string): LoomError {
  if (isLoomError(err, 'LOOM_ERR_FORBIDDEN')) {
    return new LoomError('LOOM_ERR_FORBIDDEN', `${err.reason} (denied by plugin ${plugin} in hook ${hook})`, { ...err.details, plugin, hook });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new LoomError('LOOM_ERR_HOOK_FAILED', `plugin ${plugin} failed in hook ${hook}: ${message}`, { plugin, hook }, { cause: err });
}

export function createHooks(): Hooks {
  const call = createHookSet();
  const forPlugin = (pluginName: string): PluginHooks => {
    const entries = (Object.keys(call) as HookName[]).map((hook) => {
      const tapApi = {
        tap(fn: (...args: unknown[]) => unknown, options: TapOptions = {}) {
          const wrapped = async (...args: unknown[]) => {
            try {
              return await fn(...args);
            } catch (err) {
              throw attribute(err, pluginName, hook);
            }
          };
          (call[hook] as unknown as { tapPromise: (o: object, f: typeof wrapped) => void }).tapPromise({ name: pluginName, stage: options.stage ?? 0 }, wrapped);
        },
        promise: (...args: unknown[]) => (call[hook] as unknown as { promise: (...a: unknown[]) => Promise<unknown> }).promise(...args),
      };
      return [hook, tapApi] as const;
    });
    return Object.freeze(Object.fromEntries(entries)) as unknown as PluginHooks;
  };
  return Object.freeze({ call, forPlugin });
}
