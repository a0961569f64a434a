// Feeds every weft REST endpoint generated hostile input (query, path, body, raw bodies): 400/413 with a coded error
// naming the field for invalid input, never a 5xx, nothing written to NATS, and weft stays up.
import fc from 'fast-check';
import { z } from 'zod';
import type { JetStreamManager } from '@nats-io/jetstream';
import { formatPath } from '../../../core/zod-issues.js';
import { weftOperations, type WeftOperation } from '../../../plugins/weft/operations/index.js';
import { querySchemaOf } from '../../../plugins/weft/api/routes.js';
import { hostileInput, validValue, type JsonSchema } from './schema-arbitraries.js';
import { alive, until } from './fabric.js';

export interface RestTally {
  invalid: number;
  valid: number;
  raw: number;
  failures: string[];
}

export interface HostileRestReport {
  endpoints: Record<string, RestTally>;
  writesDuringInvalid: string[];
  alive: boolean;
  healthy: boolean;
  totals: { invalid: number; valid: number; raw: number; failures: number };
}

export interface HostileRestOptions {
  url: string;
  token: string;
  jsm: JetStreamManager;
  pid: number;
  invalidPerEndpoint: number;
  validPerEndpoint: number;
  seed: number;
  /** Streams whose writes are weft's own heartbeat (its lease), not the requests'. */
  ignoreStreams?: string[];
}

interface Request {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body?: unknown;
}

const CLEAR = /^LOOM_ERR_(INVALID_INPUT|INVALID_NAME|UNKNOWN_ID|NOT_FOUND|FORBIDDEN|CONFLICT|PAYLOAD_TOO_LARGE|UNSUPPORTED|UNAVAILABLE|SPIN_UP_FAILED|TIMEOUT|LIMIT_REACHED)$/;
const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
/** Query and path values travel as UTF-8 text (a lone surrogate becomes U+FFFD on the way). */
const asText = (value: unknown) => Buffer.from(typeof value === 'string' ? value : String(JSON.stringify(value)), 'utf8').toString('utf8');
/** What Koa hands the route: text values; a "__proto__" key never becomes a field (assigning it sets a prototype). */
const queryAsServerSees = (query: Record<string, unknown>) => Object.fromEntries(Object.entries(query).filter(([k, v]) => v !== undefined && k !== '__proto__').map(([k, v]) => [k, asText(v)]));
const paramNames = (op: WeftOperation) => [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
/** Only the path's named parameters travel, as decoded text. */
const paramsAsServerSees = (op: WeftOperation, params: unknown) => Object.fromEntries(paramNames(op).map((name) => [name, asText((params as Record<string, unknown> | null)?.[name] ?? '')]));
const bodyAsServerSees = (body: unknown) => JSON.parse(JSON.stringify(body ?? {}), (key, value: unknown) => (key === '__proto__' ? undefined : value));

/** The first part the route rejects (it checks query, then path, then body) and the field it must name; null when valid. */
function oracle(op: WeftOperation, req: Request): { where: string; field: string } | null {
  const parts: Array<['query' | 'path' | 'body', z.ZodObject | undefined, unknown]> = [
    ['query', querySchemaOf(op), queryAsServerSees(req.query)],
    ['path', op.params, paramsAsServerSees(op, req.params)],
    ['body', op.body, bodyAsServerSees(req.body)],
  ];
  for (const [where, schema, value] of parts) {
    if (!schema) continue;
    if (where === 'body' && (typeof value !== 'object' || value === null || Array.isArray(value))) return { where, field: 'body' };
    const parsed = schema.safeParse(value);
    if (parsed.success) continue;
    const issue = parsed.error.issues[0]!;
    const path = issue.code === 'unrecognized_keys' ? [where, ...issue.path, issue.keys[0]!] : [where, ...issue.path];
    return { where, field: formatPath(path) };
  }
  return null;
}

function urlOf(base: string, op: WeftOperation, req: Request): string {
  const params = paramsAsServerSees(op, req.params);
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name]!));
  const query = new URLSearchParams(queryAsServerSees(req.query)).toString();
  return `${base}${path}${query ? `?${query}` : ''}`;
}

