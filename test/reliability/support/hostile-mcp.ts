// Feeds every tool of a `loom` MCP server generated hostile input: a coded error naming the field each time, nothing written.
import fc from 'fast-check';
import type { JetStreamManager } from '@nats-io/jetstream';
import { createPresetKernel } from '../../../cli/runtime.js';
import type { AnyToolDefinition } from '../../../core/index.js';
import { formatPath } from '../../../core/zod-issues.js';
import type { McpSession } from '../../../core/testing/mcp-client.js';
import { alive, until, type Fabric } from './fabric.js';
import { hostileInput, tokenFields, validValue, type JsonSchema, type Overrides } from './schema-arbitraries.js';

export interface HostileMcpOptions {
  fabric: Fabric;
  preset: 'warp' | 'pattern' | 'shuttle';
  projectId: string;
  agentId: string;
  /** Invalid inputs per tool (after the oracle filtered out any that happen to be valid). */
  invalidPerTool: number;
  /** Valid (or oracle-accepted hostile) inputs per tool. */
  validPerTool: number;
  seed: number;
}

export interface ToolTally {
  invalid: number;
  valid: number;
  validOk: number;
  injection: number;
  failures: string[];
}

export interface HostileMcpReport {
  preset: string;
  tools: Record<string, ToolTally>;
  /** Streams whose last sequence moved (or that appeared) while only invalid input was sent: must be empty. */
  writesDuringInvalid: string[];
  processAlive: boolean;
  stillAnswers: boolean;
  totals: { invalid: number; valid: number; injection: number; failures: number };
}

/** Keeps waiting calls short: a valid claim_work may wait up to 60 s by schema. */
const VALID_OVERRIDES: Overrides = { timeout: fc.integer({ min: 0, max: 50 }) };

/** Subject-breaking values every token field must refuse. */
const INJECTIONS = ['a.b', '*', '>', 'loom.*.inbox.>', 'a b', 'x\u0000y', 'A', '', '../x'];

/** Names nested where tokenFields does not look: a plan's subtask ids become directories and work ids. */
const NESTED_TARGETS: Record<string, { field: string; input: (value: string) => Record<string, unknown> }> = {
  assess_task: { field: 'subtasks[0]', input: (value) => ({ task: 'a plan', subtasks: [{ id: value, instructions: 'do it' }] }) },
};

const CLEAR_CODES = /^LOOM_ERR_(INVALID_INPUT|INVALID_NAME|UNKNOWN_ID|NOT_FOUND|FORBIDDEN|CONFLICT|LIMIT_REACHED|SENSITIVE_CONTENT|UNSUPPORTED|TIMEOUT): /;

async function snapshot(jsm: JetStreamManager): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for await (const info of jsm.streams.list()) out.set(info.config.name, info.state.last_seq);
  return out;
}

function diff(before: Map<string, number>, after: Map<string, number>): string[] {
  const changed: string[] = [];
  for (const [name, seq] of after) if (before.get(name) !== seq) changed.push(`${name}: ${before.get(name) ?? 'absent'} → ${seq}`);
  return changed;
}

/** The zod input schemas the server validates with: the same preset's tools, from a kernel built like the server's. */
async function toolDefinitions(options: HostileMcpOptions): Promise<Map<string, AnyToolDefinition>> {
  const kernel = await createPresetKernel({ preset: options.preset, env: { ...options.fabric.env(options.projectId, 'd'.repeat(32)), LOG_LEVEL: 'silent' }, cwd: options.fabric.home });
  await kernel.start();
  try {
    return new Map(kernel.registries.tools.values().map((tool) => [tool.name, tool]));
  } finally {
    await kernel.stop();
  }
}

/**
 * The arguments as the server's zod parse meets them: JSON on the wire, and the MCP SDK's own request parsing drops
 * "__proto__" keys (assigning one sets a prototype, it never becomes a field). The oracle must judge that, not our object.
 */
