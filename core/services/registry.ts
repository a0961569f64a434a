// The agent registry service: who is online, with which capabilities. Provided by plugins/services/registry.
import { z } from 'zod';
import { defineService } from '../services.js';
import { scopeSchema, type Viewer } from '../isolation/scopes.js';

export const AGENT_STATUSES = ['online', 'busy', 'offline'] as const;
export const agentStatusSchema = z.enum(AGENT_STATUSES);

export const agentEntrySchema = z.object({
  id: z.string(),
  handle: z.string(),
  agentType: z.string(),
  capabilities: z.array(z.string()),
  hostname: z.string(),
  projectId: z.string(),
  principal: z.string(),
  scope: scopeSchema,
  /** As reported: an entry whose lastSeen is older than 3 heartbeats is reported offline whatever this says. */
  status: agentStatusSchema,
  currentTaskCount: z.number().int().min(0),
  registeredAt: z.string(),
  lastSeen: z.string(),
  heartbeatMs: z.number().int().positive(),
  /** The weft target that started this agent, if any (for idle scale-down). */
  startedBy: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type AgentEntry = z.infer<typeof agentEntrySchema>;

export interface RegisterInput {
  agentId: string;
  agentType: string;
  capabilities: string[];
  scope: z.infer<typeof scopeSchema>;
  handle?: string;
  startedBy?: string;
  metadata?: Record<string, unknown>;
}

export interface DiscoverFilter {
  agentType?: string;
  capability?: string;
  status?: z.infer<typeof agentStatusSchema>;
  scope?: z.infer<typeof scopeSchema>;
  hostname?: string;
  /** When set, only entries this viewer may see (isVisible: private entries only to themselves). */
  visibleTo?: Viewer;
}

/** A page of discover results in discover_agents order, and how many matched in all. */
export interface DiscoverPage {
  agents: AgentEntry[];
  total: number;
}

export interface ProjectRegistry {
  readonly projectId: string;
  /** Writes the entry and starts heartbeating it from this process until deregister() or stop. */
  register(input: RegisterInput): Promise<AgentEntry>;
  /** Updates status / task count and lastSeen now. */
  updatePresence(agentId: string, patch: { status?: 'online' | 'busy'; currentTaskCount?: number; handle?: string }): Promise<AgentEntry>;
  deregister(agentId: string): Promise<void>;
  /** Effective status applied (offline after 3 missed heartbeats). */
  get(agentId: string): Promise<AgentEntry | null>;
  /** Answers from a local watch-driven index (this project, plus public and same-principal personal agents). Entries are shared with the index: do not mutate them. */
  discover(filter?: DiscoverFilter): Promise<AgentEntry[]>;
  /**
   * The first `limit` matches in discover_agents order (online, then busy, then offline; most recently seen first)
   * and how many matched; offline agents count only with includeOffline or a status filter.
   */
  discoverPage(filter: DiscoverFilter & { includeOffline?: boolean }, limit: number): Promise<DiscoverPage>;
  /** Called on every change the watch sees; returns an unsubscribe function. */
  onChange(listener: (entry: AgentEntry | null, agentId: string) => void): () => void;
  /** Ids this process registered and is heartbeating (a tool may only change its own agents). */
  localAgents?(): string[];
}

export interface RegistryService {
  forProject(projectId: string): ProjectRegistry;
  /** The heartbeat interval this process uses for agents it registers. */
  readonly heartbeatMs?: number;
}

export const registryService = defineService<RegistryService>('service:registry');

/** The one rule for staleness, used by the registry, weft and the dashboard. */
export function effectiveStatus(entry: Pick<AgentEntry, 'status' | 'lastSeen' | 'heartbeatMs'>, now = Date.now()): AgentEntry['status'] {
  return statusAt(entry.status, Date.parse(entry.lastSeen), entry.heartbeatMs, now);
}

/** The same rule with lastSeen already parsed (for indexes that evaluate thousands of entries per query). */
export function statusAt(status: AgentEntry['status'], lastSeenMs: number, heartbeatMs: number, now = Date.now()): AgentEntry['status'] {
  if (status === 'offline') return 'offline';
  return now - lastSeenMs > heartbeatMs * 3 ? 'offline' : status;
}
