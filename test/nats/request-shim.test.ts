// The request shim against a real nats-server: requests answer, fail and time out as before, minus one dead Error each.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { skipSettledRequestErrors } from '../../core/nats/request-shim.js';

// The module nats.js's RequestOne takes RequestError from (not in its exports map, so by file).
const require = createRequire(import.meta.url);
const errorsModule = require(join(dirname(require.resolve('@nats-io/nats-core')), 'errors.js')) as { RequestError: new (message?: string, options?: ErrorOptions) => Error };

let server: NatsServerHandle;
let nc: NatsConnection;

/** How many RequestErrors `run` makes, by swapping in a counting subclass for its duration. */
async function requestErrorsMadeBy(run: () => Promise<unknown>): Promise<number> {
  const Original = errorsModule.RequestError;
  let made = 0;
  errorsModule.RequestError = class extends Original {
    constructor(message?: string, options?: ErrorOptions) {
      super(message, options);
      made++;
    }
  };
  try {
    await run();
  } finally {
    errorsModule.RequestError = Original;
  }
  return made;
}

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url, noAsyncTraces: true });
  nc.subscribe('echo', { callback: (_err, msg) => void msg.respond(msg.data) });
  await nc.flush();
}, 60_000);

afterAll(async () => {
  await nc?.close();
  await server?.stop();
});

describe('skipSettledRequestErrors', () => {
  it('applies to the nats.js in use (false would mean an upgrade changed what it patches)', () => {
    expect(skipSettledRequestErrors()).toBe(true);
    expect(skipSettledRequestErrors()).toBe(true);
  });

  it('answered requests resolve with their reply and no longer make an Error each', async () => {
    skipSettledRequestErrors();
    const made = await requestErrorsMadeBy(async () => {
      for (let i = 0; i < 50; i++) expect(new TextDecoder().decode((await nc.request('echo', `m${i}`, { timeout: 5000 })).data)).toBe(`m${i}`);
    });
    expect(made).toBe(0);
  });

  it('a request nobody answers still fails as no responders, and one that gets no reply still times out', async () => {
    skipSettledRequestErrors();
    const noResponders = await nc.request('nobody.listens', 'x', { timeout: 5000 }).then(
      () => undefined,
      (err: unknown) => err as Error & { isNoResponders?(): boolean },
    );
    expect(noResponders).toBeInstanceOf(Error);
    expect(noResponders?.isNoResponders?.()).toBe(true);
    nc.subscribe('silent', { callback: () => undefined });
    await nc.flush();
    const started = Date.now();
    const timedOut = await nc.request('silent', 'x', { timeout: 300 }).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(timedOut).toBeInstanceOf(Error);
    expect(timedOut?.name).toBe('TimeoutError');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });
});
