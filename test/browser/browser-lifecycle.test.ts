// No Chromium outlives the probe when the login is cut short: SIGTERM while the browser waits for a
// frontend that never answers, and the run deadline passing there (issue 4).
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { runCli } from '../support/run-cli.ts';
import { hangingLogin, pollUntil, probeTmpDir, processesMentioning, SKIP_NO_CHROMIUM } from './support.ts';

const credentials = {
  bypassKey: 'bypass-key-for-browser-tests-000001',
  userEmail: 'browser-user@staging.netrasystems.ai',
  userPassword: 'browser-password-for-tests-000001',
  serviceSecret: 'service-secret-for-browser-tests-01',
  jwtSecret: 'jwt-secret-for-browser-tests-that-is-long-enough-01',
};

describe('the browser is closed when the run is cut short', { skip: SKIP_NO_CHROMIUM }, () => {
  const stage = hangingLogin(credentials);

  function env(tmp: string) {
    return {
      TMPDIR: tmp,
      PROBE_API_URL: stage.double.apiUrl,
      PROBE_AUTH_URL: stage.double.authUrl,
      PROBE_FRONTEND_URL: stage.hanging.url,
      PROBE_USER_EMAIL: credentials.userEmail,
      PROBE_USER_PASSWORD: credentials.userPassword,
    };
  }

  it('SIGTERM mid-login: the run reports RUN_ABORTED at login, and every Chromium process is gone when it exits', async () => {
    const tmp = await probeTmpDir();
    try {
      const seen = stage.hanging.requests.length;
      let sawChromium: string[] = [];
      const out = await runCli(['run', '--login', 'browser'], {
        env: env(tmp.dir),
        onSpawn: (child: ChildProcess) => {
          // Once the browser asked the frontend for its page, the login is under way: stop the probe.
          void pollUntil(
            async () => stage.hanging.requests.length,
            (n) => n > seen,
            20_000,
          ).then(async () => {
            sawChromium = await processesMentioning(tmp.dir);
            child.kill('SIGTERM');
          });
        },
      });
      assert.ok(sawChromium.length > 0, 'Chromium was running when SIGTERM was sent');
      assert.equal(out.code, 143, out.stderr);
      assert.match(out.stderr, /SIGTERM, stopping the run/);
      assert.equal(out.report?.result, 'aborted');
      const login = out.report?.hops[0];
      assert.equal(login?.status, 'skip', JSON.stringify(out.report));
      assert.equal(login?.code, 'RUN_ABORTED');
      assert.match(login?.evidence?.[0] ?? '', /stopped before it finished/);
      assert.deepEqual(await processesMentioning(tmp.dir), []);
      assert.deepEqual(
        (await readdir(tmp.dir)).filter((n) => n.startsWith('golden-probe-chromium-')),
        [],
        'profile removed',
      );
    } finally {
      await tmp.remove();
    }
  });

  it('the run deadline passes mid-login: LOGIN_UNAVAILABLE, and no Chromium left', async () => {
    const tmp = await probeTmpDir();
    try {
      const started = Date.now();
      const out = await runCli(
        [
          'run',
          '--login',
          'browser',
          '--timeout-ms',
          '3000',
          '--agent-timeout-ms',
          '1500',
          '--agent-degraded-ms',
          '500',
        ],
        { env: env(tmp.dir) },
      );
      assert.equal(out.code, 1, out.stderr);
      const login = out.report?.hops[0];
      assert.equal(login?.code, 'LOGIN_UNAVAILABLE', JSON.stringify(out.report));
      assert.match(login?.evidence?.[0] ?? '', /did not finish before the deadline/);
      // A hang detector, not a timing: a step timeout (Chromium's launch) would take 30 s or more.
      assert.ok(Date.now() - started < 25_000, 'the deadline ended the login, not a step timeout');
      assert.deepEqual(await processesMentioning(tmp.dir), []);
    } finally {
      await tmp.remove();
    }
  });
});
