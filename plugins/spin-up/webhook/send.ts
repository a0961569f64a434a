// Sends one templated webhook request; headers (which may carry secrets) are never logged or put into errors.
import { LoomError } from '../../../core/index.js';
import { excerpt, httpCall, redactUrl, type HttpAnswer } from '../shared/http.js';
import { renderJson, renderTemplate, type TemplateVars } from '../shared/template.js';
import type { WebhookRequest } from './schema.js';

export function renderRequest(request: WebhookRequest, vars: TemplateVars, env: Readonly<Record<string, string | undefined>>) {
  const url = renderTemplate(request.url, vars, { encode: encodeURIComponent });
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), renderTemplate(value, vars, { env })]));
  let body: string | undefined;
  if (request.method !== 'GET') {
    const value = request.body === undefined ? vars : request.body;
    if (typeof value === 'string') body = renderTemplate(value, vars);
    else {
      body = JSON.stringify(renderJson(value, vars));
      headers['content-type'] ??= 'application/json';
    }
  }
  return { url, headers, body };
}

export async function sendWebhook(request: WebhookRequest, vars: TemplateVars, what: string, signal?: AbortSignal): Promise<HttpAnswer> {
  const { url, headers, body } = renderRequest(request, vars, process.env);
  const answer = await httpCall({ what, url, method: request.method, headers, ...(body !== undefined ? { body } : {}), timeoutMs: request.timeoutMs, ...(signal ? { signal } : {}) });
  if (!request.successCodes.includes(answer.status)) {
    throw new LoomError('LOOM_ERR_SPIN_UP_FAILED', `${what}: ${request.method} ${redactUrl(url)} answered ${answer.status} (success codes: ${request.successCodes.join(', ')})${answer.text ? `: ${excerpt(answer.text)}` : ''}`, { status: answer.status, field: 'successCodes' });
  }
  return answer;
}
