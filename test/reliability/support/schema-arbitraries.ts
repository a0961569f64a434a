// fast-check arbitraries derived from a JSON Schema (what tools/list and the OpenAPI document advertise, both made from
// the zod schemas): valid values, and hostile inputs (injection, oversized, out of range, wrong types, unknown keys).
import fc from 'fast-check';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
}

/** Per property name: an arbitrary to use instead (e.g. keep a valid claim_work timeout short). */
export type Overrides = Record<string, fc.Arbitrary<unknown>>;

const json = fc.jsonValue({ maxDepth: 2 });

export function validValue(schema: JsonSchema, overrides: Overrides = {}): fc.Arbitrary<unknown> {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants?.length) return fc.oneof(...variants.map((s) => validValue(s, overrides)));
  if (schema.allOf?.length) return validValue(Object.assign({}, ...schema.allOf) as JsonSchema, overrides);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object':
      return validObject(schema, overrides);
    case 'array':
      return fc.array(validValue(schema.items ?? {}, overrides), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, Math.max(schema.minItems ?? 0, 4)) });
    case 'string':
      return validString(schema);
    case 'integer':
      return fc.integer({ min: lower(schema, true) ?? -1000, max: upper(schema, true) ?? 1_000_000 });
    case 'number':
      return fc.double({ min: lower(schema, false) ?? -1e6, max: upper(schema, false) ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return json;
  }
}

function lower(schema: JsonSchema, integer: boolean): number | undefined {
  if (schema.exclusiveMinimum !== undefined) return schema.exclusiveMinimum + (integer ? 1 : 1e-9);
  return schema.minimum;
}

function upper(schema: JsonSchema, integer: boolean): number | undefined {
  const max = schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - (integer ? 1 : 1e-9) : schema.maximum;
  // Huge bounds (MAX_SAFE_INTEGER sequences) are valid but uninteresting: stay where the server has data.
  return max === undefined ? undefined : Math.min(max, 1_000_000_000);
}

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'date-time') return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  const min = schema.minLength ?? 0;
  return fc.string({ minLength: min, maxLength: Math.max(min, Math.min(schema.maxLength ?? 60, min + 60)), unit: 'grapheme' });
}

function validObject(schema: JsonSchema, overrides: Overrides): fc.Arbitrary<Record<string, unknown>> {
  const props = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, prop] of Object.entries(props)) record[key] = overrides[key] ?? validValue(prop, overrides);
  if (Object.keys(props).length === 0 && schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    return fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/), json, { maxKeys: 4 });
  }
  return fc.record(record, { requiredKeys: [...required].filter((key) => key in record) }) as fc.Arbitrary<Record<string, unknown>>;
}

/** Strings that try to break out of a subject token, a path, a template or a parser. */
export const HOSTILE_STRINGS: readonly string[] = [
  'a.b', '*', '>', 'a.*', 'a.>', 'loom.other.inbox.>', '$JS.API.>', '_INBOX.>', '$KV.loom-registry-x.>', 'a b', ' ', '',
  'UPPER', 'a\u0000b', 'line\nbreak', 'tab\there', '../../../../etc/passwd', '..\\..\\windows', '${process.env.NATS_PASS}',
  "'; DROP TABLE agents; --", '<script>alert(1)</script>', '{{constructor.constructor("x")()}}', '__proto__', 'constructor',
  '\u202eevil', '\ud800', '😀', 'x'.repeat(65), '-leading-dash', '_leading', '0x', 'nats://evil:4222',
];

const WRONG_TYPES: readonly unknown[] = [null, true, 0, -1, 1.5, 'text', [], [1, 2], {}, { nested: { deeper: true } }];

function deepNest(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { d: value };
  return value;
}

