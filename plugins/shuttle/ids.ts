// Orchestration ids and the work ids derived from them: deterministic per subtask, so a re-offer is deduplicated.
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';

export const ORCHESTRATION_ID_PATTERN = /^o[0-9a-f]{16}$/;
const WORK_ID_PREFIX = /^(o[0-9a-f]{16})-/;

export const orchestrationIdSchema = z.string().regex(ORCHESTRATION_ID_PATTERN, { message: 'must be an orchestration id from assess_task: "o" and 16 hex digits' });

export function newOrchestrationId(): string {
  return `o${randomBytes(8).toString('hex')}`;
}

/** `<orchestrationId>-<subtaskId>`, shortened with a hash when it would pass the 64-character token limit. */
export function workIdFor(orchestrationId: string, subtaskId: string): string {
  const plain = `${orchestrationId}-${subtaskId}`;
  if (plain.length <= 64) return plain;
  const hash = createHash('sha256').update(subtaskId).digest('hex').slice(0, 8);
  return `${orchestrationId}-${subtaskId.slice(0, 64 - orchestrationId.length - 10).replace(/[-_]+$/, '')}-${hash}`;
}

/** The orchestration a work id belongs to, or undefined for work shuttle did not offer. */
export function orchestrationOfWork(workId: string): string | undefined {
  return WORK_ID_PREFIX.exec(workId)?.[1];
}
