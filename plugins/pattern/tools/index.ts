// The ten pattern tools, bound to one memory store.
import type { AnyToolDefinition } from '../../../core/index.js';
import type { MemoryStore } from '../memory-store.js';
import { writeTools } from './write-tools.js';
import { commitInsightTool } from './commit-insight.js';
import { forgetTool } from './forget.js';
import { shareLearningTool } from './share-learning.js';
import { recallContextTool } from './recall-context.js';
import { searchMemoriesTool } from './search-memories.js';
import { cleanupTool } from './cleanup.js';

export function memoryTools(memories: MemoryStore): AnyToolDefinition[] {
  return [
    ...writeTools(memories),
    commitInsightTool(memories),
    forgetTool(memories),
    recallContextTool(memories),
    shareLearningTool(memories),
    cleanupTool(memories),
    searchMemoriesTool(memories),
  ];
}
