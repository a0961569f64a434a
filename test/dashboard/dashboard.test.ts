// The dashboard in a real browser (Debian's chromium) against a running weft: token login, live agents and work,
// retry and discard of dead letters, spin-ups of a target, an orchestration's progress; ends with a screenshot.
// The first two tests open the page with ?poll=off: without its 5 s re-read, only /api/events can bring the updates
// they wait for, so a broken event stream fails them instead of being hidden by the poll.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnMcpServer, type McpSession } from '../../core/testing/mcp-client.js';
import { http, startFabric, waitFor, WORKER, type Fabric, type WeftProcess } from '../weft/harness.js';
import { launchChromium, type Browser } from './browser.js';

const TOKEN = 'dashboard-token-0001';
const PROJECT = 'dash-demo';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let fabric: Fabric;
let weft: WeftProcess;
let browser: Browser;
let page: Page;
let shuttle: McpSession | undefined;
const eventUrls: string[] = [];

const api = <T = any>(method: string, path: string, body?: unknown) => http<T>(weft.url, method, path, { token: TOKEN, ...(body !== undefined ? { body } : {}) });
/** Waits for the element, and returns a locator: panels are redrawn as data changes, so element handles go stale. */
const visible = async (selector: string, timeout = 30_000) => {
  await page.waitForSelector(selector, { state: 'visible', timeout });
  return page.locator(selector);
};
const textOf = async (selector: string) => (await page.locator(selector).first().textContent()) ?? '';

beforeAll(async () => {
  fabric = await startFabric(PROJECT);
  weft = await fabric.startWeft({ API_TOKENS: TOKEN, LOG_LEVEL: 'debug', LOOMINAL_SPIN_UP_CHECK_MS: '500' });
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/events') eventUrls.push(request.url());
  });
}, 120_000);

afterAll(async () => {
  // Agents a target started run detached from weft: stop them by the pid their mechanism recorded.
  const spawned = weft ? await api<{ items: Array<{ handle: { pid?: number } }> }>('GET', '/api/spin-ups/agents').catch(() => undefined) : undefined;
  for (const agent of spawned?.body.items ?? []) if (agent.handle.pid) process.kill(agent.handle.pid, 'SIGKILL');
  await shuttle?.close().catch(() => undefined);
  await browser?.close();
  await fabric?.stop();
});

