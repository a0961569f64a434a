// The warp tool group `tools:dlq`: list, retry and discard dead-lettered work items (SPEC §5 Dead letters).
import { defineToolGroup, workQueueService } from '../../../core/index.js';
import { listDeadLetterItemsTool } from './list-dead-letter-items.js';
import { retryDeadLetterItemTool } from './retry-dead-letter-item.js';
import { discardDeadLetterItemTool } from './discard-dead-letter-item.js';

export const dlqToolGroup = defineToolGroup({
  name: 'tools:dlq',
  uses: [workQueueService],
  tools: [listDeadLetterItemsTool, retryDeadLetterItemTool, discardDeadLetterItemTool],
});
