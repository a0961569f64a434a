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
  const after = await snapshot(options.jsm, ignore);
  const writesDuringInvalid = [...after].filter(([k, v]) => settled.get(k) !== v).map(([k, v]) => `${k}: ${settled.get(k) ?? 'absent'} → ${v}`);

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
