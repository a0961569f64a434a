// The seven shuttle tools, bound to one runtime.
import type { AnyToolDefinition } from '../../../core/index.js';
import type { ShuttleRuntime } from '../engine/runtime.js';
import { assessTaskTool } from './assess-task.js';
import { spawnSubagentsTool } from './spawn-subagents.js';
import { checkpointProgressTool } from './checkpoint-progress.js';
import { listOrchestrationsTool } from './list-orchestrations.js';
import { getResultsTool } from './get-results.js';
import { submitResultTool } from './submit-result.js';
import { synthesizeResultsTool } from './synthesize-results.js';

export function shuttleTools(runtime: ShuttleRuntime): AnyToolDefinition[] {
  return [
    assessTaskTool(runtime),
    spawnSubagentsTool(runtime),
    checkpointProgressTool(runtime),
    listOrchestrationsTool(runtime),
    getResultsTool(runtime),
    submitResultTool(runtime),
    synthesizeResultsTool(runtime),
  ];
}
