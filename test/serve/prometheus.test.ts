// A real Prometheus (Debian's /usr/bin/prometheus, installed by .ci/run) scrapes `golden-probe serve
// --every 1s`, which probes a double started here; probe_success is read back through Prometheus's HTTP API.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunningDouble } from '../../src/double/index.ts';
import { envFor, type ServeProcess, spawnServe, startTestDouble } from './serve-process.ts';

const PROMETHEUS = '/usr/bin/prometheus';
const skip = existsSync(PROMETHEUS)
  ? false
  : `${PROMETHEUS} is not installed (apt-get install prometheus; .ci/run does it)`;

interface QueryResult {
  metric: Record<string, string>;
  value: [number, string];
}

/** A port that was free a moment ago (Prometheus cannot be told to pick one and report it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('serve: scraped by a real Prometheus', { skip }, () => {
  let double: RunningDouble;
  let serve: ServeProcess;
  let prometheus: ChildProcess | undefined;
  let promLog = '';
  let dir: string;
  let api: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'golden-probe-prometheus-'));
    double = await startTestDouble('healthy');
    serve = await spawnServe(['--every', '1s'], envFor(double));
    const config = [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      '  - job_name: golden-probe',
      '    static_configs:',
      `      - targets: ['127.0.0.1:${serve.port}']`,
      '',
    ].join('\n');
    await writeFile(join(dir, 'prometheus.yml'), config);
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout!.on('data', (c: Buffer) => (promLog += c.toString()));
    prometheus.stderr!.on('data', (c: Buffer) => (promLog += c.toString()));
  });

  after(async () => {
    if (prometheus && prometheus.exitCode === null && prometheus.signalCode === null) {
      const exited = new Promise<void>((r) => prometheus!.once('close', () => r()));
      prometheus.kill('SIGTERM');
      const timer = setTimeout(() => prometheus!.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    serve?.kill();
    await double?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function query(expr: string): Promise<QueryResult[] | undefined> {
    try {
      const res = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(expr)}`, {
        signal: AbortSignal.timeout(2_000),
      });
      if (res.status !== 200) return undefined;
      const body = (await res.json()) as { status: string; data: { resultType: string; result: QueryResult[] } };
      return body.status === 'success' ? body.data.result : undefined;
    } catch {
      return undefined; // not up yet
    }
  }

  /** Bounded polling: the query's first non-empty result that satisfies `ok`. */
  async function eventually(
    expr: string,
    ok: (r: QueryResult[]) => boolean,
    timeoutMs: number,
  ): Promise<QueryResult[]> {
    const deadline = Date.now() + timeoutMs;
    let last: QueryResult[] | undefined;
    while (Date.now() < deadline) {
      if (prometheus?.exitCode !== null) assert.fail(`prometheus exited (${prometheus?.exitCode}):\n${promLog}`);
      last = await query(expr);
      if (last && last.length > 0 && ok(last)) return last;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.fail(
      `Prometheus never answered ${expr} as expected within ${timeoutMs} ms; last: ` +
        `${JSON.stringify(last)}\nprometheus:\n${promLog.slice(-3000)}`,
    );
  }

  it('reads probe_success 1 back through the query API, with the target up and the metrics parsed', async () => {
    const success = await eventually('probe_success', (r) => r[0]!.value[1] === '1', 45_000);
    assert.equal(success.length, 1);
    assert.equal(success[0]!.metric.job, 'golden-probe');
    assert.equal(success[0]!.metric.instance, `127.0.0.1:${serve.port}`);

    const up = await eventually('up{job="golden-probe"}', (r) => r[0]!.value[1] === '1', 10_000);
    assert.equal(up[0]!.value[1], '1');

    const verdict = await eventually('probe_last_verdict_info', () => true, 10_000);
    assert.deepEqual(
      {
        code: verdict[0]!.metric.code,
        hop: verdict[0]!.metric.hop,
        result: verdict[0]!.metric.result,
        probe: verdict[0]!.metric.probe,
      },
      { code: 'PASS', hop: undefined, result: 'pass', probe: 'golden-path' },
      'an empty label value is no label in Prometheus',
    );

    // The histograms are histograms to Prometheus: histogram_quantile works on their buckets.
    const p50 = await eventually(
      'histogram_quantile(0.5, sum by (le, hop) (probe_hop_duration_seconds_bucket{hop="login"}))',
      (r) => r[0]!.value[1] !== 'NaN',
      10_000,
    );
    assert.ok(Number(p50[0]!.value[1]) > 0);

    const runs = await eventually('probe_runs_total{result="pass"}', (r) => Number(r[0]!.value[1]) >= 2, 20_000);
    assert.ok(Number(runs[0]!.value[1]) >= 2, 'the schedule keeps running');
    assert.equal((await query('probe_alerting'))?.[0]?.value[1], '0');
  });
});
