// Issue 4: playwright-core is loaded only in browser mode. The CLI runs with a preload that records every
// module it resolves; an e2e and a password run must not touch playwright-core, and a browser run must
// (which shows the recorder sees it when it is there).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../support/run-cli.ts';
import { probeTmpDir, SKIP_NO_CHROMIUM } from './support.ts';

const PRELOAD = fileURLToPath(new URL('./record-module-loads.ts', import.meta.url));

async function modulesLoadedBy(args: string[]): Promise<{ code: number | null; stderr: string; urls: string[] }> {
  const tmp = await probeTmpDir();
  try {
    const record = join(tmp.dir, 'modules.txt');
    const out = await runCli(args, {
      env: { NODE_OPTIONS: `--import=${PRELOAD}`, RECORD_MODULE_LOADS_TO: record, TMPDIR: tmp.dir },
    });
    const urls = (await readFile(record, 'utf8')).split('\n').filter((l) => l !== '');
    return { code: out.code, stderr: out.stderr, urls };
  } finally {
    await tmp.remove();
  }
}

const playwright = (urls: string[]) => urls.filter((u) => u.includes('/node_modules/playwright-core/'));

describe('playwright-core is loaded by browser mode only', () => {
  for (const mode of ['e2e', 'password']) {
    it(`--login ${mode}: the run passes and no playwright-core module is resolved`, async () => {
      const { code, stderr, urls } = await modulesLoadedBy(['demo', '--login', mode]);
      assert.equal(code, 0, stderr);
      assert.ok(
        urls.some((u) => u.endsWith('/src/hops/login.ts')),
        'the recorder saw the run (the login hop module)',
      );
      assert.ok(
        !urls.some((u) => u.endsWith('/src/browser-login/browser-login.ts')),
        'the browser login module was not loaded',
      );
      assert.deepEqual(playwright(urls), []);
    });
  }

  it('--login browser: playwright-core is resolved (the recorder would see it)', {
    skip: SKIP_NO_CHROMIUM,
  }, async () => {
    const { code, stderr, urls } = await modulesLoadedBy(['demo', '--login', 'browser']);
    assert.equal(code, 0, stderr);
    assert.ok(playwright(urls).length > 0, 'playwright-core modules were recorded');
  });
});