describe('the weft dashboard in a browser', () => {
  it('asks for the API token, then shows an agent coming online and a work item completing, live', async () => {
    await page.goto(`${weft.url}/?poll=off`);
    await visible('#login');
    await page.fill('#token', TOKEN);
    await page.click('#login button[type=submit]');
    await visible('#main');
    await visible('[data-testid=live].on');

    const agent = await fabric.startAgent({ capability: 'docs', agentType: 'claude-code' });
    const row = await visible(`[data-testid=agent-row][data-agent-id="${agent.agentId}"][data-status=online]`);
    expect(await row.textContent()).toContain('claude-code');

    const submitted = await api('POST', '/api/work', { description: 'update the changelog for 0.2', capability: 'docs' });
    expect(submitted.status).toBe(201);
    const done = await visible(`[data-testid=work-row][data-work-id="${submitted.body.workId}"][data-state=completed]`);
    expect(await done.textContent()).toContain('update the changelog for 0.2');
    expect(await done.textContent()).toContain(agent.agentId.slice(0, 8));

    // The event stream was opened with a single-use ticket, never the token; neither reached weft's logs.
    expect(eventUrls.length).toBeGreaterThan(0);
    const ticket = new URL(eventUrls[0]!).searchParams.get('ticket');
    expect(ticket).toBeTruthy();
    expect(eventUrls.join(' ')).not.toContain(TOKEN);
    expect(weft.stderr()).not.toContain(TOKEN);
    expect(weft.stderr()).not.toContain(ticket!);
  });

  it('puts a dead letter back on its queue when Retry is clicked, and removes one when Discard is clicked twice', async () => {
    const flaky = await fabric.startAgent({ capability: 'flaky' });
    const failing = await api('POST', '/api/work', { description: 'fail: disk full', capability: 'flaky' });
    const other = await api('POST', '/api/work', { description: 'fail: lint found 3 errors', capability: 'flaky' });
    const dead = await visible(`[data-testid=dlq-row][data-work-id="${failing.body.workId}"]`);
    await visible(`[data-testid=dlq-row][data-work-id="${other.body.workId}"]`);
    expect(await dead.textContent()).toContain('disk full');
    // With no agent left for the capability, the retried item stays on its queue where the page can show it.
    await flaky.kill('SIGTERM');

    await dead.locator('[data-testid=dlq-retry]').click();
    await page.waitForSelector(`[data-testid=dlq-row][data-work-id="${failing.body.workId}"]`, { state: 'detached', timeout: 30_000 });
    await visible('[data-testid=queue-row][data-capability=flaky]');
    await waitFor(async () => (await textOf('[data-testid=queue-row][data-capability=flaky] [data-testid=queue-depth]')) === '1', 'the flaky queue to show the retried item');
    await visible(`[data-testid=work-row][data-work-id="${failing.body.workId}"][data-state=pending]`);
    expect((await api('GET', '/api/stats')).body.queueDepth.flaky).toBe(1);

    const otherRow = `[data-testid=dlq-row][data-work-id="${other.body.workId}"]`;
    const listed = async () => (await api<{ items: Array<{ workId: string }> }>('GET', `/api/dlq?projectId=${PROJECT}`)).body.items.map((item) => item.workId);
    expect(await listed()).toContain(other.body.workId);
    // The first click only arms the button (discard asks twice).
    await page.locator(`${otherRow} [data-testid=dlq-discard]`).click();
    await visible(`${otherRow} [data-testid=dlq-discard][data-armed="1"]`);
    await page.locator(`${otherRow} [data-testid=dlq-discard]`).click();
    await page.waitForSelector(otherRow, { state: 'detached', timeout: 30_000 });
    expect(await listed()).not.toContain(other.body.workId);
  });

  it('shows a target with its recent spin-ups and an orchestration with per-subtask progress, and saves a screenshot', async () => {
    // Spin-up attempts have no event of their own: this page polls (the token stays in the tab's sessionStorage).
    await page.goto(`${weft.url}/`);
    await visible('#main');
    await visible('[data-testid=live].on');
    const created = await api('POST', '/api/targets', {
      id: 'laptop',
      name: 'This laptop',
      mechanism: 'local',
      agentType: 'copilot',
      capabilities: ['review'],
      cooldownMs: 600_000,
      config: { command: ['loom', 'agent', '--capability', 'review', '--agent-type', 'copilot', '--grace-ms', '0', '--', process.execPath, WORKER], cwd: fabric.project.dir },
    });
    expect(created.status).toBe(201);
    const started = await api('POST', '/api/targets/laptop/spin-up', { reason: 'dashboard test' });
    expect(started.body.outcome).toBe('started');
    expect((await api('POST', '/api/targets/laptop/spin-up', { reason: 'again, inside the cooldown' })).body.outcome).toBe('cooldown');
    await visible('[data-testid=target-row][data-target-id=laptop]');
    await waitFor(async () => {
      const text = await textOf('[data-testid=target-row][data-target-id=laptop]');
      return text.includes('started') && text.includes('cooldown');
    }, 'the target row to list both attempts');
    await visible(`[data-testid=agent-row][data-agent-id="${started.body.agentId}"]`);

    shuttle = await spawnMcpServer({ args: ['shuttle'], env: fabric.env({ LOOMINAL_AGENT_ID: 'c'.repeat(32), SHUTTLE_WORK_DIR: join(fabric.project.dir, 'shuttle-work') }), cwd: fabric.project.dir });
    const plan = await shuttle.call<{ orchestrationId: string }>('assess_task', {
      task: 'Prepare the 0.2 release notes',
      subtasks: [
        { id: 'changes', instructions: 'List the user-visible changes since 0.1', capability: 'docs' },
        { id: 'notes', instructions: 'Write the release notes from the list', capability: 'docs', dependsOn: ['changes'] },
      ],
    });
    await shuttle.call('spawn_subagents', { orchestrationId: plan.orchestrationId });
    const row = `[data-testid=orchestration-row][data-orchestration-id="${plan.orchestrationId}"]`;
    await visible(row);
    await waitFor(async () => (await textOf(row)).includes('2 / 2 subtasks done'), 'both subtasks to show as done', 45_000);
    expect(await page.locator(`${row} [data-testid=subtask][data-state=completed]`).count()).toBe(2);

    await page.evaluate('window.scrollTo(0, 0)');
    mkdirSync(join(ROOT, 'test-results'), { recursive: true });
    const shot = join(ROOT, 'test-results', 'dashboard.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(existsSync(shot)).toBe(true);
    // docs/dashboard.png is committed: refreshed on request (LOOM_UPDATE_SCREENSHOT=1) or when missing, not on every run.
    const docsShot = join(ROOT, 'docs', 'dashboard.png');
    if (process.env.LOOM_UPDATE_SCREENSHOT === '1' || !existsSync(docsShot)) copyFileSync(shot, docsShot);
  });
});
