// `golden-probe serve` without --every: POST /run on demand, the metrics it leaves behind (flaky runs,
// consecutive failures, --fail-after), the HTTP surface, and configuration errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Report } from '../../src/report/types.ts';
import { startOtlpReceiver } from '../support/otlp-receiver.ts';
import { runCli } from '../support/run-cli.ts';
import { envFor, getText, postRun, sampleValue, spawnServe, startTestDouble } from './serve-process.ts';

describe('serve: on demand', () => {
  it("POST /run with a traceparent: the run's root span is the caller's child, in the caller's trace", async () => {
    const [double, receiver] = await Promise.all([startTestDouble('healthy'), startOtlpReceiver()]);
    const serve = await spawnServe([], {
      ...envFor(double),
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    try {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const parent = '00f067aa0ba902b7';
      const res = await postRun(serve.url, { traceparent: `00-${traceId}-${parent}-01` });
      assert.equal(res.status, 200);
      assert.equal((res.json as unknown as Report).traceId, traceId);
      const spans = await receiver.waitForSpans((s) => s.some((x) => x.name === 'golden_path'), 10_000);
      const golden = spans.find((s) => s.name === 'golden_path')!;
      assert.deepEqual([golden.traceId, golden.parentSpanId], [traceId, parent]);
    } finally {
      await serve.stop('SIGTERM');
      await Promise.all([double.close(), receiver.close()]);
    }
  });

  it('a run that passes only after a retry (flaky_first_login, --retries 1) is flaky: probe_flaky_runs_total 1, probe_success 1', async () => {
    const double = await startTestDouble('flaky_first_login');
    const serve = await spawnServe(['--retries', '1'], envFor(double));
    try {
      const res = await postRun(serve.url);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-probe-result'), 'pass');
      const report = res.json as unknown as Report;
      assert.equal(report.result, 'pass');
      assert.equal(report.flaky, true);
      assert.deepEqual(
        report.attempts!.map((a) => [a.result, a.verdict.code]),
        [
          ['fail', 'LOGIN_UNAVAILABLE'],
          ['pass', 'PASS'],
        ],
      );

      const { status, text, headers } = await getText(`${serve.url}/metrics`);
      assert.equal(status, 200);
      assert.equal(headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
      assert.equal(sampleValue(text, 'probe_flaky_runs_total'), 1);
      assert.equal(sampleValue(text, 'probe_success'), 1);
      assert.equal(sampleValue(text, 'probe_runs_total', { result: 'pass' }), 1);
      assert.equal(
        sampleValue(text, 'probe_runs_total', { result: 'fail' }),
        0,
        'a run is counted once, not per attempt',
      );
      assert.equal(sampleValue(text, 'probe_consecutive_failures'), 0);
      assert.equal(
        sampleValue(text, 'probe_last_verdict_info', { code: 'PASS', hop: '', result: 'pass', probe: 'golden-path' }),
        1,
      );
      assert.equal(sampleValue(text, 'probe_hop_duration_seconds_count', { hop: 'login' }), 1);
      assert.ok((sampleValue(text, 'probe_agent_time_to_event_seconds_count', { event: 'agent_completed' }) ?? 0) >= 1);
      const ts = sampleValue(text, 'probe_last_run_timestamp_seconds')!;
      assert.ok(Math.abs(ts - Date.now() / 1000) < 60, `last run timestamp ${ts} is now`);

      const end = serve.lines().find((l) => l.event === 'run.end')!;
      assert.equal(end.flaky, true);
      assert.match(end.message!, /\(flaky\)/);
    } finally {
      serve.kill();
      await double.close();
    }
  });

  it('--fail-after 2: probe_alerting is 0 after one failed run and 1 after two', async () => {
    const double = await startTestDouble('rest_500');
    const serve = await spawnServe(['--fail-after', '2'], envFor(double));
    try {
      const first = await postRun(serve.url);
      assert.equal(first.status, 200, 'a failed run is still a served request');
      assert.equal(first.headers.get('x-probe-result'), 'fail');
      assert.equal((first.json as unknown as Report).verdict.code, 'BACKEND_ERROR');
      let text = (await getText(`${serve.url}/metrics`)).text;
      assert.equal(sampleValue(text, 'probe_success'), 0);
      assert.equal(sampleValue(text, 'probe_consecutive_failures'), 1);
      assert.equal(sampleValue(text, 'probe_alerting'), 0);

      await postRun(serve.url);
      text = (await getText(`${serve.url}/metrics`)).text;
      assert.equal(sampleValue(text, 'probe_consecutive_failures'), 2);
      assert.equal(sampleValue(text, 'probe_alerting'), 1);
      assert.equal(sampleValue(text, 'probe_runs_total', { result: 'fail' }), 2);
      assert.equal(
        sampleValue(text, 'probe_last_verdict_info', {
          code: 'BACKEND_ERROR',
          hop: 'chat.messages.list',
          result: 'fail',
          probe: 'golden-path',
        }),
        1,
      );

      const health = JSON.parse((await getText(`${serve.url}/healthz`)).text) as Record<string, unknown>;
      assert.equal(health.status, 'ok', 'the process is healthy even when the target is not');
      assert.equal(health.alerting, true);
      assert.equal(health.consecutiveFailures, 2);
      assert.deepEqual((health.lastRun as Record<string, unknown>).verdict, 'BACKEND_ERROR');
      const ends = serve.lines().filter((l) => l.event === 'run.end');
      assert.deepEqual(
        ends.map((l) => [l.severity, l.alerting]),
        [
          ['ERROR', false],
          ['ERROR', true],
        ],
      );
    } finally {
      serve.kill();
      await double.close();
    }
  });

  it('two POST /run at once share one run: the second joins the first and gets the same report', async () => {
    const double = await startTestDouble('slow_agent', { slowAgentMs: 1_500 });
    const serve = await spawnServe(['--agent-degraded-ms', '5000'], envFor(double));
    try {
      const first = postRun(serve.url);
      await serve.waitFor((l) => l.event === 'run.start', 10_000, 'the run to start');
      const second = await postRun(serve.url);
      const one = await first;
      assert.equal(one.headers.get('x-probe-run'), 'started');
      assert.equal(second.headers.get('x-probe-run'), 'joined');
      assert.equal(second.json.runId, one.json.runId);
      assert.equal(serve.lines().filter((l) => l.event === 'run.start').length, 1);
      assert.equal(double.requests.filter((r) => r.upgrade).length, 1);
    } finally {
      serve.kill();
      await double.close();
    }
  });

  it('answers /healthz and /metrics before any run, 404 for unknown paths and 405 (with Allow) for wrong methods', async () => {
    const double = await startTestDouble('healthy');
    const serve = await spawnServe([], envFor(double));
    try {
      const health = await getText(`${serve.url}/healthz`);
      assert.equal(health.status, 200);
      assert.deepEqual(JSON.parse(health.text), {
        status: 'ok',
        every: null,
        running: null,
        lastRun: null,
        consecutiveFailures: 0,
        alerting: false,
      });

      const metrics = await getText(`${serve.url}/metrics`);
      assert.equal(sampleValue(metrics.text, 'probe_success'), undefined, 'no probe_success before the first run');
      assert.equal(sampleValue(metrics.text, 'probe_alerting'), 0);
      assert.equal(sampleValue(metrics.text, 'probe_runs_total', { result: 'pass' }), 0);

      const missing = await getText(`${serve.url}/nope`);
      assert.equal(missing.status, 404);
      assert.match((JSON.parse(missing.text) as { error: string }).error, /no such endpoint/);

      const getRun = await fetch(`${serve.url}/run`);
      assert.equal(getRun.status, 405);
      assert.equal(getRun.headers.get('allow'), 'POST');
      await getRun.text();
      const postMetrics = await fetch(`${serve.url}/metrics`, { method: 'POST' });
      assert.equal(postMetrics.status, 405);
      assert.equal(postMetrics.headers.get('allow'), 'GET, HEAD');
      await postMetrics.text();
      const head = await fetch(`${serve.url}/healthz`, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(double.requests.length, 0, 'nothing ran without --every or POST /run');
    } finally {
      serve.kill();
      await double.close();
    }
  });

  it('exits 2 listing every problem with the serve flags, each naming its flag', async () => {
    const out = await runCli(
      [
        'serve',
        '--port',
        '70000',
        '--every',
        '5x',
        '--fail-after',
        '0',
        '--oidc-allow',
        'not-an-email',
        '--oidc-jwks-url',
        'http://127.0.0.1:1/certs',
      ],
      {
        env: { PROBE_API_URL: 'http://127.0.0.1:1', PROBE_AUTH_URL: 'http://127.0.0.1:1', PROBE_E2E_BYPASS_KEY: 'k' },
        timeoutMs: 20_000,
      },
    );
    assert.equal(out.code, 2, out.stderr);
    assert.match(out.stderr, /--port: '70000' is not a TCP port/);
    assert.match(out.stderr, /--every: '5x' is not a duration/);
    assert.match(out.stderr, /--fail-after: '0' must be a whole number from 1/);
    assert.match(out.stderr, /--oidc-allow: only means something with --oidc-audience/);
    assert.match(out.stderr, /--oidc-jwks-url: only means something with --oidc-audience/);

    const env = await runCli(
      [
        'serve',
        '--every',
        '50ms',
        '--oidc-audience',
        'aud',
        '--oidc-allow',
        'a@b.test,nope',
        '--oidc-jwks-url',
        'ftp://x/certs',
      ],
      {
        env: {
          PROBE_API_URL: 'http://127.0.0.1:1',
          PROBE_AUTH_URL: 'http://127.0.0.1:1',
          PROBE_E2E_BYPASS_KEY: 'k',
          PORT: 'eighty',
        },
        timeoutMs: 20_000,
      },
    );
    assert.equal(env.code, 2, env.stderr);
    assert.match(env.stderr, /PORT: 'eighty' is not a TCP port/);
    assert.match(env.stderr, /--every: '50ms' must be from 100ms to 24h/);
    assert.match(env.stderr, /--oidc-allow: not an email: nope/);
    assert.match(env.stderr, /--oidc-jwks-url: 'ftp:\/\/x\/certs' must use https/);
  });

  it('exits 2 naming --port when the port is taken', async () => {
    const double = await startTestDouble('healthy');
    const first = await spawnServe([], envFor(double));
    try {
      const out = await runCli(
        ['serve', '--host', '127.0.0.1', '--port', String(first.port), '--allow-unauthenticated'],
        {
          env: envFor(double),
          timeoutMs: 20_000,
        },
      );
      assert.equal(out.code, 2, out.stderr);
      assert.match(out.stderr, /--port \/ --host: cannot listen on 127\.0\.0\.1:\d+: the port is in use/);
    } finally {
      first.kill();
      await double.close();
    }
  });
});
