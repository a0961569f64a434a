// The spin-up service weft calls when no eligible agent is online: picks among candidate targets and starts an agent.
import { z } from 'zod';
import { defineService } from '../services.js';

/** A spin-up target as weft stores it (KV weft-<p>-targets); `config` is checked by the mechanism's targetSchema. */
export const spinUpTargetSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  name: z.string().optional(),
  mechanism: z.string(),
  agentType: z.string(),
  capabilities: z.array(z.string()),
  /** Boundaries this target may serve; empty = any. */
  boundaries: z.array(z.string()),
  enabled: z.boolean(),
  /** Agents this target may run at once. */
  maxConcurrent: z.number().int().min(1),
  /** Minimum time between two spin-ups of this target. */
  cooldownMs: z.number().int().min(0),
  config: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SpinUpTarget = z.infer<typeof spinUpTargetSchema>;

export const SPIN_UP_OUTCOMES = ['started', 'failed', 'vetoed', 'cooldown', 'at-capacity', 'no-target'] as const;

export const spinUpAttemptSchema = z.object({
  operationId: z.string(),
  projectId: z.string(),
  targetId: z.string().optional(),
  mechanism: z.string().optional(),
  outcome: z.enum(SPIN_UP_OUTCOMES),
  detail: z.string().optional(),
  agentId: z.string().optional(),
  workId: z.string().optional(),
  at: z.string(),
  /** The capability the agent was started for (a need's, or the target's first for a manual spin-up). */
  capability: z.string().optional(),
  /** Why it was asked for: the routing reason, or what a manual request said. */
  reason: z.string().optional(),
  /** The mechanism's or hook's error message when the outcome is failed or vetoed. */
  error: z.string().optional(),
  /** How long the attempt took, mechanism start included. */
  durationMs: z.number().min(0).optional(),
  /** Set once the started agent was torn down (idle scale-down, a failed start, or it went away). */
  stoppedAt: z.string().optional(),
  stopReason: z.string().optional(),
});
export type SpinUpAttempt = z.infer<typeof spinUpAttemptSchema>;

export interface SpinUpNeed {
  projectId: string;
  /** The work item that found no eligible agent (the manager uses it to avoid spinning up twice for one item). */
  workId?: string;
  capability: string;
  boundary?: string;
  /** Agent types the routing decision allows, preferred first; empty = any. */
  agentTypes: string[];
  reason: string;
  /** Enabled targets that match capability, agent type and boundary, in weft's order of preference. */
  candidates: SpinUpTarget[];
}

export interface SpinUpService {
  /** Tries the candidates in order (honouring concurrency, cooldown and the beforeSpinUp hook); records the attempt. */
  request(need: SpinUpNeed): Promise<SpinUpAttempt>;
  /** A manual spin-up of one target (POST /api/targets/:id/spin-up). */
  spinUp(target: SpinUpTarget, options: { reason: string; workId?: string }): Promise<SpinUpAttempt>;
  /** Health-checks a target through its mechanism (POST /api/targets/:id/test). */
  test(target: SpinUpTarget): Promise<{ ok: boolean; detail?: string }>;
  /** Recorded attempts of a project, newest first (GET /api/spin-ups, GET /api/targets/:id/spin-ups). */
  listAttempts?(projectId: string, filter?: { targetId?: string; limit?: number }): Promise<SpinUpAttempt[]>;
  /** Agents weft started in a project and has not torn down yet. */
  listSpawned?(projectId: string, filter?: { targetId?: string }): Promise<SpawnedAgent[]>;
}

/** An agent a target started (KV weft-<p>-spawned, key = agent id): what capacity, idle scale-down and teardown use. */
export const spawnedAgentSchema = z.object({
  agentId: z.string(),
  projectId: z.string(),
  targetId: z.string(),
  mechanism: z.string(),
  operationId: z.string(),
  capability: z.string().optional(),
  workId: z.string().optional(),
  /** starting: not registered yet; running: registered; stopping: asked to shut down, teardown follows. */
  state: z.enum(['starting', 'running', 'stopping']),
  /** The mechanism's handle (what stop() needs); empty until start() returned. */
  handle: z.record(z.string(), z.unknown()),
  /** The target's validated mechanism config at start, so teardown works after the target was changed or deleted. */
  config: z.record(z.string(), z.unknown()),
  startedAt: z.string(),
  registeredAt: z.string().optional(),
  idleSince: z.string().optional(),
  shutdownRequestedAt: z.string().optional(),
});
export type SpawnedAgent = z.infer<typeof spawnedAgentSchema>;

export const spinUpService = defineService<SpinUpService>('service:spin-up');
