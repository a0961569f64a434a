// End to end: secrets are refused and never logged; bad input gets errors naming the field, and nothing is stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { createNames } from '../../core/index.js';
import type { MemoryRecord } from '../../plugins/pattern/record.js';
import { callError, openBuckets, recall, remember, removeHomes, startPattern, type PatternAgent } from './harness.js';

const names = createNames('proj-i');
let nats: NatsServerHandle;
let agent: PatternAgent;
let buckets: Awaited<ReturnType<typeof openBuckets>>;

beforeAll(async () => {
  nats = await startNatsServer();
  // trace: the most a log could ever show, so "absent from logs" means something.
  agent = await startPattern(nats, { projectId: 'proj-i', principal: 'ada@laptop', env: { LOG_LEVEL: 'trace' } });
  buckets = await openBuckets(nats);
});

afterAll(async () => {
  await buckets?.close();
  await agent?.close();
  await nats?.stop();
  removeHomes();
});

async function storedKeys(): Promise<string[]> {
  const all = await Promise.all([names.memoryBucket('private'), names.memoryBucket('team'), names.publicMemoryBucket].map((bucket) => buckets.keys(bucket).catch(() => [])));
  return all.flat().sort();
}

const secrets = {
  aws: 'AKIAZ7QW3ERT5YUI9OPA',
  github: 'ghp_Q8mZr2Lx7Vb4Nc1Kd9Tf6Hj3Wp5Sy0Ae2Gu4',
  pem: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----',
};

describe('sensitive content', () => {
  it.each(Object.entries(secrets))('refuses content holding a %s secret with an explanation, stores nothing and never logs it', async (kind, secret) => {
    await remember(agent, { content: 'a harmless memory so the bucket exists' });
    const before = await storedKeys();
    const text = await callError(agent, 'remember', { content: `for the deploy use ${secret} thanks`, scope: 'team', category: 'learnings', tags: [kind] });
    expect(text).toMatch(/^LOOM_ERR_SENSITIVE_CONTENT: content: looks like (an AWS access key id|a GitHub token|a PEM private key)/);
    expect(text).toContain('allowSensitive');
    expect(text).not.toContain(secret.slice(0, 12));
    expect(await callError(agent, 'remember_task', { content: secret })).toMatch(/^LOOM_ERR_SENSITIVE_CONTENT/);
    expect(await storedKeys()).toEqual(before);
    expect(agent.stderr()).not.toContain(secret.slice(0, 12));
  });

  it('stores such content when allowSensitive is true, and share_learning asks again before spreading it', async () => {
    const memory = await remember(agent, { content: `example key from the AWS docs: ${secrets.aws}`, category: 'longterm', allowSensitive: true });
    expect(memory.content).toContain(secrets.aws);
    expect(await callError(agent, 'share_learning', { memoryId: memory.id })).toMatch(/^LOOM_ERR_SENSITIVE_CONTENT/);
    const shared = await agent.call<{ memory: MemoryRecord }>('share_learning', { memoryId: memory.id, allowSensitive: true });
    expect(shared.memory.scope).toBe('team');
  });

  it('logs the refusals and the stores (without content), so the absence of the secrets in the logs means something', () => {
    const log = agent.stderr();
    expect(log).toMatch(/loom pattern serving MCP over stdio/);
    expect(log).toMatch(/"kind":"a GitHub token".*refused to store content that looks like a secret/);
    expect(log).toMatch(/"msg":"stored a memory"/);
    for (const secret of Object.values(secrets)) expect(log).not.toContain(secret.slice(0, 12));
  });
});

describe('bad input', () => {
  const cases: Array<[string, string, Record<string, unknown>, RegExp]> = [
    ['content over 32 KB', 'remember', { content: 'a'.repeat(32 * 1024 + 1) }, /^LOOM_ERR_INVALID_INPUT: remember: content: must be at most 32 KB .*got 32769 bytes/],
    ['content over 32 KB in UTF-8 bytes though short in characters', 'remember', { content: '€'.repeat(11_000) }, /^LOOM_ERR_INVALID_INPUT: remember: content: must be at most 32 KB .*got 33000 bytes/],
    ['empty content', 'remember_task', { content: '' }, /^LOOM_ERR_INVALID_INPUT: remember_task: content: /],
    ['an unknown category', 'remember', { content: 'x', category: 'misc' }, /^LOOM_ERR_INVALID_INPUT: remember: category: /],
    ['an unknown scope', 'remember', { content: 'x', scope: 'galaxy' }, /^LOOM_ERR_INVALID_INPUT: remember: scope: /],
    ['a team memory without a category', 'remember', { content: 'x', scope: 'team' }, /^LOOM_ERR_INVALID_INPUT: category: required for scope "team"/],
    ['a misspelled field', 'remember', { content: 'x', catgory: 'longterm' }, /^LOOM_ERR_INVALID_INPUT: remember: .*catgory/],
    ['a tag with a dot', 'remember', { content: 'x', tags: ['a.b'] }, /^LOOM_ERR_INVALID_INPUT: remember: tags\[0\]: /],
    ['a priority out of range', 'remember', { content: 'x', priority: 9 }, /^LOOM_ERR_INVALID_INPUT: remember: priority: /],
    ['a relatedTo id that is not hex', 'remember', { content: 'x', relatedTo: ['nope'] }, /^LOOM_ERR_INVALID_INPUT: remember: relatedTo\[0\]: /],
    ['a memory id with subject characters', 'forget', { memoryId: 'abc.>' }, /^LOOM_ERR_INVALID_INPUT: forget: memoryId: /],
    ['a memory id that is not hex', 'commit_insight', { memoryId: 'zzzzzzzzzzzz' }, /^LOOM_ERR_INVALID_INPUT: commit_insight: memoryId: /],
    ['a missing memory id', 'share_learning', {}, /^LOOM_ERR_INVALID_INPUT: share_learning: memoryId: /],
    ['an unknown memory id', 'forget', { memoryId: 'ab'.repeat(16) }, /^LOOM_ERR_NOT_FOUND: memoryId: /],
    ['an empty search query', 'search_memories', { query: '   ' }, /^LOOM_ERR_INVALID_INPUT: search_memories: query: /],
    ['a summary budget over 4 KB', 'recall_context', { maxSummaryBytes: 5000 }, /^LOOM_ERR_INVALID_INPUT: recall_context: maxSummaryBytes: /],
  ];

  it.each(cases)('rejects %s with an error naming the field, and stores nothing', async (_label, tool, args, expected) => {
    const before = await storedKeys();
    const total = (await recall(agent)).total;
    expect(await callError(agent, tool, args)).toMatch(expected);
    expect(await storedKeys()).toEqual(before);
    expect((await recall(agent)).total).toBe(total);
  });

  it('accepts content of exactly 32 KB', async () => {
    const memory = await remember(agent, { content: 'b'.repeat(32 * 1024), category: 'longterm' });
    expect(memory.content).toHaveLength(32 * 1024);
  });

  it('keeps serving after all of it', async () => {
    const memory = await remember(agent, { content: 'still alive' });
    expect((await recall(agent)).memories.map((m) => m.id)).toContain(memory.id);
  });
});
