// context.md: what a subagent needs for one subtask — the overall task, its instructions, its dependencies' results, how to report.
import type { Orchestration, SubtaskRecord } from '../orchestration/record.js';
import type { ResultBody } from '../orchestration/result-body.js';

/** Dependency results are cut here in context.md and contextData, so one work item stays under the NATS payload limit. */
const MAX_DEPENDENCY_CHARS = 64 * 1024;
const MAX_TASK_CHARS = 32 * 1024;

function cut(text: string, max: number, where: string): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n\n[… cut at ${max} characters; the full text is in ${where}]`;
}

export function renderContext(record: Orchestration, subtask: SubtaskRecord, dependencies: ReadonlyArray<{ subtask: SubtaskRecord; body: ResultBody | undefined }>): string {
  const lines = [
    `# Subtask \`${subtask.id}\`: ${subtask.title}`,
    '',
    `- Orchestration: \`${record.id}\` (project \`${record.projectId}\`)`,
    `- Wave ${subtask.wave} of ${record.waves.length}; capability \`${subtask.capability}\`; work item \`${subtask.workId}\``,
    `- Depends on: ${subtask.dependsOn.length ? subtask.dependsOn.map((id) => `\`${id}\``).join(', ') : 'nothing'}`,
    '',
    '## Your instructions',
    '',
    subtask.instructions,
    '',
    '## The whole task (for context; do only your subtask)',
    '',
    cut(record.task, MAX_TASK_CHARS, 'the orchestration record'),
    '',
  ];
  if (dependencies.length) {
    lines.push('## Results of the subtasks this one depends on', '');
    for (const { subtask: dep, body } of dependencies) {
      lines.push(`### \`${dep.id}\`: ${dep.title}`, '');
      if (!body) lines.push('_(no result text was found)_', '');
      else {
        if (body.files.length) lines.push(`Files changed: ${body.files.map((file) => `\`${file}\``).join(', ')}`, '');
        lines.push(cut(body.result, MAX_DEPENDENCY_CHARS, `${dep.id}/result.md`), '');
      }
    }
  }
  lines.push(
    '## When you are done',
    '',
    `Call the shuttle tool \`submit_result\` with \`{"orchestrationId": "${record.id}", "subtaskId": "${subtask.id}", "result": "<what you did and found, in Markdown>", "files": ["<every file you changed>"]}\`,`,
    `then \`complete_work\` with \`{"workId": "${subtask.workId}"}\` if you claimed the work item yourself (a \`loom agent\` worker completes it for you: just print the result).`,
    `If you cannot do it, call \`fail_work\` with the reason (retryable: false if no one could).`,
    '',
  );
  return lines.join('\n');
}
