// service:channels options: the default channels, retention, and which channels need a stream of their own.
import { z } from 'zod';
import { tokenSchema, type ChannelInfo, type Names } from '../../../core/index.js';

export const DEFAULT_CHANNELS = [
  { name: 'roadmap', description: 'Plans, priorities and milestones: post direction changes and what comes next.' },
  { name: 'parallel-work', description: 'Work in progress: say what you start, what you finish and which files you touch, so agents do not collide.' },
  { name: 'errors', description: 'Problems others should know about: failing builds or tests, broken environments, blocked work.' },
] as const;

const DAY_MS = 24 * 60 * 60 * 1000;

const channelSpecSchema = z.strictObject({
  name: tokenSchema,
  description: z.string().max(1000).default(''),
  /** Its own max age: the channel then gets a stream of its own. */
  maxAgeMs: z.number().int().positive().optional(),
  /** Its own message limit: the channel then gets a stream of its own. */
  maxMessages: z.number().int().positive().optional(),
});

export const channelsOptionsSchema = z.strictObject({
  /** Channels added to (or, by name, replacing) the defaults; .loominal-config.json `channels` lands here. */
  channels: z.array(channelSpecSchema).default([]),
  includeDefaultChannels: z.boolean().default(true),
  /** Messages kept per channel in the shared stream (max_msgs_per_subject). */
  maxMessagesPerChannel: z.coerce.number().int().positive().default(10_000),
  /** Age after which the server removes a message from the shared stream. */
  maxAgeMs: z.coerce.number().int().positive().default(DAY_MS),
  /** How long one pull of a history read may go unanswered before the read fails (the server answers no-wait pulls at once). */
  fetchTimeoutMs: z.coerce.number().int().min(1000).default(5000),
});
export type ChannelsOptions = z.output<typeof channelsOptionsSchema>;

export interface ResolvedChannel extends ChannelInfo {
  subject: string;
  /** True when the channel's retention differs from the shared stream's. */
  dedicated: boolean;
}

export function resolveChannels(options: ChannelsOptions, names: Names): Map<string, ResolvedChannel> {
  const specs = new Map<string, z.output<typeof channelSpecSchema>>();
  if (options.includeDefaultChannels) for (const channel of DEFAULT_CHANNELS) specs.set(channel.name, { ...channel });
  for (const channel of options.channels) specs.set(channel.name, { ...channel, description: channel.description || specs.get(channel.name)?.description || '' });
  const out = new Map<string, ResolvedChannel>();
  for (const spec of specs.values()) {
    const maxAgeMs = spec.maxAgeMs ?? options.maxAgeMs;
    const maxMessages = spec.maxMessages ?? options.maxMessagesPerChannel;
    const dedicated = maxAgeMs !== options.maxAgeMs || maxMessages !== options.maxMessagesPerChannel;
    out.set(spec.name, {
      name: spec.name,
      description: spec.description,
      maxAgeMs,
      maxMessages,
      stream: dedicated ? names.channelStream(spec.name) : names.channelsStream,
      subject: names.channelSubject(spec.name),
      dedicated,
    });
  }
  return out;
}
