// Exit codes: 0 ok, 1 failure, 2 usage. Errors print their code and message, never a stack, unless LOG_LEVEL=debug.
import { isLoomError } from '../core/index.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export function reportAndExit(err: unknown): never {
  const message = isLoomError(err) ? err.message : err instanceof Error ? err.message : String(err);
  process.stderr.write(`loom: ${message}\n`);
  if (process.env.LOG_LEVEL === 'debug' && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  process.exit(isLoomError(err, 'LOOM_ERR_CONFIG_INVALID') || isLoomError(err, 'LOOM_ERR_INVALID_INPUT') ? EXIT_USAGE : EXIT_FAILURE);
}
