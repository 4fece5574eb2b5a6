// --every never runs two at once (a tick during a run is skipped and logged), and SIGTERM ends serve
// promptly with exit 0 even with a run in flight.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RecordedRequest } from '../../src/double/index.ts';
import type { Report } from '../../src/report/types.ts';
import { envFor, getText, postRun, sampleValue, spawnServe, startTestDouble } from './serve-process.ts';

describe('serve: --every', () => {
  it('runs at start and on the interval, skips (and logs) ticks while a run is still going, never overlaps', async () => {
    // Each run takes ≥ 2 s (the double's agent), the interval is 700 ms: every run spans two or more ticks.
    const double = await startTestDouble('slow_agent', { slowAgentMs: 2_000 });
    const serve = await spawnServe(['--every', '700ms', '--agent-degraded-ms', '1000'], envFor(double));
    try {
      const ended = () => serve.lines().filter((l) => l.event === 'run.end').length;
      await serve.waitFor(() => ended() >= 2, 30_000, 'two scheduled runs to finish');
      const metrics = (await getText(`${serve.url}/metrics`)).text;
      const stopped = await serve.stop('SIGTERM');
      assert.equal(stopped.code, 0, serve.stderr());

      const lines = serve.lines();
      const skipped = lines.filter((l) => l.event === 'tick.skipped');
      assert.ok(skipped.length >= 2, `ticks were skipped (${skipped.length})`);
      for (const l of skipped) {
        assert.equal(l.severity, 'WARNING');
        assert.match(l.message!, /scheduled run skipped: the previous run is still going/);
      }
      assert.ok((sampleValue(metrics, 'probe_skipped_ticks_total') ?? 0) >= 1);
      assert.ok((sampleValue(metrics, 'probe_runs_total', { result: 'degraded' }) ?? 0) >= 2);

      // Our own account: starts and ends alternate, and every start is a scheduled one.
      const events = lines.filter((l) => l.event === 'run.start' || l.event === 'run.end').map((l) => l.event);
      for (const [i, e] of events.entries()) {
        assert.equal(e, i % 2 === 0 ? 'run.start' : 'run.end', `run events alternate: ${events.join(' ')}`);
      }
      assert.ok(lines.filter((l) => l.event === 'run.start').every((l) => l.trigger === 'schedule'));

      // The double's account: between two logins there is exactly one WebSocket upgrade, and the previous
      // run's last request (the chat read-back after the agent run) came before the next login.
      const seen = [...double.requests].sort((a, b) => a.startedAt - b.startedAt);
      const logins = seen
        .map((r, i) => [r, i] as const)
        .filter(([r]) => r.service === 'auth' && r.path === '/auth/e2e/test-auth');
      assert.ok(logins.length >= 2, `${logins.length} runs reached the double`);
      for (let k = 0; k + 1 < logins.length; k++) {
        const segment: RecordedRequest[] = seen.slice(logins[k]![1] + 1, logins[k + 1]![1]);
        assert.equal(segment.filter((r) => r.upgrade).length, 1, `run ${k + 1} has its own single socket`);
        const upgradeAt = segment.findIndex((r) => r.upgrade);
        assert.ok(
          segment
            .slice(upgradeAt)
            .some((r) => r.service === 'backend' && r.method === 'GET' && r.path === '/api/chat/messages'),
          `run ${k + 1} finished its chat hops before run ${k + 2} logged in`,
        );
      }
    } finally {
      serve.kill();
      await double.close();
    }
  });
});

describe('serve: SIGTERM', () => {
  it('exits 0 promptly with a run in flight; the waiting POST /run gets 503 with the aborted report', async () => {
    // The agent would take 20 s: the run is certainly still going when the signal arrives.
    const double = await startTestDouble('slow_agent', { slowAgentMs: 20_000 });
    const serve = await spawnServe([], envFor(double));
    try {
      const pending = postRun(serve.url);
      await serve.waitFor((l) => l.hop === 'ws.connect' && l.status === 'pass', 15_000, 'the run to reach the agent');
      const stopped = await serve.stop('SIGTERM', 15_000);
      assert.equal(stopped.code, 0, serve.stderr());
      assert.ok(stopped.ms < 8_000, `exited ${Math.round(stopped.ms)} ms after SIGTERM`);

      const res = await pending;
      assert.equal(res.status, 503);
      assert.match(res.json.error as string, /aborted: the probe is shutting down/);
      const report = res.json.report as Report;
      assert.equal(report.verdict.code, 'RUN_ABORTED');
      // Interrupted is not failed: the hop it was in is skipped with the code, the result is aborted.
      assert.equal(report.result, 'aborted');
      assert.equal(report.hops.find((h) => h.name === 'agent.run')?.status, 'skip');

      const events = serve
        .lines()
        .map((l) => l.event)
        .filter(Boolean);
      assert.ok(events.indexOf('stopping') < events.indexOf('stopped'), events.join(' '));
      assert.match(serve.stderr(), /SIGTERM, stopping serve \(no new runs; the one in flight is stopped\)/);
    } finally {
      serve.kill();
      await double.close();
    }
  });

  it('exits 0 at once when idle, with --every set', async () => {
    const double = await startTestDouble('healthy');
    const serve = await spawnServe(['--every', '1m'], envFor(double));
    try {
      await serve.waitFor((l) => l.event === 'run.end', 15_000, 'the first scheduled run');
      const stopped = await serve.stop('SIGINT', 15_000);
      assert.equal(stopped.code, 0, serve.stderr());
      assert.ok(stopped.ms < 5_000, `exited ${Math.round(stopped.ms)} ms after SIGINT`);
      assert.equal(serve.lines().filter((l) => l.event === 'run.start').length, 1);
    } finally {
      serve.kill();
      await double.close();
    }
  });
});
