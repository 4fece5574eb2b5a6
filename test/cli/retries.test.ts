import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../support/run-cli.ts';

describe('--retries', () => {
  it('re-runs a failed attempt; a pass after a failure is flaky and exits 0; the report keeps every attempt', async () => {
    const out = await runCli(['demo', '--fault', 'flaky_first_login', '--retries', '2']);
    assert.equal(out.code, 0, out.stdout + out.stderr);
    const r = out.report!;
    assert.equal(r.result, 'pass');
    assert.equal(r.flaky, true);
    assert.equal(r.attempt, 2);
    assert.deepEqual(
      r.attempts!.map((a) => [a.attempt, a.result, a.verdict.code, a.failedHop]),
      [
        [1, 'fail', 'LOGIN_UNAVAILABLE', 'login'],
        [2, 'pass', 'PASS', null],
      ],
    );
    assert.notEqual(r.attempts![0]!.runId, r.attempts![1]!.runId, 'each attempt is its own run');
    assert.match(out.stdout, /FLAKY/);
  });

  it('fails when the last attempt fails, after retrying the given number of times', async () => {
    const out = await runCli(['demo', '--fault', 'rest_500', '--retries', '1']);
    assert.equal(out.code, 1);
    const r = out.report!;
    assert.equal(r.result, 'fail');
    assert.equal(r.flaky, false);
    assert.deepEqual(
      r.attempts!.map((a) => a.result),
      ['fail', 'fail'],
    );
  });

  it('does not retry a pass and adds nothing without --retries', async () => {
    const out = await runCli(['demo']);
    assert.equal(out.code, 0);
    assert.equal(out.report!.attempts, undefined);
    assert.equal(out.report!.flaky, undefined);
  });
});
