// synthesis.md: every result in plan order, then the conflicts — one document the planning agent can act on.
import type { Conflict, Orchestration } from '../orchestration/record.js';
import type { ResultBody } from '../orchestration/result-body.js';

export function renderSynthesis(record: Orchestration, results: ReadonlyMap<string, ResultBody>, conflicts: ReadonlyArray<Conflict>, outcome: string): string {
  const firstLine = record.task.trim().split('\n')[0]!.replace(/^#+\s*/, '');
  const lines = [
    `# Synthesis: ${firstLine.length > 100 ? `${firstLine.slice(0, 97)}…` : firstLine}`,
    '',
    `Orchestration \`${record.id}\` · ${record.subtasks.length} subtask${record.subtasks.length === 1 ? '' : 's'} in ${record.waves.length} wave${record.waves.length === 1 ? '' : 's'} · outcome: **${outcome}** · ${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}`,
    '',
  ];
  record.subtasks.forEach((subtask, index) => {
    const body = results.get(subtask.id);
    lines.push(`## ${index + 1}. ${subtask.title} (\`${subtask.id}\`)`, '');
    if (!body) {
      lines.push(`_No result (${subtask.state === 'failed' ? `failed${subtask.error ? `: ${subtask.error}` : ''}` : subtask.state})._`, '');
      return;
    }
    lines.push(`_By ${body.by} via ${body.source} at ${body.at}._`, '');
    if (body.files.length) lines.push(`Files changed: ${body.files.map((file) => `\`${file}\``).join(', ')}`, '');
    lines.push(body.result.trim(), '');
  });
  lines.push('## Conflicts', '');
  if (!conflicts.length) lines.push('None: no file was changed by two subtasks, and every subtask has a result.', '');
  for (const conflict of conflicts) lines.push(`- **${conflict.type}** (${conflict.subtaskIds.join(', ')}): ${conflict.detail}`);
  lines.push('');
  return lines.join('\n');
}
