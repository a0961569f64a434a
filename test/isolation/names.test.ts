// Token validation: every user-supplied string that reaches a subject or key is checked, and the error names the field.
import { describe, expect, it } from 'vitest';
import { ackWildcard, assertHexId, assertToken, createNames, createNamesCache, flowControlWildcard, globalNames, isLoomError, jsApiSubject, kvKeySubject, kvStreamName, priorityLevel, pullNextSubject, replyInboxPrefix, tokenSchema } from '../../core/index.js';

function nameError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isLoomError(err, 'LOOM_ERR_INVALID_NAME')) return err.message;
    throw err;
  }
  throw new Error('expected LOOM_ERR_INVALID_NAME');
}

const names = createNames('proj-1');

describe('names', () => {
  it.each([
    ['a dot', 'road.map'],
    ['a star', 'road*'],
    ['a greater-than', 'road>'],
    ['a space', 'road map'],
    ['a tab', 'road\tmap'],
    ['a newline', 'road\nmap'],
    ['a NUL', 'road\u0000map'],
    ['a DEL', 'road\u007fmap'],
    ['capitals', 'Roadmap'],
    ['an empty string', ''],
    ['a leading dash', '-roadmap'],
    ['65 characters', 'a'.repeat(65)],
  ])('a channel name with %s is rejected, naming the field', (_label, value) => {
    expect(nameError(() => names.channelSubject(value))).toMatch(/^LOOM_ERR_INVALID_NAME: channel must be a lowercase token/);
  });

  it('each builder names its own field', () => {
    expect(nameError(() => names.workSubject('build.*', 10))).toContain('capability must be');
    expect(nameError(() => names.inboxSubject('zz>', 'ab'.repeat(16)))).toContain('recipientId must be a hex id');
    expect(nameError(() => names.inboxSubject('ab'.repeat(16), '*'))).toContain('senderId must be a hex id');
    expect(nameError(() => names.workEventSubject('w 1'))).toContain('workId must be');
    expect(nameError(() => names.controlSubject('a'.repeat(32), 'shut.down'))).toContain('verb must be');
    expect(nameError(() => createNames('Team.A'))).toContain('projectId must be');
  });

  it('valid tokens build the subjects of the protocol', () => {
    expect(names.channelSubject('roadmap')).toBe('loom.proj-1.channels.roadmap');
    expect(names.workSubject('code-review', priorityLevel(9))).toBe('loom.proj-1.work.code-review.9');
    expect(names.workConsumer('code-review', priorityLevel(9))).toBe('work-code-review-9');
    expect(names.inboxSubject('ab'.repeat(16), 'cd'.repeat(16))).toBe(`loom.proj-1.inbox.${'ab'.repeat(16)}.${'cd'.repeat(16)}`);
    expect(names.inboxRecipientWildcard('ab'.repeat(16))).toBe(`loom.proj-1.inbox.${'ab'.repeat(16)}.*`);
    expect(names.inboxSenderWildcard('cd'.repeat(16))).toBe(`loom.proj-1.inbox.*.${'cd'.repeat(16)}`);
    expect(names.channelsStream).toBe('LOOM_PROJ-1_CHANNELS');
    expect(names.controlWildcard('ab'.repeat(16))).toBe(`loom.proj-1.control.${'ab'.repeat(16)}.>`);
    expect([names.projectWildcard, names.workOffersWildcard, names.publicWorkOffersWildcard, names.coordProjectWildcard]).toEqual(['loom.proj-1.>', 'loom.proj-1.work.*.*', 'loom.public.work.*.*', 'coord.proj-1.>']);
    expect([globalNames.coordGlobalSubject('stats'), globalNames.coordGlobalWildcard]).toEqual(['coord.global.stats', 'coord.global.>']);
    expect(assertToken('handle', 'a'.repeat(64))).toHaveLength(64);
  });

  it('JetStream\'s own names are built around ours: KV streams and keys, API, ack, flow-control and reply subjects', () => {
    expect(kvStreamName(names.registryBucket)).toBe('KV_loom-registry-proj-1');
    expect(kvKeySubject(names.registryBucket, '>')).toBe('$KV.loom-registry-proj-1.>');
    expect(jsApiSubject('CONSUMER', 'INFO', names.workStream, '*')).toBe('$JS.API.CONSUMER.INFO.LOOM_PROJ-1_WORK.*');
    expect(pullNextSubject(names.inboxStream, 'inbox-x')).toBe('$JS.API.CONSUMER.MSG.NEXT.LOOM_PROJ-1_INBOX.inbox-x');
    expect([ackWildcard(names.eventsStream), ackWildcard(names.workStream, 'work-build-9')]).toEqual(['$JS.ACK.LOOM_PROJ-1_EVENTS.>', '$JS.ACK.LOOM_PROJ-1_WORK.work-build-9.>']);
    expect(flowControlWildcard(names.channelsStream)).toBe('$JS.FC.LOOM_PROJ-1_CHANNELS.>');
    expect(replyInboxPrefix('agent-alice')).toBe('_INBOX_agent-alice');
  });

  it('the error shows a long value shortened and never raw control characters', () => {
    const message = nameError(() => assertToken('handle', `${'x'.repeat(100)}\u0007`));
    expect(message).toContain('handle must be');
    expect(message).toContain('…');
    expect(message).not.toContain('\u0007');
  });

  it('non-strings are rejected with their type', () => {
    expect(nameError(() => assertToken('category', 42))).toContain('got a number');
    expect(nameError(() => assertHexId('agentId', undefined))).toContain('got a undefined');
  });

  it('the zod schema applies the same rule to tool inputs', () => {
    expect(tokenSchema.safeParse('roadmap').success).toBe(true);
    expect(tokenSchema.safeParse('road.map').success).toBe(false);
    expect(tokenSchema.safeParse('a'.repeat(65)).success).toBe(false);
  });
});

describe('createNamesCache', () => {
  it('answers a project it saw with the same names, checks every new id, and stays bounded', () => {
    const namesOf = createNamesCache(2);
    const a = namesOf('alpha');
    expect(namesOf('alpha')).toBe(a);
    expect(a.workStream).toBe(createNames('alpha').workStream);
    expect(nameError(() => namesOf('bad.id'))).toMatch(/projectId/);
    namesOf('beta');
    namesOf('gamma'); // the third project empties the cache of two
    expect(namesOf('alpha')).not.toBe(a);
    expect(namesOf('alpha').workSubject('x', 5)).toBe(a.workSubject('x', 5));
  });
});
