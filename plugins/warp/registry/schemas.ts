// Input and output schemas of the registry tools (also the source of the docs' tables and JSON Schemas).
import { z } from 'zod';
import { agentEntrySchema, agentStatusSchema, hexIdSchema, scopeSchema, tokenSchema } from '../../../core/index.js';

export const HOSTNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/;

export const agentIdSchema = hexIdSchema.describe('An agent id as register_agent returned it (32 hex).');

export const registerAgentInput = z.strictObject({
  agentType: tokenSchema.describe('What kind of agent you are, e.g. "claude-code", "reviewer".'),
  capabilities: z.array(tokenSchema).max(64).default([]).describe('What you can do, e.g. ["typescript", "testing"]: work offers are matched against these.'),
  scope: scopeSchema.default('team').describe('Who can discover you: team (this project, default), public (every project), personal (your principal in any project), private (only you).'),
  handle: tokenSchema.optional().describe('Your handle; defaults to the one set with set_handle.'),
  agentId: hexIdSchema.optional().describe('Register under this id instead of your own (e.g. for a worker you run); it is heartbeated by this server. Refused (LOOM_ERR_CONFLICT) while the id is online for another host or principal.'),
  metadata: z.record(z.string(), z.unknown()).refine((v) => JSON.stringify(v).length <= 16_384, { message: 'must be at most 16 KB of JSON' }).optional(),
});

export const agentOutput = agentEntrySchema.describe('A registry entry; status is effective: offline once 3 heartbeats were missed.');

export const registerAgentOutput = z.object({
  agentId: z.string().describe('Your agent id: what get_agent_info, send_direct_message and update_presence accept.'),
  agent: agentOutput,
  heartbeatMs: z.number().describe('This server refreshes your entry this often while it runs.'),
});

export const discoverAgentsInput = z.strictObject({
  agentType: tokenSchema.optional(),
  capability: tokenSchema.optional(),
  status: agentStatusSchema.optional().describe('Only agents in this state; without it offline agents are left out unless includeOffline is true.'),
  scope: scopeSchema.optional(),
  hostname: z.string().regex(HOSTNAME_PATTERN, { message: 'must be a host name (letters, digits, "." and "-")' }).optional(),
  includeOffline: z.boolean().default(false),
  // 20 like the other list tools: a page of 100 entries was ~75 KB of JSON, over the 50,000 characters above which
  // Claude Code moves a tool answer out of the conversation into a file. `total` says when there are more.
  limit: z.number().int().min(1).max(1000).default(20).describe('At most this many entries (1-1000, default 20); total says how many matched.'),
});

export const discoverAgentsOutput = z.object({
  agents: z.array(agentOutput).describe('Online first, then busy, then offline; most recently seen first.'),
  total: z.number().describe('How many matched before the limit.'),
});

export const updatePresenceInput = z.strictObject({
  agentId: hexIdSchema.optional().describe('Which of the agents you registered (needed only if you registered several).'),
  status: z.enum(['online', 'busy']).optional(),
  currentTaskCount: z.number().int().min(0).max(1_000_000).optional(),
  handle: tokenSchema.optional(),
});
