// Work submission, the work record weft keeps in KV (weft-<p>-work) and its listing and cancel inputs.
import { z } from 'zod';
import 'zod-openapi';
import { tokenSchema } from '../../../core/index.js';
import { cursorField, limitField, projectIdField, workIdSchema } from './common.js';

export const WORK_STATES = ['pending', 'assigned', 'in-progress', 'completed', 'failed', 'cancelled'] as const;
export const workStateSchema = z.enum(WORK_STATES);
export type WorkState = z.infer<typeof workStateSchema>;
export const FINAL_STATES: ReadonlySet<WorkState> = new Set(['completed', 'failed', 'cancelled']);

export const workSubmitSchema = z.strictObject({
  projectId: projectIdField,
  taskId: tokenSchema.optional().meta({ description: 'Your own id for the task (kept with the record).' }),
  description: z.string().min(1).max(100_000),
  capability: tokenSchema.meta({ description: 'The work queue: only agents with this capability claim it.' }),
  boundary: tokenSchema.optional().meta({ description: 'corporate, corporate-adjacent, personal, open-source, or one from config.' }),
  priority: z.number().int().min(1).max(10).default(5),
  deadline: z.iso.datetime({ offset: true }).optional(),
  preferredAgentType: tokenSchema.optional(),
  requiredAgentType: tokenSchema.optional(),
  contextData: z.record(z.string(), z.unknown()).optional(),
  paths: z.array(z.string().min(1).max(1024)).max(200).optional().meta({ description: 'Files the work touches; path-glob boundaries match these.' }),
});
export type WorkSubmission = z.output<typeof workSubmitSchema>;

export const routingDecisionSchema = z
  .object({
    classifier: z.string().meta({ description: 'The classifier that decided ("default" when none had an opinion).' }),
    reason: z.string(),
    capability: z.string(),
    boundary: z.string().optional(),
    allowedAgentTypes: z.array(z.string()),
    preferredAgentTypes: z.array(z.string()),
    eligibleAgents: z.array(z.object({ id: z.string(), agentType: z.string(), status: z.string() })),
    decidedAt: z.string(),
  })
  .meta({ id: 'RoutingDecision' });
export type RecordedDecision = z.infer<typeof routingDecisionSchema>;

export const historyEntrySchema = z.object({
  state: workStateSchema,
  at: z.string(),
  agentId: z.string().optional(),
  attempt: z.number().int().optional(),
  note: z.string().optional(),
  /** The work event that caused it (type@at), so a redelivered event is applied once. */
  cause: z.string().optional(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export const spinUpNoteSchema = z.object({
  at: z.string(),
  outcome: z.string(),
  targetId: z.string().optional(),
  operationId: z.string().optional(),
  detail: z.string().optional(),
});

export const workRecordSchema = z
  .object({
    workId: z.string(),
    projectId: z.string(),
    taskId: z.string().optional(),
    description: z.string(),
    capability: z.string(),
    boundary: z.string().optional(),
    priority: z.number().int(),
    deadline: z.string().optional(),
    preferredAgentType: z.string().optional(),
    requiredAgentType: z.string().optional(),
    contextData: z.record(z.string(), z.unknown()).optional(),
    paths: z.array(z.string()).optional(),
    state: workStateSchema,
    agentId: z.string().optional(),
    attempt: z.number().int(),
    result: z.unknown().optional(),
    error: z.string().optional(),
    decision: routingDecisionSchema.optional(),
    spinUp: spinUpNoteSchema.optional(),
    /** weft: submitted through weft; queue: seen on the work queue (offered by warp or shuttle). */
    source: z.enum(['weft', 'queue']),
    history: z.array(historyEntrySchema),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'WorkItem' });
export type WorkRecord = z.infer<typeof workRecordSchema>;

export const workListQuerySchema = z.strictObject({
  projectId: projectIdField,
  state: workStateSchema.optional(),
  capability: tokenSchema.optional(),
  agentId: z.string().regex(/^[0-9a-f]{8,64}$/, { message: 'must be a hex agent id' }).optional(),
  limit: limitField,
  cursor: cursorField,
});

export const workIdParamsSchema = z.strictObject({ id: workIdSchema });
export const workCancelSchema = z.strictObject({ projectId: projectIdField, reason: z.string().max(1000).optional() });
