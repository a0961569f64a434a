// Every weft operation, in the order the OpenAPI document lists them.
import { agentOperations } from './agents.js';
import { dlqOperations } from './dlq.js';
import type { WeftOperation } from './define.js';
import { orchestrationOperations } from './orchestrations.js';
import { statsOperations } from './stats.js';
import { spinUpOperations } from './spin-ups.js';
import { targetOperations } from './targets.js';
import { workOperations } from './work.js';

export const weftOperations: ReadonlyArray<WeftOperation> = [...agentOperations, ...workOperations, ...targetOperations, ...spinUpOperations, ...statsOperations, ...dlqOperations, ...orchestrationOperations];
export type { WeftOperation } from './define.js';
