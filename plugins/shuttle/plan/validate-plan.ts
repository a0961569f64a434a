// Validates a plan before anything is stored: token ids, unique ids, non-empty instructions, known dependencies, no cycles.
import { LoomError, TOKEN_PATTERN, type LoomErrorCode } from '../../../core/index.js';
import { findCycles } from './cycles.js';

export interface PlannedSubtask {
  id: string;
  title?: string | undefined;
  instructions: string;
  capability?: string | undefined;
  dependsOn?: string[] | undefined;
}

export interface PlanIssue {
  code: Extract<LoomErrorCode, 'LOOM_ERR_INVALID_NAME' | 'LOOM_ERR_INVALID_INPUT'>;
  message: string;
}

const TOKEN_RULE = 'a lowercase token: 1-64 of a-z, 0-9, "_" or "-", starting with a letter or digit';

function show(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

export function planIssues(subtasks: ReadonlyArray<PlannedSubtask>): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const name = (index: number) => `subtask ${show(subtasks[index]!.id)} (subtasks[${index}])`;
  if (subtasks.length === 0) return [{ code: 'LOOM_ERR_INVALID_INPUT', message: 'subtasks: the plan must list at least one subtask' }];
  const firstIndex = new Map<string, number>();
  subtasks.forEach((subtask, index) => {
    if (!TOKEN_PATTERN.test(subtask.id)) issues.push({ code: 'LOOM_ERR_INVALID_NAME', message: `${name(index)}: id must be ${TOKEN_RULE}` });
    const earlier = firstIndex.get(subtask.id);
    if (earlier !== undefined) issues.push({ code: 'LOOM_ERR_INVALID_INPUT', message: `${name(index)}: id is already used by subtasks[${earlier}]; subtask ids must be unique` });
    else firstIndex.set(subtask.id, index);
    if (subtask.instructions.trim() === '') issues.push({ code: 'LOOM_ERR_INVALID_INPUT', message: `${name(index)}: instructions must not be empty (say what the subagent should do)` });
    if (subtask.capability !== undefined && !TOKEN_PATTERN.test(subtask.capability)) {
      issues.push({ code: 'LOOM_ERR_INVALID_NAME', message: `${name(index)}: capability ${show(subtask.capability)} must be ${TOKEN_RULE}` });
    }
    (subtask.dependsOn ?? []).forEach((dep, depIndex) => {
      if (!TOKEN_PATTERN.test(dep)) issues.push({ code: 'LOOM_ERR_INVALID_NAME', message: `${name(index)}: dependsOn[${depIndex}] ${show(dep)} must be ${TOKEN_RULE}` });
      else if (dep === subtask.id) issues.push({ code: 'LOOM_ERR_INVALID_INPUT', message: `${name(index)}: depends on itself` });
    });
  });
  const known = [...firstIndex.keys()];
  subtasks.forEach((subtask, index) => {
    for (const dep of subtask.dependsOn ?? []) {
      if (TOKEN_PATTERN.test(dep) && !firstIndex.has(dep)) {
        issues.push({ code: 'LOOM_ERR_INVALID_INPUT', message: `${name(index)}: dependsOn names ${show(dep)}, which is not a subtask of this plan (known: ${known.join(', ')})` });
      }
    }
  });
  if (issues.length) return issues;
  const edges = new Map(subtasks.map((subtask) => [subtask.id, (subtask.dependsOn ?? []).filter((dep) => dep !== subtask.id)]));
  for (const cycle of findCycles(edges)) {
    issues.push({ code: 'LOOM_ERR_INVALID_INPUT', message: `subtasks ${cycle.map((id) => `"${id}"`).join(' → ')} depend on each other in a cycle, so none of them could ever start; remove one of these dependencies` });
  }
  return issues;
}

/** Throws one error listing every problem; its code is the first problem's. */
export function assertValidPlan(subtasks: ReadonlyArray<PlannedSubtask>): void {
  const issues = planIssues(subtasks);
  if (!issues.length) return;
  const [first] = issues as [PlanIssue];
  const list = issues.map((issue) => issue.message).join('; ');
  throw new LoomError(first.code, `the plan is not valid (${issues.length} problem${issues.length === 1 ? '' : 's'}): ${list}`, { issues: issues.map((issue) => issue.message) });
}
