import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../support/run-cli.ts';

describe('--users N', () => {
  it('runs N independent users and aggregates each hop', async () => {
    const out = await runCli(['demo', '--no-gcp', '--users', '20']);
    assert.equal(out.code, 0, out.stderr);
    const users = out.report!.users!;
    assert.deepEqual([users.count, users.passed, users.failed, users.verdicts], [20, 20, 0, { PASS: 20 }]);
    assert.deepEqual(
      users.perHop.map((h) => [h.hop, h.pass + h.degraded]),
      out.report!.hops.map((h) => [h.name, 20]),
    );
    for (const h of users.perHop) {
      assert.ok(h.p50Ms !== null && h.p95Ms !== null && h.maxMs !== null, h.hop);
      assert.ok(h.p50Ms <= h.p95Ms && h.p95Ms <= h.maxMs, `${h.hop} percentiles are ordered`);
    }
    assert.match(out.stdout, /20 users: 20 passed/);
  });

  it('reports a frame from another user on a socket as CROSS_USER_EVENT', async () => {
    const out = await runCli(['demo', '--users', '3', '--fault', 'cross_user_leak']);
    assert.equal(out.code, 1);
    assert.equal(out.report!.verdict.code, 'CROSS_USER_EVENT');
    assert.equal(out.report!.failedHop, 'agent.run');
    assert.deepEqual(out.report!.users!.verdicts, { CROSS_USER_EVENT: 3 });
    assert.match(out.report!.verdict.evidence[0]!, /for user "other-user-7f3a", not this run's user/);
  });
});
