// Turns a work completion into a recorded result (unless a subagent already submitted one: the first result stands).
import { capResult, metaOf, resultFromCompletion, type ResultBody } from '../orchestration/result-body.js';
import type { ResultMeta } from '../orchestration/record.js';
import type { ShuttleDeps } from './runtime.js';

export async function recordCompletion(deps: ShuttleDeps, orchestrationId: string, subtaskId: string, completion: { result: unknown; agentId?: string | undefined; at: string }): Promise<ResultMeta> {
  const { result, files } = resultFromCompletion(completion.result);
  const body: ResultBody = { orchestrationId, subtaskId, result: capResult(result), files, by: completion.agentId ?? 'unknown', at: completion.at, source: 'work-completion' };
  const put = await deps.store.putResult(body);
  return metaOf(put.created ? body : (put.existing ?? body));
}
