// Thousands of generated hostile inputs against all 37 MCP tools (warp 20, pattern 10, shuttle 7).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { createFabric, type Fabric } from '../reliability/support/fabric.js';
import { runHostileMcp, type HostileMcpReport } from '../reliability/support/hostile-mcp.js';

const SEED = Number(process.env.LOOM_HOSTILE_SEED ?? 424242);
const EXPECTED_TOOLS = { warp: 20, pattern: 10, shuttle: 7 } as const;
let nats: NatsServerHandle;
let fabric: Fabric;
const reports: Record<string, HostileMcpReport> = {};

beforeAll(async () => {
  nats = await startNatsServer();
  fabric = await createFabric(nats.url);
  for (const preset of ['warp', 'pattern', 'shuttle'] as const) {
    reports[preset] = await runHostileMcp({ fabric, preset, projectId: `hostile-full-${preset}`, agentId: '8'.repeat(32), invalidPerTool: 150, validPerTool: 40, seed: SEED });
    process.stderr.write(`[hostile-input] ${preset} ${JSON.stringify(reports[preset]!.totals)}\n`);
  }
}, 300_000);

afterAll(async () => {
  await fabric?.close();
  await nats?.stop();
});

describe(`hostile input to every MCP tool (seed ${SEED})`, () => {
  it('sent thousands of cases in total, at least 150 invalid ones to each of the 37 tools', () => {
    const all = Object.values(reports).flatMap((r) => Object.values(r.tools));
    expect(all).toHaveLength(37);
    expect(all.every((t) => t.invalid >= 150)).toBe(true);
    const total = Object.values(reports).reduce((sum, r) => sum + r.totals.invalid + r.totals.valid + r.totals.injection, 0);
    expect(total).toBeGreaterThanOrEqual(5000);
  });

  it.each(Object.keys(EXPECTED_TOOLS))('%s: a coded error naming the field for every invalid input, no unclear error for valid ones', (preset) => {
    const failures = Object.entries(reports[preset]!.tools).flatMap(([tool, tally]) => tally.failures.map((f) => `${tool}: ${f}`));
    expect(failures).toEqual([]);
  });

  it.each(Object.keys(EXPECTED_TOOLS))('%s: nothing written while the input was invalid, and the server stayed up', (preset) => {
    expect(reports[preset]!.writesDuringInvalid).toEqual([]);
    expect(reports[preset]!.processAlive).toBe(true);
    expect(reports[preset]!.stillAnswers).toBe(true);
  });
});
