import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CHROMIUM_ARGS, chromiumSandbox } from '../../src/browser-login/chromium.ts';
import { runCli } from '../support/run-cli.ts';

/** The one browser global the page callbacks use (the project's type check has no DOM lib). */
interface BrowserWindow {
  getComputedStyle(element: unknown): { backgroundColor: string };
}

const CHROMIUM = process.env.PROBE_CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('--html: one self-contained file, rendered in Debian Chromium', {
  skip: !existsSync(CHROMIUM) && `no Chromium at ${CHROMIUM} (.ci/run installs it)`,
}, () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'golden-probe-html-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('shows the verdict, the waterfall with the failing hop red and agent events as ticks, the evidence and the trace link', async () => {
    const html = join(dir, 'report.html');
    const out = await runCli([
      'demo',
      '--no-gcp',
      '--fault',
      'rest_403',
      '--html',
      html,
      '--trace-url-template',
      'https://console.cloud.google.com/traces/list?tid={traceId}',
    ]);
    assert.equal(out.code, 1);
    const source = await readFile(html, 'utf8');
    assert.doesNotMatch(source, /<script|<link|src=|url\(/i, 'no script, no external asset');

    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      chromiumSandbox: chromiumSandbox(),
      args: [...CHROMIUM_ARGS],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
      const requested: string[] = [];
      page.on('request', (r) => requested.push(r.url()));
      await page.goto(pathToFileURL(html).href);
      assert.deepEqual(requested, [pathToFileURL(html).href], 'the page fetches nothing else');

      assert.equal(await page.textContent('#verdict-code'), 'FAIL BACKEND_REJECTS_VALID_TOKEN');
      assert.equal(await page.textContent('#verdict-hop'), 'chat.messages.list');
      assert.match((await page.textContent('#verdict-summary')) ?? '', /a token the auth service says is valid/);

      const rows = await page.$$eval('#waterfall .row', (els) =>
        els.map((e) => [e.getAttribute('data-hop'), e.getAttribute('data-status')]),
      );
      assert.deepEqual(rows, [
        ['login', 'pass'],
        ['token', 'pass'],
        ['service.auth', 'pass'],
        ['thread.create', 'pass'],
        ['ws.connect', 'pass'],
        ['agent.run', 'pass'],
        ['chat.messages.list', 'fail'],
        ['chat.messages.create', 'fail'],
      ]);
      const failedBar = await page.$eval(
        '[data-hop="chat.messages.list"] .bar',
        (e) => (globalThis as unknown as BrowserWindow).getComputedStyle(e).backgroundColor,
      );
      assert.equal(failedBar, 'rgb(198, 40, 40)', 'the failing hop is red');
      const passBar = await page.$eval(
        '[data-hop="login"] .bar',
        (e) => (globalThis as unknown as BrowserWindow).getComputedStyle(e).backgroundColor,
      );
      assert.equal(passBar, 'rgb(46, 125, 50)');
      const ticks = await page.$$eval('[data-hop="agent.run"] .tick', (els) =>
        els.map((e) => e.getAttribute('data-event')),
      );
      assert.deepEqual(
        [...new Set(ticks)],
        ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed'],
      );
      // Bars sit on one time axis: a later hop starts further right.
      const left = (hop: string) => page.$eval(`[data-hop="${hop}"] .bar`, (e) => e.getBoundingClientRect().left);
      assert.ok((await left('chat.messages.list')) > (await left('login')));

      const evidence = await page.$$eval('#evidence li', (els) => els.map((e) => e.textContent));
      assert.ok(
        evidence.some((e) => e?.includes('answered HTTP 403: "Not authenticated"')),
        evidence.join('\n'),
      );
      assert.equal(await page.getAttribute('#trace-link', 'href'), out.report!.traceUrl);

      const shot = process.env.HTML_REPORT_SCREENSHOT ?? join(dir, 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      assert.ok(statSync(shot).size > 10_000, 'a real screenshot was saved');
    } finally {
      await browser.close();
    }
  });

  it('at 1280 px no hop code is clipped, each hop has its detail line as in the terminal, and a pass says PASS once', async () => {
    const failing = join(dir, 'mismatch.html');
    const out = await runCli(['demo', '--no-gcp', '--fault', 'service_secret_mismatch', '--html', failing]);
    assert.equal(out.code, 1);
    const passing = join(dir, 'pass.html');
    assert.equal((await runCli(['demo', '--no-gcp', '--html', passing])).code, 0);

    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(pathToFileURL(failing).href);
      const cells = await page.$$eval('#waterfall .hop-code, #waterfall .meta, #waterfall .detail', (els) =>
        els.map((e) => ({
          text: e.textContent ?? '',
          scroll: e.scrollWidth,
          client: e.clientWidth,
          right: e.getBoundingClientRect().right,
        })),
      );
      const codes = out.report!.hops.filter((h) => h.code).map((h) => h.code!);
      assert.ok(codes.includes('SERVICE_SECRET_MISMATCH'), codes.join());
      for (const code of codes)
        assert.ok(
          cells.some((c) => c.text === code),
          `${code} is shown whole`,
        );
      for (const c of cells) {
        assert.ok(c.scroll <= c.client, `"${c.text.slice(0, 60)}" is clipped: ${c.scroll} > ${c.client}`);
        assert.ok(c.right <= 1280, `"${c.text.slice(0, 60)}" runs off the page`);
      }
      // The detail lines say what the terminal's table says, hop by hop.
      const details = await page.$$eval('#waterfall .detail', (els) => els.map((e) => e.textContent ?? ''));
      assert.equal(details.length, out.report!.hops.length);
      for (const detail of details.filter((d) => d !== '')) assert.ok(out.stdout.includes(detail), detail);
      const shot = process.env.HTML_REPORT_SCREENSHOT ?? join(dir, 'mismatch.png');
      await page.screenshot({ path: shot, fullPage: true });
      assert.ok(statSync(shot).size > 10_000, 'a real screenshot was saved');

      await page.goto(pathToFileURL(passing).href);
      assert.equal(await page.textContent('#verdict-code'), 'PASS');
    } finally {
      await browser.close();
    }
  });
});