export function asServerSees(input: unknown): unknown {
  const text = JSON.stringify(input);
  try {
    return JSON.parse(text, (key, value: unknown) => (key === '__proto__' ? undefined : value));
  } catch {
    // A reviver recurses: thousands of nesting levels exhaust the stack. Such inputs carry no "__proto__" key.
    return JSON.parse(text);
  }
}

type CallOutcome = { kind: 'result'; isError: boolean; text: string } | { kind: 'protocol-error'; code: number | undefined; text: string };

async function call(session: McpSession, tool: string, input: unknown): Promise<CallOutcome> {
  try {
    const result = await session.raw(tool, input as Record<string, unknown>);
    return { kind: 'result', isError: result.isError === true, text: result.content.map((c) => c.text ?? '').join('\n') };
  } catch (err) {
    return { kind: 'protocol-error', code: (err as { code?: number }).code, text: err instanceof Error ? err.message : String(err) };
  }
}

/** What an invalid input must get: LOOM_ERR_INVALID_INPUT naming the first bad field (protocol InvalidParams if not even an object). */
function checkInvalid(tool: AnyToolDefinition, input: unknown, outcome: CallOutcome): string | null {
  const isObject = typeof input === 'object' && input !== null && !Array.isArray(input);
  if (outcome.kind === 'protocol-error') return !isObject && outcome.code === -32602 ? null : `protocol error ${outcome.code}: ${outcome.text.slice(0, 200)}`;
  if (!outcome.isError) return `accepted invalid input: ${outcome.text.slice(0, 200)}`;
  if (!outcome.text.startsWith(`LOOM_ERR_INVALID_INPUT: ${tool.name}: `)) return `unexpected error: ${outcome.text.slice(0, 300)}`;
  const parsed = tool.input.safeParse(asServerSees(input));
  const issue = parsed.success ? undefined : parsed.error.issues[0];
  if (!issue) return null;
  const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => formatPath([...issue.path, key]) || '(root)') : [formatPath(issue.path) || '(root)'];
  return keys.some((key) => outcome.text.includes(`${key}: `)) ? null : `error does not name ${keys.join('/')}: ${outcome.text.slice(0, 300)}`;
}

function checkValid(outcome: CallOutcome): string | null {
  if (outcome.kind === 'protocol-error') return `protocol error on valid input: ${outcome.text.slice(0, 200)}`;
  if (!outcome.isError) return null;
  return CLEAR_CODES.test(outcome.text) ? null : `unclear error on valid input: ${outcome.text.slice(0, 300)}`;
}

function setPath(input: Record<string, unknown>, field: string, value: string): Record<string, unknown> {
  if (field.endsWith('[]')) return { ...input, [field.slice(0, -2)]: [value] };
  return { ...input, [field]: value };
}

