// The warp tool group `tools:work`: offer, claim, complete and fail work items (SPEC §5 Work).
import { defineToolGroup, registryService, workQueueService } from '../../../core/index.js';
import { broadcastWorkOfferTool } from './broadcast-work-offer.js';
import { claimWorkTool } from './claim-work.js';
import { completeWorkTool } from './complete-work.js';
import { failWorkTool } from './fail-work.js';
import { extendLeasesOnToolCalls } from './keep-alive.js';

export const workToolGroup = defineToolGroup({
  name: 'tools:work',
  uses: [workQueueService, registryService],
  tools: [broadcastWorkOfferTool, claimWorkTool, completeWorkTool, failWorkTool],
  setup: extendLeasesOnToolCalls,
});
