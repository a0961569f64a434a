// Thousands of generated hostile requests against every weft REST endpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { startFabric, type Fabric, type WeftProcess } from '../weft/harness.js';
import { runHostileRest, type HostileRestReport } from '../reliability/support/hostile-rest.js';

const SEED = Number(process.env.LOOM_HOSTILE_SEED ?? 777001);
const TOKEN = 'hostile-rest-token-full-19ad';
let fabric: Fabric;
let weft: WeftProcess;
let nc: NatsConnection;
let report: HostileRestReport;

beforeAll(async () => {
  fabric = await startFabric('hostile-rest-full');
  weft = await fabric.startWeft({ API_TOKENS: TOKEN, WEFT_RATE_LIMIT_MAX: '0' });
  nc = await connect({ servers: fabric.nats.url });
  report = await runHostileRest({ url: weft.url, token: TOKEN, jsm: await jetstreamManager(nc), pid: weft.pid, invalidPerEndpoint: 100, validPerEndpoint: 30, seed: SEED, ignoreStreams: ['KV_weft-global-lease'] });
  process.stderr.write(`[hostile-rest] ${JSON.stringify(report.totals)}\n`);
}, 300_000);

afterAll(async () => {
  await nc?.close();
  await fabric?.stop();
});

describe(`hostile requests to every weft REST endpoint (seed ${SEED})`, () => {
  it('sent thousands of requests, at least 100 invalid ones per endpoint', () => {
    expect(Object.values(report.endpoints).filter((t) => t.invalid > 0).every((t) => t.invalid >= 100)).toBe(true);
    expect(report.totals.invalid + report.totals.valid + report.totals.raw).toBeGreaterThanOrEqual(2500);
  });

  it('a coded 400/413 naming the field for each invalid request, and never a 5xx', () => {
    const failures = Object.entries(report.endpoints).flatMap(([endpoint, tally]) => tally.failures.map((f) => `${endpoint}: ${f}`));
    expect(failures).toEqual([]);
  });

  it('nothing written while the requests were invalid; weft stayed up and healthy', () => {
    expect(report.writesDuringInvalid).toEqual([]);
    expect(report.alive).toBe(true);
    expect(report.healthy).toBe(true);
  });
});
