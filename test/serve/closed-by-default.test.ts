// Issue 21, item 5: serve is closed unless told otherwise. Without --oidc-audience it refuses to start unless
// --allow-unauthenticated says the endpoint is open on purpose (then it warns at every start); it listens on
// loopback unless --host says otherwise; POST /run starts no run sooner than --min-run-interval after the last.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../support/run-cli.ts';
import { envFor, postRun, spawnServe, startTestDouble } from './serve-process.ts';

describe('serve: closed by default', () => {
  it('refuses to start without --oidc-audience or --allow-unauthenticated, and --oidc-audience alone (exit 2)', async () => {
    const double = await startTestDouble('healthy');
    try {
      const bare = await runCli(['serve', '--port', '0'], { env: envFor(double), timeoutMs: 20_000 });
      assert.equal(bare.code, 2, bare.stderr);
      assert.match(bare.stderr, /serve needs --oidc-audience AUD with --oidc-allow .* or --allow-unauthenticated/);
      const audienceOnly = await runCli(['serve', '--port', '0', '--oidc-audience', 'https://probe.example.test'], {
        env: envFor(double),
        timeoutMs: 20_000,
      });
      assert.equal(audienceOnly.code, 2, audienceOnly.stderr);
      assert.match(audienceOnly.stderr, /--oidc-audience: needs --oidc-allow/);
      assert.equal(double.requests.length, 0, 'nothing ran');
    } finally {
      await double.close();
    }
  });

  it('open on purpose: listens on 127.0.0.1 by default, warns at start, and POST /run within the interval is 429', async () => {
    const double = await startTestDouble('healthy');
    const serve = await spawnServe(['--min-run-interval', '1m'], envFor(double), 20_000, { defaultHost: true });
    try {
      assert.match(serve.url, /^http:\/\/127\.0\.0\.1:\d+$/, 'loopback unless --host says otherwise');
      const warning = await serve.waitFor((l) => l.event === 'serve.unauthenticated', 5_000, 'the warning');
      assert.equal(warning.severity, 'WARNING');
      assert.match(warning.message ?? '', /POST \/run is open \(--allow-unauthenticated\)/);

      const first = await postRun(serve.url);
      assert.equal(first.status, 200);
      const second = await fetch(`${serve.url}/run`, { method: 'POST' });
      assert.equal(second.status, 429);
      const retryAfter = Number(second.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
      assert.match(((await second.json()) as { error: string }).error, /--min-run-interval/);
      await serve.waitFor((l) => l.event === 'run.too_soon', 5_000, 'the refusal logged');
      assert.equal(serve.lines().filter((l) => l.event === 'run.start').length, 1, 'the refused POST started no run');
    } finally {
      serve.kill();
      await double.close();
    }
  });
});
