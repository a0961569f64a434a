// Generates the warp tool table (docs/warp.md) and the messaging JSON Schemas (docs/protocol.md) from the zod schemas.
// Run `npx tsx test/warp/messaging-docs.ts --write` after changing a tool; test/warp/messages-docs.test.ts checks it was.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { agentEntrySchema, channelMessagePayloadSchema, directMessagePayloadSchema, identityRecordSchema, receiptSchema, signingKeyRecordSchema, type AnyToolDefinition } from '../../core/index.js';
import { createTestKernel } from '../../core/testing/kernel.js';
import { warpPreset } from '../../presets/warp.js';
import { readStateSchema } from '../../plugins/services/inbox/read-state.js';
import { seenRecordSchema } from '../../plugins/services/inbox/receipts.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const WARP_DOC = `${root}docs/warp.md`;
export const PROTOCOL_DOC = `${root}docs/protocol.md`;

const GROUPS: Record<string, string> = {
  'tools:identity': 'identity',
  'tools:channels': 'channels',
  'tools:registry': 'registry',
  'tools:messages': 'direct messages',
  'tools:work': 'work',
  'tools:dlq': 'dead letters',
};

/** Every tool of the warp preset, with the plugin that registered it (no NATS needed: tool groups set up lazily). */
async function warpTools(): Promise<Array<{ group: string; tool: AnyToolDefinition }>> {
  const kernel = await createTestKernel({ plugins: [...warpPreset.plugins], config: { storage: 'memory' } });
  try {
    return kernel.registries.tools.entries().map((entry) => ({ group: GROUPS[entry.owner] ?? entry.owner, tool: entry.value }));
  } finally {
    await kernel.stop();
  }
}

function inputFields(schema: z.ZodType): string {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown>; required?: string[] };
  const required = new Set(json.required ?? []);
  const fields = Object.keys(json.properties ?? {}).map((name) => (required.has(name) ? `\`${name}\`*` : `\`${name}\``));
  return fields.length ? fields.join(', ') : '—';
}

function hints(tool: AnyToolDefinition): string {
  const a = tool.annotations ?? {};
  return [a.readOnlyHint ? 'read-only' : 'writes', a.destructiveHint ? 'destructive' : '', a.idempotentHint ? 'idempotent' : ''].filter(Boolean).join(', ');
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

export async function toolTable(): Promise<string> {
  const order = Object.values(GROUPS);
  const tools = (await warpTools()).sort((a, b) => order.indexOf(a.group) - order.indexOf(b.group));
  const rows = tools.map(({ group, tool }) => `| ${group} | \`${tool.name}\` | ${cell(tool.title)}: ${cell(tool.description)} | ${inputFields(tool.input)} | ${hints(tool)} |`);
  return ['| group | tool | what it does | input (`*` required) | hints |', '|---|---|---|---|---|', ...rows].join('\n');
}

export function messagingSchemas(): string {
  const schemas: Array<[string, string, z.ZodType]> = [
    ['Registry entry', 'KV `loom-registry-<p>` key `<agentId>`; `loom-registry-public` and `loom-registry-personal-<principalHash>` key `<projectId>.<agentId>`', agentEntrySchema],
    ['Channel message', 'payload on `loom.<p>.channels.<channel>`', channelMessagePayloadSchema],
    ['Direct message', 'payload on `loom.<p>.inbox.<recipientId>.<senderId>` (`from.agentId` must equal `<senderId>`)', directMessagePayloadSchema],
    ['Receipt', 'KV `loom-receipts-<p>` key `msg.<senderId>.<messageId>`, written by the sender with `state: "sent"`; the state a sender is shown comes from the recipient\'s seen record', receiptSchema],
    ['Seen record', 'KV `loom-receipts-<p>` key `seen.<recipientId>.<messageId>`, written by the recipient only', seenRecordSchema],
    ['Inbox read state', 'KV `loom-receipts-<p>` key `cursor.<agentId>`', readStateSchema],
    ['Identity record', 'KV `loom-identity-<p>` key `<rootAgentId>.root` or `<rootAgentId>.subagent.<type>`', identityRecordSchema],
    ['Signing key', 'KV `loom-keys-<p>` key `<agentId>`, written only by `loom auth --provision`', signingKeyRecordSchema],
  ];
  return schemas
    .map(([title, where, schema]) => `#### ${title}\n\n${where}\n\n\`\`\`json\n${JSON.stringify(z.toJSONSchema(schema, { io: 'output' }), null, 2)}\n\`\`\``)
    .join('\n\n');
}

/** Replaces the text between `<!-- generated:NAME:begin -->` and `<!-- generated:NAME:end -->`. */
export function replaceSection(doc: string, name: string, content: string): string {
  const begin = `<!-- generated:${name}:begin -->`;
  const end = `<!-- generated:${name}:end -->`;
  const from = doc.indexOf(begin);
  const to = doc.indexOf(end);
  if (from < 0 || to < from) throw new Error(`markers ${begin} … ${end} not found`);
  return `${doc.slice(0, from + begin.length)}\n${content}\n${doc.slice(to)}`;
}

export async function renderDocs(): Promise<{ warp: string; protocol: string }> {
  return {
    warp: replaceSection(readFileSync(WARP_DOC, 'utf8'), 'warp-tools', await toolTable()),
    protocol: replaceSection(readFileSync(PROTOCOL_DOC, 'utf8'), 'messaging-schemas', messagingSchemas()),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv.includes('--write')) {
  const docs = await renderDocs();
  writeFileSync(WARP_DOC, docs.warp);
  writeFileSync(PROTOCOL_DOC, docs.protocol);
  process.stdout.write('docs/warp.md and docs/protocol.md regenerated\n');
}
