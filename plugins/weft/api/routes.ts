// Mounts every weft operation as a REST route: path params + query (+ JSON body) become the operation's input.
import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { formatIssues, formatPath, LoomError, type WeftOperationInfo, type WeftService } from '../../../core/index.js';
import type { createGuard } from './auth.js';

const projectQuery = z.strictObject({ projectId: z.string().optional() });

export const koaPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/** The query a route accepts: its own, or just projectId for a route with a body. */
export function querySchemaOf(op: WeftOperationInfo): z.ZodObject {
  return op.query ?? (op.scope === 'project' ? projectQuery : z.strictObject({}));
}

function validate(schema: z.ZodObject, value: unknown, where: 'query' | 'body' | 'path'): void {
  const parsed = schema.safeParse(value);
  if (parsed.success) return;
  const fields = parsed.error.issues.flatMap((issue) => (issue.code === 'unrecognized_keys' ? issue.keys.map((key) => formatPath([where, ...issue.path, key])) : [formatPath([where, ...issue.path])]));
  throw new LoomError('LOOM_ERR_INVALID_INPUT', formatIssues(parsed.error, where, schema), { fields: [...new Set(fields)] });
}

function singleValues(query: Context['query']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    if (Array.isArray(value)) throw new LoomError('LOOM_ERR_INVALID_INPUT', `query.${key}: given more than once`, { fields: [`query.${key}`] });
    if (value !== undefined) out[key] = value;
  }
  return out;
}

export function mountOperations(router: Router, weft: WeftService, guard: ReturnType<typeof createGuard>['guard']): void {
  for (const op of weft.operations) {
    const querySchema = querySchemaOf(op);
    router[op.method](koaPath(op.path), guard('token'), async (ctx: Context) => {
      const query = singleValues(ctx.query);
      const params = (ctx as unknown as { params: Record<string, string> }).params;
      validate(querySchema, query, 'query');
      if (op.params) validate(op.params, params, 'path');
      let body: Record<string, unknown> = {};
      if (op.body) {
        const raw = (ctx.request as unknown as { body?: unknown }).body;
        if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) throw new LoomError('LOOM_ERR_INVALID_INPUT', 'body: expected a JSON object', { fields: ['body'] });
        body = (raw as Record<string, unknown> | undefined) ?? {};
        validate(op.body, body, 'body');
      }
      const input = { ...query, ...body, ...params };
      ctx.body = await weft.call(op.id, input, ctx.state.caller);
      ctx.status = op.successStatus;
    });
  }
}
