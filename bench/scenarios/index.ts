// Every scenario, in the order `npm run bench` runs them.
import type { Scenario } from '../lib/scenario.js';
import { scenario as channelPublish } from './channel-publish.js';
import { scenario as workDispatch } from './work-dispatch.js';
import { scenario as workThroughput } from './work-throughput.js';
import { scenario as mcpCalls } from './mcp-calls.js';
import { scenario as discoverAgents } from './discover-agents.js';
import { scenario as kvList } from './kv-list.js';
import { scenario as readMessages } from './read-messages.js';
import { scenario as memoryRecall } from './memory-recall.js';
import { scenario as mcpStartup } from './mcp-startup.js';
import { scenario as weftRouting } from './weft-routing.js';
import { scenario as residentMemory } from './resident-memory.js';
import { scenario as scale } from './scale.js';

/**
 * Resident memory goes first: its weft must find 100 idle projects, not also the backlog of every earlier scenario's
 * events (hundreds of thousands, which weft's tracker would be busy catching up on while its memory is sampled).
 */
export const scenarios: Scenario[] = [residentMemory, channelPublish, mcpCalls, workDispatch, workThroughput, readMessages, kvList, discoverAgents, memoryRecall, mcpStartup, weftRouting, scale];
