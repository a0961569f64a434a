// The LOOM_WORK_* variables a worker command sees; large values stay on stdin only (one env string is capped at 128 KiB).
import type { ClaimedWork } from '../../core/index.js';

const MAX_ENV_VALUE = 100_000;

export function workItemJson(claimed: ClaimedWork): string {
  return JSON.stringify({ ...claimed.item, leaseExpiresAt: claimed.leaseExpiresAt });
}

export function workEnv(claimed: ClaimedWork, json: string): Record<string, string> {
  const { item } = claimed;
  const env: Record<string, string> = {
    LOOM_WORK_ID: item.workId,
    LOOM_WORK_CAPABILITY: item.capability,
    LOOM_WORK_PRIORITY: String(item.priority),
    LOOM_WORK_ATTEMPT: String(item.attempt),
    LOOM_WORK_PROJECT_ID: item.projectId,
    LOOM_WORK_LEASE_EXPIRES_AT: claimed.leaseExpiresAt,
  };
  if (item.taskId) env.LOOM_WORK_TASK_ID = item.taskId;
  if (Buffer.byteLength(item.description) <= MAX_ENV_VALUE) env.LOOM_WORK_DESCRIPTION = item.description;
  if (Buffer.byteLength(json) <= MAX_ENV_VALUE) env.LOOM_WORK_JSON = json;
  return env;
}
