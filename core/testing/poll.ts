// Waiting in tests without fixed sleeps: poll a check until it holds, and say what was awaited when it never does.

/**
 * Polls check() every intervalMs until it returns something truthy, and returns that. A check that throws is
 * retried (a server still starting); the last error and the last value seen go into the timeout's message.
 */
export async function until<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  what: string | (() => string),
  timeoutMs = 30_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  let lastSeen: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      lastSeen = value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const described = typeof what === 'function' ? what() : what;
      const error = lastError ? ` (last error: ${String(lastError)})` : '';
      const seen = lastSeen !== undefined && lastSeen !== false && lastSeen !== null ? ` (last check: ${JSON.stringify(lastSeen)})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${described}${error}${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
