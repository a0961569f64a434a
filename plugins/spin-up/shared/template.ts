// {{variable}} templates of spin-up targets (webhook URL and body, workflow inputs): checked when a target is saved.
import { z } from 'zod';
import type { SpinUpRequest } from '../../../core/index.js';

/** What a template may use; {{env.NAME}} (an environment variable of weft) only where a schema allows it (headers). */
export const TEMPLATE_VARS = ['operationId', 'projectId', 'targetId', 'targetName', 'workId', 'capability', 'agentId', 'natsUrl'] as const;
export type TemplateVars = Record<(typeof TEMPLATE_VARS)[number], string>;

const REFERENCE = /\{\{\s*([^{}]*?)\s*\}\}/g;
const ENV_NAME = /^env\.([A-Za-z_][A-Za-z0-9_]*)$/;

/** Why a template is not valid, or undefined: every {{…}} must name a known variable. */
export function templateProblem(text: string, options: { allowEnv?: boolean } = {}): string | undefined {
  for (const [, name = ''] of text.matchAll(REFERENCE)) {
    if ((TEMPLATE_VARS as readonly string[]).includes(name)) continue;
    if (options.allowEnv && ENV_NAME.test(name)) continue;
    const allowed = [...TEMPLATE_VARS.map((v) => `{{${v}}}`), ...(options.allowEnv ? ['{{env.NAME}}'] : [])].join(', ');
    return `unknown template variable {{${name}}}; use ${allowed}`;
  }
  return undefined;
}

/** A string field holding a template; a bad {{…}} is a validation error on that field. */
export function templateString(options: { allowEnv?: boolean } = {}) {
  return z.string().superRefine((text, ctx) => {
    const problem = templateProblem(text, options);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** Fills a template; `encode` escapes each value (encodeURIComponent for URLs); env references read `env`. */
export function renderTemplate(text: string, vars: TemplateVars, options: { env?: Readonly<Record<string, string | undefined>>; encode?: (value: string) => string } = {}): string {
  const encode = options.encode ?? ((value: string) => value);
  return text.replace(REFERENCE, (_match, name: string) => {
    const envName = ENV_NAME.exec(name)?.[1];
    if (envName) return encode(options.env?.[envName] ?? '');
    return encode(vars[name as keyof TemplateVars] ?? '');
  });
}

/** Fills every string inside a JSON value (keys stay as they are): a value can never break the JSON around it. */
export function renderJson(value: unknown, vars: TemplateVars): unknown {
  if (typeof value === 'string') return renderTemplate(value, vars);
  if (Array.isArray(value)) return value.map((item) => renderJson(item, vars));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderJson(item, vars)]));
  return value;
}

/** Strings inside a JSON value whose templates are invalid, as zod issues at their path. */
export function jsonTemplateIssues(value: unknown, path: (string | number)[] = []): Array<{ path: (string | number)[]; message: string }> {
  if (typeof value === 'string') {
    const problem = templateProblem(value);
    return problem ? [{ path, message: problem }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => jsonTemplateIssues(item, [...path, index]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => jsonTemplateIssues(item, [...path, key]));
  return [];
}

/** The variables of one spin-up: the agent id and NATS URL come from the env weft prepared for the agent. */
export function spinUpVars(request: Pick<SpinUpRequest, 'operationId' | 'projectId' | 'targetId' | 'workId' | 'capability' | 'env'>): TemplateVars {
  return {
    operationId: request.operationId,
    projectId: request.projectId,
    targetId: request.targetId,
    targetName: request.env.LOOMINAL_SPIN_UP_TARGET_NAME ?? request.targetId,
    workId: request.workId ?? '',
    capability: request.capability ?? '',
    agentId: request.env.LOOMINAL_AGENT_ID ?? '',
    natsUrl: request.env.NATS_URL ?? '',
  };
}
