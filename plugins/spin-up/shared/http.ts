// One HTTP call of a spin-up mechanism: a timeout, the caller's abort signal, and errors that name the target.
import { LoomError } from '../../../core/index.js';

export interface HttpCall {
  /** What the error message calls it, e.g. "webhook target ci" or "GitHub workflow deploy.yml". */
  what: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface HttpAnswer {
  status: number;
  text: string;
}

export async function httpCall(call: HttpCall): Promise<HttpAnswer> {
  const timeout = AbortSignal.timeout(call.timeoutMs);
  const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(call.url, { method: call.method, headers: call.headers, ...(call.body !== undefined ? { body: call.body } : {}), signal, redirect: 'manual' });
  } catch (err) {
    if (timeout.aborted) throw new LoomError('LOOM_ERR_TIMEOUT', `${call.what}: ${call.method} ${redactUrl(call.url)} got no answer within ${call.timeoutMs} ms`, { url: redactUrl(call.url), timeoutMs: call.timeoutMs });
    const cause = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    throw new LoomError('LOOM_ERR_SPIN_UP_FAILED', `${call.what}: ${call.method} ${redactUrl(call.url)} failed: ${cause}`, { url: redactUrl(call.url) }, { cause: err });
  }
  // A body is read with the same deadline: a server that sends headers and then stalls still times out.
  const text = await response.text().catch(() => '');
  return { status: response.status, text };
}

/** The URL without credentials or query (a query may carry a token), for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}${parsed.search ? '?…' : ''}`;
  } catch {
    return '(unparsable URL)';
  }
}

/** The start of an answer's body for an error message; long bodies are cut. */
export function excerpt(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
