// defineSpinUp: a mechanism that starts (and stops) an agent for a target, with its own per-target config schema.
import type { z } from 'zod';
import { definePlugin, type LoomPlugin } from './plugin.js';
import type { Logger } from './log.js';

export interface SpinUpRequest<T = unknown> {
  operationId: string;
  projectId: string;
  targetId: string;
  /** The target's mechanism config, already validated by the mechanism's `target` schema. */
  target: T;
  capability?: string;
  workId?: string;
  /** Environment the started agent needs: NATS_URL, LOOMINAL_PROJECT_ID, … */
  env: Record<string, string>;
  /**
   * Variables of weft's environment that hold secrets: its REST tokens and every variable a target of the project
   * names as a secret source (`*Env` fields, `{{env.NAME}}` templates). A mechanism that hands weft's own
   * environment on to the agent must leave these out.
   */
  withheldEnv: readonly string[];
  signal: AbortSignal;
  log: Logger;
}

export interface SpinUpResult {
  /** Opaque, JSON-serializable: what stop() needs to tear the agent down (a pid, a job name, …). */
  handle: Record<string, unknown>;
  agentId?: string;
}

export interface SpinUpMechanism<T = any> {
  readonly id: string;
  readonly targetSchema: z.ZodType<T>;
  start(request: SpinUpRequest<T>): Promise<SpinUpResult>;
  stop?(args: { handle: Record<string, unknown>; target: T; log: Logger }): Promise<void>;
  health?(args: { target: T; log: Logger; signal: AbortSignal }): Promise<{ ok: boolean; detail?: string }>;
}

export interface SpinUpDefinition<O, T> {
  name: `spin-up:${string}`;
  options?: z.ZodType<O>;
  target: z.ZodType<T>;
  start: SpinUpMechanism<T>['start'];
  stop?: SpinUpMechanism<T>['stop'];
  health?: SpinUpMechanism<T>['health'];
}

export function defineSpinUp<T, O = undefined>(def: SpinUpDefinition<O, T>): LoomPlugin<O> {
  const id = def.name.slice('spin-up:'.length);
  return definePlugin<O>({
    name: def.name,
    ...(def.options ? { options: def.options } : {}),
    setup(ctx) {
      const mechanism: SpinUpMechanism<T> = { id, targetSchema: def.target, start: def.start };
      if (def.stop) mechanism.stop = def.stop;
      if (def.health) mechanism.health = def.health;
      ctx.registries.spinUps.add(id, mechanism, ctx.name);
    },
  });
}
