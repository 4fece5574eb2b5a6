// The /metrics text in-process (prom-client on a registry of the serve's own): histogram shape, the serve-mode
// counters and gauges, the process metrics, and (when Debian's promtool is installed) Prometheus's own linter.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { HopReport, Report, RunResult } from '../../src/report/types.ts';
import { formatDuration, parseDuration } from '../../src/serve/duration.ts';
import { ServeMetrics } from '../../src/serve/serve-metrics.ts';
import { sampleValue } from './serve-process.ts';

const PROMTOOL = '/usr/bin/promtool';

function report(result: RunResult, extra: Partial<Report> = {}): Report {
  const hops: HopReport[] = [
    { name: 'login', status: 'pass', durationMs: 40, startMs: 0 },
    { name: 'ws.connect', status: 'pass', durationMs: 300, startMs: 40 },
    {
      name: 'agent.run',
      status: result === 'degraded' ? 'degraded' : 'pass',
      durationMs: 1_200,
      startMs: 340,
      events: [
        { type: 'agent_started', atMs: 30 },
        { type: 'agent_completed', atMs: 1_150 },
        { type: 'Not A Label', atMs: 5 },
      ],
    },
    { name: 'chat.messages.list', status: result === 'fail' ? 'fail' : 'pass', durationMs: 20, startMs: 1_540 },
    { name: 'chat.messages.create', status: 'skip', durationMs: 0, startMs: 1_560 },
  ];
  return {
    schema: 'golden-path-probe/report@1',
    probe: 'golden-path',
    runId: 'r',
    attempt: 1,
    target: { api: 'http://a', auth: 'http://b', ws: 'ws://a/ws' },
    startedAt: new Date(0).toISOString(),
    durationMs: 1_600,
    result,
    failedHop: result === 'fail' ? 'chat.messages.list' : null,
    verdict:
      result === 'fail'
        ? { code: 'BACKEND_ERROR', hop: 'chat.messages.list', summary: 's', evidence: [] }
        : { code: result === 'pass' ? 'PASS' : 'LATENCY_DEGRADED', hop: null, summary: 's', evidence: [] },
    traceId: null,
    traceUrl: null,
    hops,
    ...extra,
  };
}