/** A value that breaks the schema of one property in a hostile way. */
function hostileFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const options: Array<fc.Arbitrary<unknown>> = [fc.constantFrom(...WRONG_TYPES)];
  if (type === 'string' || schema.pattern || schema.enum) {
    options.push(fc.constantFrom(...HOSTILE_STRINGS), fc.constantFrom(...HOSTILE_STRINGS).map((s) => `ok-${s}`));
    const over = (schema.maxLength ?? 70_000) + 1;
    options.push(fc.constantFrom('x'.repeat(Math.min(over, 1_200_000)), `${'é'.repeat(Math.ceil(Math.min(over, 1_200_000) / 2))}`));
  }
  if (type === 'integer' || type === 'number') {
    const extremes = [Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER - 2, 1e308, -1e308, 0.5, -0.5];
    if (schema.minimum !== undefined) extremes.push(schema.minimum - 1);
    if (schema.maximum !== undefined) extremes.push(schema.maximum + 1);
    if (schema.exclusiveMinimum !== undefined) extremes.push(schema.exclusiveMinimum);
    options.push(fc.constantFrom(...extremes), fc.constantFrom('1', '0x10', 'NaN', 'Infinity'));
  }
  if (type === 'array') {
    const max = schema.maxItems ?? 1000;
    options.push(fc.constant(Array.from({ length: max + 1 }, () => 'a')), fc.constantFrom(...HOSTILE_STRINGS).map((s) => [s]));
  }
  if (type === 'object' || type === undefined) {
    options.push(fc.constant(deepNest(3000)), fc.constant({ big: 'x'.repeat(20_000) }), fc.constant(JSON.parse('{"__proto__":{"polluted":true}}')));
  }
  return fc.oneof(...options);
}

export interface HostileCase {
  input: unknown;
  mutation: string;
}

/** An input built from a valid one with one hostile change: a field replaced, removed, an unknown key, or the whole input. */
export function hostileInput(schema: JsonSchema, overrides: Overrides = {}): fc.Arbitrary<HostileCase> {
  const base = validValue(schema, overrides) as fc.Arbitrary<Record<string, unknown>>;
  const props = Object.entries(schema.properties ?? {});
  const required = schema.required ?? [];
  const mutations: Array<fc.Arbitrary<HostileCase>> = [
    fc.tuple(base, fc.constantFrom('__proto__', 'constructor', 'extra', 'a.b', '$where', '')).map(([input, key]) => ({ input: { ...input, [key]: 'surprise' }, mutation: `unknown key ${JSON.stringify(key)}` })),
    fc.constantFrom(...WRONG_TYPES.filter((v) => typeof v !== 'object' || Array.isArray(v) || v === null)).map((input) => ({ input, mutation: 'not an object' })),
  ];
  if (props.length > 0) {
    mutations.push(
      fc.tuple(base, fc.constantFrom(...props)).chain(([input, [key, prop]]) => hostileFor(prop).map((value) => ({ input: { ...input, [key]: value }, mutation: `hostile ${key}` }))),
    );
  }
  if (required.length > 0) {
    mutations.push(fc.tuple(base, fc.constantFrom(...required)).map(([input, key]) => {
      const { [key]: _dropped, ...rest } = input;
      return { input: rest, mutation: `missing ${key}` };
    }));
  }
  return fc.oneof(...mutations);
}

/** Patterns of names that end up in subjects, keys or paths: tokens, hex ids, orchestration ids. */
const ID_PATTERNS = new Set(['^[a-z0-9][a-z0-9_-]{0,63}$', '^[0-9a-f]{8,64}$', '^o[0-9a-f]{16}$']);

/** Property paths (a.b, a[0]) of every string field whose schema is a subject token, for the injection sweep. */
export function tokenFields(schema: JsonSchema, path = ''): string[] {
  const out: string[] = [];
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    const here = path ? `${path}.${key}` : key;
    if (prop.pattern && ID_PATTERNS.has(prop.pattern)) out.push(here);
    if (prop.type === 'array' && prop.items?.pattern === '^[a-z0-9][a-z0-9_-]{0,63}$') out.push(`${here}[]`);
  }
  return out;
}
