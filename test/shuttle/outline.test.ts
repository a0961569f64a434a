// decomposer:outline: headings, list items and "then" become subtasks with the dependencies the text implies.
import { describe, expect, it } from 'vitest';
import { outlineSubtasks } from '../../plugins/shuttle/decomposer-outline/outline.js';
import { planIssues } from '../../plugins/shuttle/plan/validate-plan.js';

describe('decomposer:outline', () => {
  it('splits a bulleted list into independent subtasks', () => {
    const subtasks = outlineSubtasks('Improve the CLI:\n\n- Add a --json flag to every command\n- Write man pages\n  covering every option\n- Fix the exit codes\n');
    expect(subtasks.map((s) => s.id)).toEqual(['add-a-json-flag-to-every-command', 'write-man-pages', 'fix-the-exit-codes']);
    expect(subtasks.every((s) => s.dependsOn.length === 0)).toBe(true);
    expect(subtasks[1]!.instructions).toBe('Write man pages\ncovering every option');
    expect(planIssues(subtasks)).toEqual([]);
  });

  it('reads "then", "finally" and "after step N" in a numbered list as dependencies', () => {
    const subtasks = outlineSubtasks('1. Design the schema\n2. Write the parser\n3. Then write tests for the parser\n4. Document it after step 1\n5. Finally, release');
    const deps = Object.fromEntries(subtasks.map((s) => [s.id, s.dependsOn]));
    expect(subtasks.map((s) => s.id)).toEqual(['design-the-schema', 'write-the-parser', 'write-tests-for-the-parser', 'document-it-after-step-1', 'release']);
    expect(deps['write-tests-for-the-parser']).toEqual(['write-the-parser']);
    expect(deps['document-it-after-step-1']).toEqual(['design-the-schema']);
    expect(deps.release).toEqual(['design-the-schema', 'write-the-parser', 'write-tests-for-the-parser', 'document-it-after-step-1']);
    expect(subtasks[2]!.instructions).toBe('Write tests for the parser');
  });

  it('splits at the shallowest heading level that repeats, keeping deeper headings in the section', () => {
    const text = '# Release 2.0\nIntro text.\n## Backend\nMigrate the DB.\n### Details\nUse transactions.\n## Frontend\nUpdate the forms.\n## Docs\nThen update the changelog.';
    const subtasks = outlineSubtasks(text);
    expect(subtasks.map((s) => s.title)).toEqual(['Backend', 'Frontend', 'Docs']);
    expect(subtasks[0]!.instructions).toMatch(/Migrate the DB\.\n### Details\nUse transactions\./);
    expect(subtasks[2]!.dependsOn).toEqual(['frontend']);
  });

  it('chains "then"-separated prose into sequential subtasks', () => {
    const subtasks = outlineSubtasks('First build the parser, then write tests for it, and then publish the package.');
    expect(subtasks.map((s) => s.title)).toEqual(['Build the parser', 'Write tests for it', 'Publish the package']);
    expect(subtasks.map((s) => s.dependsOn)).toEqual([[], ['build-the-parser'], ['write-tests-for-it']]);
  });

  it('proposes nothing for a task without an outline, and gives duplicate titles unique ids', () => {
    expect(outlineSubtasks('Fix the flaky login test.')).toEqual([]);
    expect(outlineSubtasks('- Review\n- Review\n- ***').map((s) => s.id)).toEqual(['review', 'review-2', 'step-3']);
  });
});