describe('ServeMetrics', () => {
  it('shows counters and alerting at 0 before any run, and no probe_success until there is one', async () => {
    const text = await new ServeMetrics(1, [undefined]).render();
    assert.equal(sampleValue(text, 'probe_success'), undefined);
    assert.equal(sampleValue(text, 'probe_runs_total', { result: 'fail' }), 0);
    assert.equal(sampleValue(text, 'probe_alerting'), 0);
    assert.equal(sampleValue(text, 'probe_consecutive_failures'), 0);
    assert.equal(sampleValue(text, 'probe_flaky_runs_total'), 0);
    assert.doesNotMatch(text, /probe_last_verdict_info\{/);
  });

  it("shows the process's own health: resident memory, heap, event-loop lag, handles", async () => {
    const text = await new ServeMetrics(1, [undefined]).render();
    const names = ['process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds'];
    for (const name of [...names, 'nodejs_active_handles_total']) {
      assert.ok((sampleValue(text, name) ?? -1) >= 0, name);
    }
  });

  it('keeps each serve process its own registry: two do not share a count', async () => {
    const a = new ServeMetrics(1, [undefined]);
    const b = new ServeMetrics(1, [undefined]);
    a.observe(report('pass'), false, new Date());
    assert.equal(sampleValue(await a.render(), 'probe_runs_total', { result: 'pass' }), 1);
    assert.equal(sampleValue(await b.render(), 'probe_runs_total', { result: 'pass' }), 0);
  });

  it('counts runs by result, flaky runs, and turns alerting on after K failures in a row and off after a pass', async () => {
    const m = new ServeMetrics(2, [undefined]);
    m.observe(report('pass', { flaky: true }), false, new Date(1_700_000_000_000));
    let text = await m.render();
    assert.equal(sampleValue(text, 'probe_success'), 1);
    assert.equal(sampleValue(text, 'probe_flaky_runs_total'), 1);
    assert.equal(sampleValue(text, 'probe_last_run_timestamp_seconds'), 1_700_000_000);
    assert.equal(
      sampleValue(text, 'probe_last_verdict_info', { code: 'PASS', hop: '', result: 'pass', probe: 'golden-path' }),
      1,
    );

    m.observe(report('fail'), true, new Date());
    text = await m.render();
    assert.equal(sampleValue(text, 'probe_success'), 0);
    assert.equal(sampleValue(text, 'probe_consecutive_failures'), 1);
    assert.equal(sampleValue(text, 'probe_alerting'), 0);
    assert.equal(
      sampleValue(text, 'probe_last_verdict_info', {
        code: 'BACKEND_ERROR',
        hop: 'chat.messages.list',
        result: 'fail',
        probe: 'golden-path',
      }),
      1,
    );
    assert.equal(
      sampleValue(text, 'probe_last_verdict_info', { code: 'PASS', hop: '', result: 'pass', probe: 'golden-path' }),
      undefined,
      'one info series: the last verdict',
    );

    m.observe(report('fail'), true, new Date());
    text = await m.render();
    assert.equal(sampleValue(text, 'probe_consecutive_failures'), 2);
    assert.equal(sampleValue(text, 'probe_alerting'), 1);

    // Degraded is success for probe_success; under --fail-on-degraded it still counts as a failed run.
    m.observe(report('degraded'), true, new Date());
    text = await m.render();
    assert.equal(sampleValue(text, 'probe_success'), 1);
    assert.equal(sampleValue(text, 'probe_consecutive_failures'), 3);

    m.observe(report('degraded'), false, new Date());
    text = await m.render();
    assert.equal(sampleValue(text, 'probe_consecutive_failures'), 0);
    assert.equal(sampleValue(text, 'probe_alerting'), 0);
    assert.deepEqual(
      ['pass', 'degraded', 'fail'].map((result) => sampleValue(text, 'probe_runs_total', { result })),
      [1, 2, 2],
    );
  });

  it('writes cumulative histogram buckets in seconds, skips skipped hops and event types that are not label-shaped', async () => {
    const m = new ServeMetrics(1);
    m.observe(report('pass'), false, new Date());
    m.observe(report('pass'), false, new Date());
    const text = await m.render();
    assert.equal(sampleValue(text, 'probe_hop_duration_seconds_bucket', { hop: 'ws.connect', le: '0.25' }), 0);
    assert.equal(sampleValue(text, 'probe_hop_duration_seconds_bucket', { hop: 'ws.connect', le: '0.5' }), 2);
    assert.equal(sampleValue(text, 'probe_hop_duration_seconds_bucket', { hop: 'ws.connect', le: '+Inf' }), 2);
    assert.equal(sampleValue(text, 'probe_hop_duration_seconds_sum', { hop: 'ws.connect' }), 0.6);
    assert.equal(sampleValue(text, 'probe_hop_duration_seconds_count', { hop: 'ws.connect' }), 2);
    assert.equal(sampleValue(text, 'probe_hop_duration_seconds_count', { hop: 'chat.messages.create' }), undefined);
    assert.equal(
      sampleValue(text, 'probe_agent_time_to_event_seconds_bucket', { event: 'agent_completed', le: '1' }),
      0,
    );
    assert.equal(
      sampleValue(text, 'probe_agent_time_to_event_seconds_bucket', { event: 'agent_completed', le: '2' }),
      2,
    );
    assert.doesNotMatch(text, /Not A Label/);
  });

  it('labels every per-run series with the target when the definition names several', async () => {
    const m = new ServeMetrics(1, ['eu', 'us']);
    m.observe(report('fail', { target: { name: 'us', api: 'a', auth: 'b', ws: 'c' } }), true, new Date());
    const text = await m.render();
    assert.equal(sampleValue(text, 'probe_success', { target: 'us' }), 0);
    assert.equal(sampleValue(text, 'probe_success', { target: 'eu' }), undefined, 'no run yet for eu');
    assert.equal(sampleValue(text, 'probe_alerting', { target: 'us' }), 1);
    assert.equal(sampleValue(text, 'probe_alerting', { target: 'eu' }), 0);
    assert.equal(sampleValue(text, 'probe_hop_duration_seconds_count', { target: 'us', hop: 'login' }), 1);
  });

  it('passes promtool check metrics', {
    skip: existsSync(PROMTOOL) ? false : `${PROMTOOL} is not installed (apt-get install prometheus)`,
  }, async () => {
    const m = new ServeMetrics(2, [undefined]);
    m.observe(report('pass', { flaky: true }), false, new Date());
    m.observe(report('fail'), true, new Date());
    m.skippedTick();
    // The probe's own families; prom-client's default process metrics keep their library's names, one of
    // which (nodejs_active_handles_total, a gauge) the linter would flag.
    const own = (await m.render()).split('\n').filter((line) => !/^(# (HELP|TYPE) )?(nodejs|process)_/.test(line));
    const out = spawnSync(PROMTOOL, ['check', 'metrics'], { input: own.join('\n'), encoding: 'utf8', timeout: 10_000 });
    assert.equal(out.status, 0, out.stdout + out.stderr);
  });
});

describe('--every durations', () => {
  it('reads Go-style durations and rejects everything else', async () => {
    assert.equal(parseDuration('60s'), 60_000);
    assert.equal(parseDuration('5m'), 300_000);
    assert.equal(parseDuration('1m30s'), 90_000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.equal(parseDuration('1.5s'), 1_500);
    for (const bad of ['', '60', 's', '5 m', '1d', '-5s', 'abc']) assert.equal(parseDuration(bad), undefined, bad);
    assert.equal(formatDuration(90_000), '1m30s');
    assert.equal(formatDuration(500), '500ms');
    assert.equal(formatDuration(3_600_000), '1h');
  });
});