export async function runHostileMcp(options: HostileMcpOptions): Promise<HostileMcpReport> {
  const { fabric } = options;
  const session = await fabric.session(options.preset, options.projectId, options.agentId);
  const listed = (await session.client.listTools()).tools;
  const definitions = await toolDefinitions(options);
  const tools: Record<string, ToolTally> = {};
  for (const tool of listed) tools[tool.name] = { invalid: 0, valid: 0, validOk: 0, injection: 0, failures: [] };

  // Lazy set-up (buckets and streams opened on first use, background loops) happens before the count starts: one valid
  // call of every read-only tool, then three equal snapshots in a row.
  for (const tool of listed.filter((t) => t.annotations?.readOnlyHint)) {
    const input = fc.sample(validValue(tool.inputSchema as JsonSchema, VALID_OVERRIDES), { numRuns: 1, seed: options.seed })[0];
    await call(session, tool.name, input);
  }
  let settled = await snapshot(fabric.jsm);
  let stableFor = 0;
  await until(async () => {
    const next = await snapshot(fabric.jsm);
    stableFor = diff(settled, next).length === 0 && next.size === settled.size ? stableFor + 1 : 0;
    settled = next;
    return stableFor >= 3;
  }, 'the server to finish its start-up writes', 30_000, 300);

  // Phase 1: only invalid input, per the oracle (the very zod schema the server parses with).
  for (const tool of listed) {
    const definition = definitions.get(tool.name)!;
    const tally = tools[tool.name]!;
    const arbitrary = hostileInput(tool.inputSchema as JsonSchema).filter((c) => !definition.input.safeParse(asServerSees(c.input)).success);
    for (const hostile of fc.sample(arbitrary, { numRuns: options.invalidPerTool, seed: options.seed })) {
      tally.invalid++;
      const problem = checkInvalid(definition, hostile.input, await call(session, tool.name, hostile.input));
      if (problem) tally.failures.push(`[${hostile.mutation}] ${problem}`);
    }
    // The injection sweep: every subject-token field refuses every subject-breaking value, naming the field.
    const base = fc.sample(validValue(tool.inputSchema as JsonSchema, VALID_OVERRIDES), { numRuns: 1, seed: options.seed })[0] as Record<string, unknown>;
    for (const field of tokenFields(tool.inputSchema as JsonSchema)) {
      for (const value of INJECTIONS) {
        const input = setPath(base, field, value);
        tally.injection++;
        const outcome = await call(session, tool.name, input);
        const name = field.replace(/\[\]$/, '');
        if (outcome.kind !== 'result' || !outcome.isError || !/^LOOM_ERR_INVALID_(INPUT|NAME): /.test(outcome.text) || !outcome.text.includes(name)) {
          tally.failures.push(`[injection ${field}=${JSON.stringify(value)}] ${outcome.text.slice(0, 200)}`);
        }
      }
    }
  }
  for (const [toolName, target] of Object.entries(NESTED_TARGETS)) {
    const tally = tools[toolName];
    if (!tally) continue;
    for (const value of INJECTIONS) {
      tally.injection++;
      const outcome = await call(session, toolName, target.input(value));
      if (outcome.kind !== 'result' || !outcome.isError || !/^LOOM_ERR_INVALID_(INPUT|NAME): /.test(outcome.text) || !outcome.text.includes(target.field)) {
        tally.failures.push(`[injection ${target.field}=${JSON.stringify(value)}] ${outcome.text.slice(0, 200)}`);
      }
    }
  }
  const writesDuringInvalid = diff(settled, await snapshot(fabric.jsm));

  // Phase 2: valid input (and hostile input the schema happens to accept): a result or a clear coded refusal.
  for (const tool of listed) {
    const definition = definitions.get(tool.name)!;
    const tally = tools[tool.name]!;
    const schema = tool.inputSchema as JsonSchema;
    // Hostile inputs the schema rejects were phase 1's; the ones it accepts (free text full of injection) are skipped-in here.
    const arbitrary = fc.oneof({ arbitrary: validValue(schema, VALID_OVERRIDES), weight: 3 }, { arbitrary: hostileInput(schema, VALID_OVERRIDES).map((c) => c.input), weight: 1 });
    for (const input of fc.sample(arbitrary, { numRuns: options.validPerTool, seed: options.seed })) {
      if (!definition.input.safeParse(asServerSees(input)).success) continue;
      tally.valid++;
      const outcome = await call(session, tool.name, input);
      if (outcome.kind === 'result' && !outcome.isError) tally.validOk++;
      const problem = checkValid(outcome);
      if (problem) tally.failures.push(`[valid ${JSON.stringify(input).slice(0, 120)}] ${problem}`);
    }
  }

  const processAlive = alive(session.pid());
  const stillAnswers = (await session.client.listTools().then(() => true, () => false)) && processAlive;
  // A clean stop: its heartbeats (agents registered by valid calls) must not count as writes in the next preset's run.
  await session.close();
  const all = Object.values(tools);
  return {
    preset: options.preset,
    tools,
    writesDuringInvalid,
    processAlive,
    stillAnswers,
    totals: {
      invalid: all.reduce((sum, t) => sum + t.invalid, 0),
      valid: all.reduce((sum, t) => sum + t.valid, 0),
      injection: all.reduce((sum, t) => sum + t.injection, 0),
      failures: all.reduce((sum, t) => sum + t.failures.length, 0),
    },
  };
}
