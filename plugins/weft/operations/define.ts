// defineOperation: one coordinator operation as data; REST routes, NATS subjects and OpenAPI all come from it.
import { z } from 'zod';
import type { HttpMethod, WeftCaller, WeftOperationInfo } from '../../../core/index.js';
import type { Coordinator } from '../coordinator/context.js';

export interface OperationRun<I> {
  c: Coordinator;
  input: I;
  /** Resolved and access-checked; '' for global operations. */
  projectId: string;
  caller: WeftCaller;
}

export interface WeftOperation<I = any> extends WeftOperationInfo {
  /** params + query + body in one strict object: what the NATS API takes and what run() gets. */
  readonly input: z.ZodObject;
  run(args: OperationRun<I>): Promise<unknown>;
}

type Out<T> = T extends z.ZodObject ? z.output<T> : unknown;

interface OperationDefinition<P extends z.ZodObject | undefined, Q extends z.ZodObject | undefined, B extends z.ZodObject | undefined> {
  id: `${string}.${string}`;
  summary: string;
  method: HttpMethod;
  path: string;
  params?: P;
  query?: Q;
  body?: B;
  output: z.ZodType;
  successStatus?: 200 | 201 | 202;
  mutates?: boolean;
  scope?: 'project' | 'global';
  run(args: OperationRun<Out<P> & Out<Q> & Out<B> & { projectId?: string }>): Promise<unknown>;
}

export function defineOperation<P extends z.ZodObject | undefined = undefined, Q extends z.ZodObject | undefined = undefined, B extends z.ZodObject | undefined = undefined>(
  def: OperationDefinition<P, Q, B>,
): WeftOperation {
  const [area, verb] = def.id.split('.') as [string, string];
  const shape = { ...(def.params?.shape ?? {}), ...(def.query?.shape ?? {}), ...(def.body?.shape ?? {}) };
  return Object.freeze({
    id: def.id,
    area,
    verb,
    summary: def.summary,
    method: def.method,
    path: def.path,
    ...(def.params ? { params: def.params } : {}),
    ...(def.query ? { query: def.query } : {}),
    ...(def.body ? { body: def.body } : {}),
    output: def.output,
    successStatus: def.successStatus ?? 200,
    mutates: def.mutates ?? false,
    scope: def.scope ?? 'project',
    input: z.strictObject(shape),
    run: def.run as WeftOperation['run'],
  });
}
