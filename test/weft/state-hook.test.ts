// What a workStateChange tap in loom.config.ts sees from weft, and what weft reads to get there: each change names the
// state it left, and applying the item's events reads nothing back from weft-<p>-work (weft starts from its last
// write, record-cache.ts), which a raw NATS subscriber on the JetStream get subjects can tell.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startFabric, waitFor, type Fabric, type WeftProcess } from './harness.js';

const PROJECT = 'weft-state-hook';
const CONFIG = `import { appendFileSync } from 'node:fs';
import { definePlugin } from 'loominal';

export default {
  plugins: [
    definePlugin({
      name: 'test:state-log',
      setup(ctx) {
        ctx.hooks.workStateChange.tap((change) => appendFileSync('states.jsonl', JSON.stringify({ pid: process.pid, change }) + '\\n'));
      },
    }),
  ],
};
`;

let fabric: Fabric;
let weft: WeftProcess;
let watcher: NatsConnection;
const gets: string[] = [];

beforeAll(async () => {
  fabric = await startFabric(PROJECT, { 'loom.config.ts': CONFIG });
  weft = await fabric.startWeft();
  watcher = await connect({ servers: fabric.nats.url });
  // Every way a KV get reaches the server: direct gets (subject or body names the key) and stream message gets.
  for (const subject of ['$JS.API.DIRECT.GET.>', '$JS.API.STREAM.MSG.GET.>']) {
    watcher.subscribe(subject, { callback: (_err, msg) => void gets.push(`${msg.subject} ${msg.string()}`) });
  }
  await watcher.flush();
});
afterAll(async () => {
  await watcher?.close();
  await fabric?.stop();
});

interface Change {
  workId: string;
  state: string;
  previous?: string;
  agentId?: string;
}

/** What the tap saw in one process (the agent loads the same loom.config.ts: its work queue reports changes too). */
const changesOf = (workId: string, pid = weft.pid): Change[] => {
  let text = '';
  try {
    text = readFileSync(join(fabric.project.dir, 'states.jsonl'), 'utf8');
  } catch {
    // nothing written yet
  }
  const lines = text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { pid: number; change: Change });
  return lines.filter((line) => line.pid === pid && line.change.workId === workId).map((line) => line.change);
};

describe("weft's work state changes", () => {
  it('name the state they left, in order, and the item is followed to completed without reading its record back', async () => {
    const agent = await fabric.startAgent({ capability: 'echo' });
    await waitFor(async () => (await http(weft.url, 'GET', `/api/agents/${agent.agentId}`)).body?.status === 'online', 'the agent to be online');
    gets.length = 0;
    const submitted = await http(weft.url, 'POST', '/api/work', { body: { description: 'note the release', capability: 'echo' } });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    const workId = submitted.body.workId as string;
    // Followed through the hook, not GET /api/work/:id, which reads the record.
    await waitFor(() => changesOf(workId).some((change) => change.state === 'completed'), () => `the item to complete; seen: ${JSON.stringify(changesOf(workId))}`, 60_000);
    expect(changesOf(workId)).toEqual([
      // The work queue's own report of weft's offer (weft is the offering agent), then weft's new record.
      { projectId: PROJECT, workId, state: 'offered', agentId: expect.stringMatching(/^[0-9a-f]{32}$/) },
      { projectId: PROJECT, workId, state: 'pending' },
      { projectId: PROJECT, workId, state: 'assigned', previous: 'pending', agentId: agent.agentId },
      { projectId: PROJECT, workId, state: 'in-progress', previous: 'assigned', agentId: agent.agentId },
      { projectId: PROJECT, workId, state: 'completed', previous: 'in-progress', agentId: agent.agentId },
    ]);
    await watcher.flush();
    // No read: each event starts from weft's own last write, and the offer (which changes no existing record) is not
    // applied at all. Without that cache every event reads first.
    expect(gets.filter((get) => get.includes(`KV_weft-${PROJECT}-work`) && get.includes(workId))).toEqual([]);
  }, 120_000);
});
