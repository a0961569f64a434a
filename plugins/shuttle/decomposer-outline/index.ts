// decomposer:outline: splits a task text at headings, list items and "then" when the planning agent gave no subtasks.
import { defineDecomposer } from '../../../core/index.js';
import { outlineSubtasks } from './outline.js';

export const outlineDecomposer = defineDecomposer({
  name: 'decomposer:outline',
  create: () => outlineSubtasks,
});

export { outlineSubtasks };
