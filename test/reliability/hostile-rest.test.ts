// A sample of generated hostile requests against every weft REST endpoint; the full run is in test:faults.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { startFabric, type Fabric, type WeftProcess } from '../weft/harness.js';
import { weftOperations } from '../../plugins/weft/operations/index.js';
import { OTHER_ROUTES, runHostileRest, type HostileRestReport } from './support/hostile-rest.js';

const TOKEN = 'hostile-rest-token-5b7e21';
let fabric: Fabric;
let weft: WeftProcess;
let nc: NatsConnection;
let report: HostileRestReport;

beforeAll(async () => {
  fabric = await startFabric('hostile-rest');
  // The rate limit is off here: thousands of requests a minute are the point, not an attack to slow down.
  weft = await fabric.startWeft({ API_TOKENS: TOKEN, WEFT_RATE_LIMIT_MAX: '0' });
  nc = await connect({ servers: fabric.nats.url });
  report = await runHostileRest({ url: weft.url, token: TOKEN, jsm: await jetstreamManager(nc), pid: weft.pid, invalidPerEndpoint: 8, validPerEndpoint: 3, seed: 20260202, ignoreStreams: ['KV_weft-global-lease'] });
  process.stderr.write(`[hostile-rest quick] ${JSON.stringify(report.totals)}\n`);
}, 120_000);

afterAll(async () => {
  await nc?.close();
  await fabric?.stop();
});

describe('generated hostile requests to every weft REST endpoint', () => {
  it('covers every operation of the API', () => {
    for (const op of weftOperations) expect(report.endpoints[`${op.method.toUpperCase()} ${op.path}`]?.invalid ?? 0, op.id).toBeGreaterThan(0);
  });

  it('covers the routes that are not operations: events and its ticket, health, OpenAPI, metrics and the dashboard', () => {
    for (const route of OTHER_ROUTES) expect(report.endpoints[route]?.raw ?? 0, route).toBeGreaterThan(0);
  });

  it('answers each invalid request with 400 (or 413) and a coded error naming the field, and no request with a 5xx', () => {
    const failures = Object.entries(report.endpoints).flatMap(([endpoint, tally]) => tally.failures.map((f) => `${endpoint}: ${f}`));
    expect(failures).toEqual([]);
  });

  it('writes nothing to NATS while the requests are invalid', () => {
    expect(report.writesDuringInvalid).toEqual([]);
  });

  it('stays up and healthy', () => {
    expect(report.alive).toBe(true);
    expect(report.healthy).toBe(true);
  });
});
