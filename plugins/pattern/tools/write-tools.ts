// remember, remember_task, remember_learning and core_memory: the tools that store a new memory.
import { z } from 'zod';
import { defineTool, LoomError, scopeSchema, type AnyToolDefinition, type Logger, type Scope } from '../../../core/index.js';
import { assertAllowed, categorySchema, CATEGORIES_BY_SCOPE, type Category } from '../categories.js';
import type { MemoryStore, NewMemory } from '../memory-store.js';
import { allowSensitiveSchema, contentSchema, prioritySchema, relatedToSchema, sourceSchema, tagsSchema } from '../record.js';
import { assertNotSensitive } from './guard.js';
import { singleMemoryOutput } from './memory-output.js';

const common = {
  content: contentSchema,
  tags: tagsSchema,
  priority: prioritySchema,
  source: sourceSchema.optional(),
  relatedTo: relatedToSchema.optional(),
  allowSensitive: allowSensitiveSchema,
};

type CommonInput = { content: string; tags: string[]; priority: number; source?: string | undefined; relatedTo?: string[] | undefined; allowSensitive: boolean };

/** Categories a scope falls back to when none is given; team and public make the caller choose. */
const DEFAULT_CATEGORY: Partial<Record<Scope, Category>> = { private: 'recent', personal: 'longterm' };

async function store(memories: MemoryStore, scope: Scope, category: Category, input: CommonInput, log: Logger) {
  assertAllowed(scope, category);
  assertNotSensitive({ content: input.content, source: input.source }, input.allowSensitive, log);
  const memory: NewMemory = { scope, category, content: input.content, tags: input.tags, priority: input.priority, source: input.source, relatedTo: input.relatedTo };
  const stored = await memories.create(memory);
  log.debug({ id: stored.id, scope, category, bytes: Buffer.byteLength(stored.content, 'utf8') }, 'stored a memory');
  return { memory: stored };
}

const writeAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false } as const;

export function writeTools(memories: MemoryStore): AnyToolDefinition[] {
  const remember = defineTool({
    name: 'remember',
    title: 'Remember something',
    description:
      'Store a memory in a scope and category. private (default; only you, this project): recent (default; expires after 24 h), tasks (24 h), longterm, core. ' +
      'personal (you across all projects): longterm (default), core. team (every agent of this project) and public (everyone): decisions, architecture, learnings — category required. ' +
      'Returns the memory with its id; promote a recent one with commit_insight. Never store secrets.',
    input: z.strictObject({
      ...common,
      scope: scopeSchema.default('private').describe('private, personal, team or public'),
      category: categorySchema.optional().describe(`Allowed per scope: ${Object.entries(CATEGORIES_BY_SCOPE).map(([s, c]) => `${s}: ${c.join('/')}`).join('; ')}`),
    }),
    output: singleMemoryOutput,
    annotations: writeAnnotations,
    async run({ input, ctx }) {
      const category = input.category ?? DEFAULT_CATEGORY[input.scope];
      if (!category) {
        throw new LoomError('LOOM_ERR_INVALID_INPUT', `category: required for scope "${input.scope}"; choose one of ${CATEGORIES_BY_SCOPE[input.scope].join(', ')}`, { field: 'category' });
      }
      return store(memories, input.scope, category, input, ctx.log);
    },
  });

  const rememberTask = defineTool({
    name: 'remember_task',
    title: 'Remember a task',
    description: 'Store a private note about work in progress (category tasks). It expires after 24 h unless you promote it with commit_insight. Use it for what you are doing now and what is left to do.',
    input: z.strictObject(common),
    output: singleMemoryOutput,
    annotations: writeAnnotations,
    run: ({ input, ctx }) => store(memories, 'private', 'tasks', input, ctx.log),
  });

  const rememberLearning = defineTool({
    name: 'remember_learning',
    title: 'Remember a learning for the team',
    description: 'Store something other agents should know (category learnings): in scope team (default; every agent of this project) or public (every project). Only you can forget it later.',
    input: z.strictObject({ ...common, scope: z.enum(['team', 'public']).default('team').describe('team (this project) or public (every project)') }),
    output: singleMemoryOutput,
    annotations: writeAnnotations,
    run: ({ input, ctx }) => store(memories, input.scope, 'learnings', input, ctx.log),
  });

  const coreMemory = defineTool({
    name: 'core_memory',
    title: 'Store a core memory',
    description: `Store a fact that should always come first in recall_context (category core): in scope personal (default; you across all projects, at most ${memories.options.personalCoreLimit}) or private (this project). Forgetting a core memory needs force: true.`,
    input: z.strictObject({ ...common, scope: z.enum(['personal', 'private']).default('personal').describe('personal (all your projects) or private (this project)') }),
    output: singleMemoryOutput,
    annotations: writeAnnotations,
    run: ({ input, ctx }) => store(memories, input.scope, 'core', input, ctx.log),
  });

  return [remember, rememberTask, rememberLearning, coreMemory];
}
