// Turns zod issues into one readable line per problem: "path.to.field: what was expected".
import type { z } from 'zod';

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

interface SchemaDef {
  type?: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  element?: unknown;
  valueType?: unknown;
  in?: unknown;
}

const defOf = (schema: unknown): SchemaDef | undefined => (schema as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def;

/** The keys an object schema accepts at `path`, so an unknown key can be answered with the expected form. */
export function objectKeysAt(schema: unknown, path: ReadonlyArray<PropertyKey>): string[] | undefined {
  let node = schema;
  let remaining = [...path];
  for (let guard = 0; guard < 64 && node; guard++) {
    const def = defOf(node);
    if (!def) return undefined;
    if (def.innerType) node = def.innerType;
    else if (def.type === 'pipe') node = def.in;
    else if (remaining.length === 0) return def.type === 'object' && def.shape ? Object.keys(def.shape) : undefined;
    else if (def.type === 'object' && def.shape) node = def.shape[String(remaining.shift())];
    else if (def.type === 'array') [node, remaining] = [def.element, remaining.slice(1)];
    else if (def.type === 'record') [node, remaining] = [def.valueType, remaining.slice(1)];
    else return undefined;
  }
  return undefined;
}

/** One line per problem; with the schema, an unknown key also lists the keys that are allowed there. */
export function formatIssues(error: z.ZodError, prefix = '', schema?: z.ZodType): string {
  const line = (path: ReadonlyArray<PropertyKey>, message: string) => `${[prefix, formatPath(path)].filter(Boolean).join('.') || '(root)'}: ${message}`;
  return error.issues
    .flatMap((issue) => {
      if (issue.code !== 'unrecognized_keys') return [line(issue.path, issue.message)];
      const allowed = schema ? objectKeysAt(schema, issue.path) : undefined;
      return issue.keys.map((key) => line([...issue.path, key], `unknown key${allowed ? ` (expected one of: ${allowed.join(', ')})` : ''}`));
    })
    .join('; ');
}
