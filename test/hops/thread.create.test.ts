// Hop thread.create (docs/hops.md): every double fault whose verdict points at it, through the real CLI.
// More on this hop: test/hops/clean-up.test.ts, test/unit/agent-run-judge.test.ts (a made-up thread replaced).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { faultRowsAt, itGivesItsVerdict, STALLED_AGENT } from '../support/fault-rows.ts';
import { runCli } from '../support/run-cli.ts';

describe("hop thread.create: the double's faults through the CLI", { concurrency: 3 }, () => {
  for (const row of faultRowsAt('thread.create')) itGivesItsVerdict(row);

  it('without a thread the run still plays the agent, with the made-up thread, and says why the 403 matters', async () => {
    const out = await runCli(['demo', '--fault', 'threads_db_403', '--no-gcp', ...STALLED_AGENT]);
    const hops = Object.fromEntries(out.report!.hops.map((h) => [h.name, h]));
    assert.equal(hops['thread.create']?.code, 'DB_SESSION_REFUSED');
    assert.match(hops['thread.create']!.evidence!.join('\n'), /get_request_scoped_db_session/);
    assert.match(out.report!.verdict.summary, /request-scoped database session/);
    assert.doesNotMatch(out.report!.verdict.summary, /SERVICE_SECRET/, 'not secrets in general');
    assert.notEqual(hops['agent.run']?.status, 'skip', 'agent.run ran');
    assert.match(out.report!.transcript?.thread ?? '', /^thread_probe_[0-9a-f]{16}$/);
    assert.equal(out.report!.transcript?.threadSource, 'client');
    assert.equal(
      out.report!.cleanup?.some((c) => c.resource === 'thread'),
      false,
      'no thread of its own to delete',
    );
  });
});