async function send(options: HostileRestOptions, op: WeftOperation, req: Request): Promise<{ status: number; body: any }> {
  const hasBody = op.method === 'post' || op.method === 'put';
  const response = await fetch(urlOf(options.url, op, req), {
    method: op.method.toUpperCase(),
    headers: { authorization: `Bearer ${options.token}`, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
    ...(hasBody ? { body: JSON.stringify(req.body ?? {}) } : {}),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: response.status, body };
}

function baseArbitrary(op: WeftOperation): fc.Arbitrary<Request> {
  const params = op.params ? validValue(jsonSchema(op.params)) : fc.constant({});
  const query = validValue(jsonSchema(querySchemaOf(op)));
  const body = op.body ? validValue(jsonSchema(op.body)) : fc.constant(undefined);
  return fc.record({ params, query, body }) as fc.Arbitrary<Request>;
}

function hostileArbitrary(op: WeftOperation): fc.Arbitrary<Request> {
  const base = baseArbitrary(op);
  const parts: Array<fc.Arbitrary<Request>> = [
    fc.tuple(base, hostileInput(jsonSchema(querySchemaOf(op)))).map(([req, h]) => ({ ...req, query: typeof h.input === 'object' && h.input !== null && !Array.isArray(h.input) ? (h.input as Record<string, unknown>) : { junk: h.input } })),
  ];
  if (op.params) parts.push(fc.tuple(base, hostileInput(jsonSchema(op.params))).map(([req, h]) => ({ ...req, params: typeof h.input === 'object' && h.input !== null ? (h.input as Record<string, unknown>) : {} })));
  if (op.body) parts.push(fc.tuple(base, hostileInput(jsonSchema(op.body))).map(([req, h]) => ({ ...req, body: h.input })));
  return fc.oneof(...parts);
}

/** Empty path parameters route elsewhere (another endpoint or 404): not a case about this endpoint's validation. */
const routable = (op: WeftOperation, req: Request) => Object.values(paramsAsServerSees(op, req.params)).every((v) => v !== '');

function checkInvalid(expected: { where: string; field: string }, answer: { status: number; body: any }, urlLength: number): string | null {
  const code = answer.body?.error?.code;
  // Node's HTTP server refuses request lines over its header limit (16 KB) before weft sees them.
  if ((answer.status === 431 || answer.status === 414) && urlLength > 8000) return null;
  if (answer.status === 413 && code === 'LOOM_ERR_PAYLOAD_TOO_LARGE' && expected.where === 'body') return null;
  // An empty path parameter matches no route (or another one): a clean 404 is the right answer there.
  if (answer.status === 404 && expected.where === 'path' && code === 'LOOM_ERR_NOT_FOUND') return null;
  if (answer.status !== 400 || code !== 'LOOM_ERR_INVALID_INPUT') return `expected 400 LOOM_ERR_INVALID_INPUT for ${expected.field}, got ${answer.status} ${String(JSON.stringify(answer.body)).slice(0, 200)}`;
  const fields: string[] = answer.body.error.details?.fields ?? [answer.body.error.details?.field].filter(Boolean);
  const named = fields.some((f) => f === expected.field || f.startsWith(`${expected.field}.`) || f.startsWith(`${expected.field}[`) || expected.field.startsWith(f));
  return named ? null : `error does not name ${expected.field}: ${String(JSON.stringify(answer.body.error)).slice(0, 200)}`;
}

function checkValid(answer: { status: number; body: any }, urlLength: number): string | null {
  if (answer.status < 400) return null;
  if ((answer.status === 431 || answer.status === 414) && urlLength > 8000) return null;
  if (answer.status >= 500) return `server error ${answer.status}: ${String(JSON.stringify(answer.body)).slice(0, 200)}`;
  return CLEAR.test(answer.body?.error?.code ?? '') ? null : `unclear ${answer.status}: ${String(JSON.stringify(answer.body)).slice(0, 200)}`;
}

async function snapshot(jsm: JetStreamManager, ignore: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for await (const info of jsm.streams.list()) if (!ignore.includes(info.config.name)) out.set(info.config.name, info.state.last_seq);
  return out;
}

/** Raw hostility the schemas cannot express: bodies that are not JSON, not objects, too large, repeated query keys. */
async function rawCases(options: HostileRestOptions, tally: (key: string) => RestTally): Promise<void> {
  const auth = { authorization: `Bearer ${options.token}` };
  const cases: Array<{ key: string; url: string; init: RequestInit; status: number[] }> = [
    { key: 'POST /api/work', url: '/api/work', init: { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"description": "x", ' }, status: [400] },
    { key: 'POST /api/work', url: '/api/work', init: { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '[1,2,3]' }, status: [400] },
    { key: 'POST /api/work', url: '/api/work', init: { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: 'description=x' }, status: [400] },
    { key: 'POST /api/work', url: '/api/work', init: { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ description: 'x'.repeat(1_200_000), capability: 'a' }) }, status: [413] },
    { key: 'POST /api/work', url: '/api/work', init: { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: `${'['.repeat(5000)}${']'.repeat(5000)}` }, status: [400] },
    { key: 'GET /api/work', url: '/api/work?limit=1&limit=2', init: { headers: auth }, status: [400] },
    { key: 'GET /api/work', url: '/api/work?projectId=a.b', init: { headers: auth }, status: [400] },
    { key: 'GET /api/work/{id}', url: `/api/work/${encodeURIComponent('../../etc/passwd')}`, init: { headers: auth }, status: [400] },
    { key: 'GET /api/agents/{id}', url: `/api/agents/${encodeURIComponent('loom.*.inbox.>')}`, init: { headers: auth }, status: [400] },
    { key: 'PUT /api/targets/{id}', url: '/api/targets/box', init: { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}' }, status: [400] },
  ];
  for (const c of cases) {
    const t = tally(c.key);
    t.raw++;
    const response = await fetch(`${options.url}${c.url}`, c.init);
    const body = (await response.json().catch(() => undefined)) as { error?: { code?: string } } | undefined;
    if (!c.status.includes(response.status) || !/^LOOM_ERR_/.test(body?.error?.code ?? '')) t.failures.push(`[raw ${c.url} ${String(c.init.body ?? '').slice(0, 40)}] got ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
  }
}

/** The routes that are not operations (their own handlers): events, its ticket, health, OpenAPI, metrics, the dashboard. */
export const OTHER_ROUTES = ['GET /api/events', 'POST /api/events/ticket', 'GET /health', 'GET /api/openapi.json', 'GET /metrics', 'GET /', 'GET /assets/{file}'] as const;

interface RouteCase {
  key: (typeof OTHER_ROUTES)[number];
  url: string;
  init?: RequestInit;
  status: number;
  /** The error code an error status must carry; a 2xx carries none. */
  code?: string;
  /** Named in details.field or details.fields (or the message), for input the route rejects. */
  field?: string;
  /** Text the answer must not contain: what a path traversal would leak. */
  leaks?: string[];
}

/**
 * Hostile requests to the routes outside weftOperations: bad queries, bodies, methods and paths. phase 'invalid' sends
 * those that must be refused (while nothing may be written); 'valid' those that must still answer 200, and a ticket's
 * single use (opening a project's event stream provisions its streams, so it runs after the check).
 */
async function otherRouteCases(options: HostileRestOptions, tally: (key: string) => RestTally, phase: 'invalid' | 'valid'): Promise<void> {
  const auth = { authorization: `Bearer ${options.token}` };
  const json = { ...auth, 'content-type': 'application/json' };
  const leaks = ['"name": "loominal"', 'definePlugin', 'root:x:0:0'];
  const cases: RouteCase[] = [
    { key: 'GET /api/events', url: '/api/events?projectId=a.b', init: { headers: auth }, status: 400, code: 'LOOM_ERR_INVALID_INPUT', field: 'query.projectId' },
    { key: 'GET /api/events', url: '/api/events?projectId=public', init: { headers: auth }, status: 400, code: 'LOOM_ERR_INVALID_INPUT', field: 'query.projectId' },
    { key: 'GET /api/events', url: '/api/events?projectId=x&projectId=y', init: { headers: auth }, status: 400, code: 'LOOM_ERR_INVALID_INPUT', field: 'query.projectId' },
    { key: 'GET /api/events', url: '/api/events?nope=1', init: { headers: auth }, status: 400, code: 'LOOM_ERR_INVALID_INPUT', field: 'query.nope' },
    { key: 'GET /api/events', url: `/api/events?ticket=${'t'.repeat(300)}`, init: { headers: auth }, status: 400, code: 'LOOM_ERR_INVALID_INPUT', field: 'query.ticket' },
    { key: 'GET /api/events', url: `/api/events?projectId=${encodeURIComponent('loom.*.>')}`, init: { headers: auth }, status: 400, code: 'LOOM_ERR_INVALID_INPUT', field: 'query.projectId' },
    { key: 'GET /api/events', url: '/api/events?ticket=forged-ticket', status: 401, code: 'LOOM_ERR_UNAUTHORIZED', field: 'ticket' },
    { key: 'GET /api/events', url: '/api/events?access_token=not-the-token', status: 401, code: 'LOOM_ERR_UNAUTHORIZED' },
    { key: 'GET /api/events', url: '/api/events', init: { method: 'POST', headers: json, body: '{}' }, status: 405, code: 'LOOM_ERR_NOT_FOUND' },
    { key: 'POST /api/events/ticket', url: '/api/events/ticket', init: { method: 'POST', headers: json, body: '{"ticket": ' }, status: 400, code: 'LOOM_ERR_INVALID_INPUT', field: 'body' },
    { key: 'POST /api/events/ticket', url: '/api/events/ticket', init: { method: 'POST', headers: json, body: '["ticket"]' }, status: 400, code: 'LOOM_ERR_INVALID_INPUT', field: 'body' },
    { key: 'POST /api/events/ticket', url: '/api/events/ticket', init: { method: 'POST', headers: json, body: '{"projects": "all", "__proto__": {"admin": true}}' }, status: 400, code: 'LOOM_ERR_INVALID_INPUT', field: 'body' },
    { key: 'POST /api/events/ticket', url: '/api/events/ticket', init: { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: 'ticket please' }, status: 400, code: 'LOOM_ERR_INVALID_INPUT', field: 'body' },
    { key: 'POST /api/events/ticket', url: '/api/events/ticket', init: { method: 'POST', headers: json, body: JSON.stringify({ pad: 'x'.repeat(1_200_000) }) }, status: 413, code: 'LOOM_ERR_PAYLOAD_TOO_LARGE' },
    { key: 'POST /api/events/ticket', url: '/api/events/ticket', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }, status: 401, code: 'LOOM_ERR_UNAUTHORIZED' },
    { key: 'POST /api/events/ticket', url: '/api/events/ticket', init: { headers: auth }, status: 405, code: 'LOOM_ERR_NOT_FOUND' },
    { key: 'GET /health', url: '/health', init: { method: 'POST', headers: json, body: '{}' }, status: 405, code: 'LOOM_ERR_NOT_FOUND' },
    { key: 'GET /health', url: '/health', init: { method: 'DELETE' }, status: 405, code: 'LOOM_ERR_NOT_FOUND' },
    { key: 'GET /health', url: `/health?probe=${encodeURIComponent('<script>alert(1)</script>')}&a=%ZZ`, status: 200, leaks: ['<script>'] },
    { key: 'GET /api/openapi.json', url: '/api/openapi.json', status: 401, code: 'LOOM_ERR_UNAUTHORIZED' },
    { key: 'GET /api/openapi.json', url: '/api/openapi.json', init: { method: 'PUT', headers: json, body: '{"openapi": "hacked"}' }, status: 405, code: 'LOOM_ERR_NOT_FOUND' },
    { key: 'GET /api/openapi.json', url: '/api/openapi.json/..%2F..%2Fpackage.json', init: { headers: auth }, status: 404, code: 'LOOM_ERR_NOT_FOUND', leaks },
    { key: 'GET /metrics', url: '/metrics', init: { method: 'POST', headers: json, body: '{}' }, status: 405, code: 'LOOM_ERR_NOT_FOUND' },
    { key: 'GET /metrics', url: `/metrics?name[]=x&name=${'%'.repeat(100)}`, status: 200 },
    { key: 'GET /', url: '/', init: { method: 'POST', headers: json, body: '{"x": 1}' }, status: 405, code: 'LOOM_ERR_NOT_FOUND' },
    { key: 'GET /', url: '/', init: { method: 'DELETE' }, status: 405, code: 'LOOM_ERR_NOT_FOUND' },
    { key: 'GET /', url: `/?q=${'%ZZ'.repeat(50)}`, status: 200 },
    { key: 'GET /', url: '/index.html/../../package.json', status: 404, code: 'LOOM_ERR_NOT_FOUND', leaks },
    { key: 'GET /assets/{file}', url: '/assets/..%2F..%2F..%2F..%2Fpackage.json', status: 404, code: 'LOOM_ERR_NOT_FOUND', leaks },
    { key: 'GET /assets/{file}', url: '/assets/%2e%2e%2f%2e%2e%2fplugin.ts', status: 404, code: 'LOOM_ERR_NOT_FOUND', leaks },
    { key: 'GET /assets/{file}', url: '/assets/views/..%2F..%2Fplugin.ts', status: 404, code: 'LOOM_ERR_NOT_FOUND', leaks },
    { key: 'GET /assets/{file}', url: '/assets/..%5C..%5Cplugin.ts', status: 404, code: 'LOOM_ERR_NOT_FOUND', leaks },
    { key: 'GET /assets/{file}', url: '/assets/app.js%00.png', status: 404, code: 'LOOM_ERR_NOT_FOUND' },
    { key: 'GET /assets/{file}', url: '/assets/%E0%A4%A', status: 404, code: 'LOOM_ERR_NOT_FOUND' },
    { key: 'GET /assets/{file}', url: `/assets/${'a'.repeat(4000)}.js`, status: 404, code: 'LOOM_ERR_NOT_FOUND' },
    { key: 'GET /assets/{file}', url: '/assets/', status: 404, code: 'LOOM_ERR_NOT_FOUND' },
    { key: 'GET /assets/{file}', url: '/assets/app.js', init: { method: 'PUT', headers: json, body: '"alert(1)"' }, status: 405, code: 'LOOM_ERR_NOT_FOUND' },
    { key: 'GET /assets/{file}', url: '/assets/app.js', init: { headers: { 'if-none-match': `"${'x'.repeat(4000)}"` } }, status: 200 },
  ];
  for (const c of cases.filter((one) => (phase === 'invalid') === one.status >= 400)) {
    const t = tally(c.key);
    t.raw++;
    const label = `[route ${c.init?.method ?? 'GET'} ${c.url.slice(0, 60)}]`;
    const response = await fetch(`${options.url}${c.url}`, c.init);
    const text = await response.text();
    let body: { error?: { code?: string; message?: string; details?: { field?: string; fields?: string[] } } } | undefined;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const named = c.field === undefined || [body?.error?.details?.field, ...(body?.error?.details?.fields ?? [])].includes(c.field) || (body?.error?.message ?? '').startsWith(`${c.field}:`);
    if (response.status !== c.status || (c.code !== undefined && body?.error?.code !== c.code) || !named) t.failures.push(`${label} expected ${c.status} ${c.code ?? ''} ${c.field ?? ''}, got ${response.status} ${text.slice(0, 200)}`);
    if (response.status === 405 && !response.headers.get('allow')) t.failures.push(`${label} 405 without an Allow header`);
    for (const leak of c.leaks ?? []) if (text.includes(leak)) t.failures.push(`${label} the answer contains ${JSON.stringify(leak)}`);
  }
  if (phase === 'invalid') return;

  // A ticket opens the event stream once: the second use of the same ticket is refused.
  const t = tally('POST /api/events/ticket');
  t.raw++;
  const issued = await fetch(`${options.url}/api/events/ticket`, { method: 'POST', headers: auth });
  const { ticket } = (await issued.json().catch(() => ({}))) as { ticket?: string };
  if (issued.status !== 200 || !ticket) t.failures.push(`[ticket] expected 200 with a ticket, got ${issued.status}`);
  else {
    const abort = new AbortController();
    const stream = await fetch(`${options.url}/api/events?ticket=${encodeURIComponent(ticket)}`, { signal: abort.signal });
    if (stream.status !== 200 || !stream.headers.get('content-type')?.startsWith('text/event-stream')) t.failures.push(`[ticket] the events stream answered ${stream.status} ${stream.headers.get('content-type')}`);
    abort.abort();
    await stream.body?.cancel().catch(() => undefined);
    const reused = await fetch(`${options.url}/api/events?ticket=${encodeURIComponent(ticket)}`);
    if (reused.status !== 401) t.failures.push(`[ticket] a used ticket answered ${reused.status}, not 401`);
    await reused.body?.cancel().catch(() => undefined);
  }
}

export async function runHostileRest(options: HostileRestOptions): Promise<HostileRestReport> {
  const endpoints: Record<string, RestTally> = {};
  const tally = (key: string) => (endpoints[key] ??= { invalid: 0, valid: 0, raw: 0, failures: [] });
  const ignore = options.ignoreStreams ?? [];
  let settled = await snapshot(options.jsm, ignore);
  let stable = 0;
  await until(async () => {
    const next = await snapshot(options.jsm, ignore);
    stable = [...next].every(([k, v]) => settled.get(k) === v) && next.size === settled.size ? stable + 1 : 0;
    settled = next;
    return stable >= 3;
  }, 'weft to settle', 30_000, 300);

  for (const op of weftOperations) {
    const t = tally(`${op.method.toUpperCase()} ${op.path}`);
    const arbitrary = hostileArbitrary(op).filter((req) => routable(op, req) && oracle(op, req) !== null);
    for (const req of fc.sample(arbitrary, { numRuns: options.invalidPerEndpoint, seed: options.seed })) {
      t.invalid++;
      const problem = checkInvalid(oracle(op, req)!, await send(options, op, req), urlOf(options.url, op, req).length);
      if (problem) t.failures.push(`[${JSON.stringify(req).slice(0, 160)}] ${problem}`);
    }
  }
  await rawCases(options, tally);
  await otherRouteCases(options, tally, 'invalid');
  const after = await snapshot(options.jsm, ignore);
  const writesDuringInvalid = [...after].filter(([k, v]) => settled.get(k) !== v).map(([k, v]) => `${k}: ${settled.get(k) ?? 'absent'} → ${v}`);
  await otherRouteCases(options, tally, 'valid');

  for (const op of weftOperations) {
    const t = tally(`${op.method.toUpperCase()} ${op.path}`);
    for (const req of fc.sample(fc.oneof({ arbitrary: baseArbitrary(op), weight: 3 }, { arbitrary: hostileArbitrary(op), weight: 1 }), { numRuns: options.validPerEndpoint, seed: options.seed })) {
      if (!routable(op, req) || oracle(op, req) !== null) continue;
      t.valid++;
      const problem = checkValid(await send(options, op, req), urlOf(options.url, op, req).length);
      if (problem) t.failures.push(`[valid ${JSON.stringify(req).slice(0, 160)}] ${problem}`);
    }
  }
  const health = await fetch(`${options.url}/health`).then((r) => r.status, () => 0);
  const all = Object.values(endpoints);
  return {
    endpoints,
    writesDuringInvalid,
    alive: alive(options.pid),
    healthy: health === 200,
    totals: { invalid: all.reduce((s, t) => s + t.invalid, 0), valid: all.reduce((s, t) => s + t.valid, 0), raw: all.reduce((s, t) => s + t.raw, 0), failures: all.reduce((s, t) => s + t.failures.length, 0) },
  };
}
