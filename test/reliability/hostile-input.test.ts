// A sample of generated hostile input against every MCP tool (warp 20, pattern 10, shuttle 7); the full run is in test:faults.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { createFabric, type Fabric } from './support/fabric.js';
import { runHostileMcp, type HostileMcpReport } from './support/hostile-mcp.js';

let nats: NatsServerHandle;
let fabric: Fabric;
const reports: Record<string, HostileMcpReport> = {};
const EXPECTED_TOOLS = { warp: 20, pattern: 10, shuttle: 7 } as const;

beforeAll(async () => {
  nats = await startNatsServer();
  fabric = await createFabric(nats.url);
  for (const preset of ['warp', 'pattern', 'shuttle'] as const) {
    reports[preset] = await runHostileMcp({ fabric, preset, projectId: `hostile-${preset}`, agentId: '9'.repeat(32), invalidPerTool: 12, validPerTool: 4, seed: 20260101 });
    process.stderr.write(`[hostile-input quick] ${preset} ${JSON.stringify(reports[preset]!.totals)}\n`);
  }
}, 240_000);

afterAll(async () => {
  await fabric?.close();
  await nats?.stop();
});

describe.each(Object.keys(EXPECTED_TOOLS) as Array<keyof typeof EXPECTED_TOOLS>)('generated hostile input to every %s tool', (preset) => {
  it('covers every tool the server lists', () => {
    expect(Object.keys(reports[preset]!.tools)).toHaveLength(EXPECTED_TOOLS[preset]);
    for (const tally of Object.values(reports[preset]!.tools)) expect(tally.invalid).toBeGreaterThan(0);
  });

  it('answers each invalid input with a coded error naming the field, and each valid one with a result or a clear refusal', () => {
    const failures = Object.entries(reports[preset]!.tools).flatMap(([tool, tally]) => tally.failures.map((f) => `${tool}: ${f}`));
    expect(failures).toEqual([]);
  });

  it('refuses every subject-injection attempt in every name field', () => {
    expect(reports[preset]!.totals.injection).toBeGreaterThan(0);
  });

  it('writes nothing to NATS while the input is invalid', () => {
    expect(reports[preset]!.writesDuringInvalid).toEqual([]);
  });

  it('stays up and keeps answering', () => {
    expect(reports[preset]!.processAlive).toBe(true);
    expect(reports[preset]!.stillAnswers).toBe(true);
  });
});
