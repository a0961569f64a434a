// Project ids and the names built from them: reserved ids are refused naming the field, and no stream name of one
// project can be the name of another project's stream (a dedicated channel's stream included).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertProjectId, createNames, isLoomError, LoomError, projectStreamOf, RESERVED_PROJECT_IDS, TOKEN_PATTERN } from '../../core/index.js';
import { projectIdField } from '../../plugins/weft/schemas/common.js';
import { parseTokens } from '../../plugins/weft/api/tokens.js';

function refusal(fn: () => unknown): LoomError {
  try {
    fn();
  } catch (err) {
    if (isLoomError(err, 'LOOM_ERR_INVALID_NAME')) return err;
    throw err;
  }
  throw new Error('expected LOOM_ERR_INVALID_NAME');
}

/** Every stream one project's names can produce, for the channels given. */
const streamsOf = (projectId: string, channels: string[]) => {
  const n = createNames(projectId);
  return [n.channelsStream, n.inboxStream, n.workStream, n.dlqStream, n.eventsStream, ...channels.map((channel) => n.channelStream(channel))];
};

const token = fc.stringMatching(TOKEN_PATTERN).filter((t) => !RESERVED_PROJECT_IDS.includes(t));

describe('project ids', () => {
  it.each(['global', 'public'])('refuses the reserved projectId %s with LOOM_ERR_INVALID_NAME naming the field', (id) => {
    for (const err of [refusal(() => createNames(id)), refusal(() => assertProjectId(id))]) {
      expect(err.details).toMatchObject({ field: 'projectId' });
      expect(err.message).toContain(`projectId "${id}" is reserved`);
    }
    const parsed = projectIdField.safeParse(id);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain('is reserved');
    expect(() => parseTokens([{ token: 'long-enough-token', projects: [id] }])).toThrow(/not a valid projectId/);
  });

  it('accepts ids that only contain a reserved word', () => {
    for (const id of ['global-team', 'public1', 'my_public']) expect(createNames(id).projectId).toBe(id);
    expect(projectIdField.safeParse('global-team').success).toBe(true);
    expect(refusal(() => assertProjectId('Global')).message).toContain('projectId must be');
  });
});

describe('stream names across projects', () => {
  it('keeps the two readings of LOOM_X_CH_FOO_CHANNELS apart, and discovery never mistakes a channel stream for a project', () => {
    const ownChannels = createNames('x_ch_foo').channelsStream;
    const dedicated = createNames('x').channelStream('foo_channels');
    expect(ownChannels).toBe('LOOM_X_CH_FOO_CHANNELS');
    expect(dedicated).toBe('LOOM_X_CH~FOO_CHANNELS');
    expect(createNames('x_ch_a').channelStream('b')).not.toBe(createNames('x').channelStream('a_ch_b'));
    expect(projectStreamOf(dedicated)).toBeUndefined();
    expect(projectStreamOf(ownChannels)).toEqual({ projectId: 'x_ch_foo', kind: 'channels' });
  });

  it('never gives two different projects the same stream name', () => {
    const word = fc.constantFrom('x', 'ch', 'foo', 'channels', 'work', 'dlq', 'events', 'inbox', '1', 'a-b');
    const joined = fc.array(word, { minLength: 1, maxLength: 5 }).map((parts) => parts.join('_'));
    fc.assert(
      fc.property(joined, fc.array(joined, { minLength: 1, maxLength: 3 }), token, (a, channels, other) => {
        if (RESERVED_PROJECT_IDS.includes(a)) return;
        // The other project: a random one, and every one that splices a's id with a piece of one of a's channels
        // ("x" + "_ch_" + "foo" against x's channel foo_channels): the shape of the collisions "_" allowed.
        const others = new Set([other]);
        const theirChannels = new Set(['channels', 'work', ...channels]);
        for (const channel of channels) {
          const pieces = channel.split('_');
          for (let i = 1; i <= pieces.length; i++) {
            others.add(`${a}_ch_${pieces.slice(0, i).join('_')}`);
            theirChannels.add(pieces.slice(i).join('_') || 'x');
          }
        }
        const ours = new Set(streamsOf(a, channels));
        for (const b of others) {
          if (b === a || !TOKEN_PATTERN.test(b) || RESERVED_PROJECT_IDS.includes(b)) continue;
          expect(streamsOf(b, [...theirChannels].filter((c) => TOKEN_PATTERN.test(c))).filter((name) => ours.has(name)), `${a} vs ${b}`).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
