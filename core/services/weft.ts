// The weft coordinator service: its operations (served over REST and NATS alike) and the HTTP seam for more routes.
import type { z } from 'zod';
import { defineService } from '../services.js';

/** Who is asking: the projects a bearer token is bound to ('all' when unbound or inside the process). */
export interface WeftCaller {
  projects: 'all' | ReadonlyArray<string>;
  via: 'rest' | 'nats' | 'internal';
}

export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

/** One coordinator operation; REST routes, NATS subjects and the OpenAPI document are all derived from these. */
export interface WeftOperationInfo {
  /** `<area>.<verb>`, e.g. "work.submit". */
  readonly id: string;
  readonly area: string;
  readonly verb: string;
  readonly summary: string;
  readonly method: HttpMethod;
  /** OpenAPI-style path: /api/work/{id}. */
  readonly path: string;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodObject;
  readonly output: z.ZodType;
  readonly successStatus: 200 | 201 | 202;
  /** Changes state: only the lease holder runs it (others forward it over NATS). */
  readonly mutates: boolean;
  /** 'global' operations span projects (coord.global.*); the others take a projectId. */
  readonly scope: 'project' | 'global';
}

/** What weft streams to SSE clients and the dashboard. */
export interface WeftEvent {
  type: 'work' | 'agent' | 'work-event';
  projectId: string;
  data: Record<string, unknown>;
}

export interface WeftHealth {
  status: 'ok' | 'degraded';
  instanceId: string;
  leader: boolean;
  natsConnected: boolean;
  projects: number;
}

export interface WeftService {
  readonly instanceId: string;
  /** The projectId used when a request names none (from config / identity). */
  readonly defaultProjectId: string;
  readonly operations: ReadonlyArray<WeftOperationInfo>;
  isLeader(): boolean;
  onLeadershipChange(listener: (leader: boolean) => void): () => void;
  /** Validates input with the operation's schemas, checks the caller's projects, runs it (or forwards it to the leader). */
  call(operationId: string, input: Record<string, unknown>, caller: WeftCaller): Promise<unknown>;
  /** Live events of one project; returns an unsubscribe function. */
  subscribe(projectId: string, listener: (event: WeftEvent) => void): Promise<() => void>;
  health(): WeftHealth;
}

export const weftService = defineService<WeftService>('service:weft');

/** An extra HTTP route on weft's server (the dashboard at /, Prometheus at /metrics). */
export interface WeftHttpRoute {
  method: HttpMethod;
  /** Koa-style path: /metrics, /assets/:file. */
  path: string;
  /** open: no token; token: bearer token required; gated: token required unless the API's `openHealth` option says open. */
  auth: 'open' | 'token' | 'gated';
  summary: string;
  /** Content type of a successful answer, for the OpenAPI document. */
  contentType: string;
  handle(request: { query: Record<string, string>; params: Record<string, string>; headers: Record<string, string | string[] | undefined> }): Promise<WeftHttpResponse> | WeftHttpResponse;
}

export interface WeftHttpResponse {
  status?: number;
  contentType?: string;
  headers?: Record<string, string>;
  body: string | Uint8Array | Record<string, unknown>;
}

export interface WeftHttpService {
  /** Adds a route; call it during setup (routes are mounted when the server starts). */
  addRoute(route: WeftHttpRoute): void;
  /** The bound URL once listening, e.g. http://127.0.0.1:3000. */
  url(): string | undefined;
}

export const weftHttpService = defineService<WeftHttpService>('service:weft-http');
