// A cron `run` pays for every module it loads, every minute: it must load neither the double, nor serve
// mode, nor Playwright, nor the OpenTelemetry SDK when nothing is exported, nor a report renderer it was not asked
// for. (undici carries its requests.)
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type RunningDouble, startDouble } from '../../src/double/index.ts';
import { runCli } from '../support/run-cli.ts';
import { probeEnv, testCredentials } from '../support/test-credentials.ts';

const PRELOAD = fileURLToPath(new URL('../browser/record-module-loads.ts', import.meta.url));
const credentials = testCredentials('lazy-loading');

describe('golden-probe run loads only what a run needs', () => {
  let double: RunningDouble;
  let dir: string;
  before(async () => {
    double = await startDouble({ credentials });
    dir = await mkdtemp(join(tmpdir(), 'golden-probe-lazy-'));
  });
  after(async () => {
    await double.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function loadedBy(extraEnv: Record<string, string>): Promise<string[]> {
    const record = join(dir, `modules-${Object.keys(extraEnv).length}.txt`);
    const out = await runCli(['run', '--log-level', 'silent'], {
      env: {
        ...probeEnv(double, credentials),
        NODE_OPTIONS: `--import=${PRELOAD}`,
        RECORD_MODULE_LOADS_TO: record,
        ...extraEnv,
      },
    });
    assert.equal(out.code, 0, out.stderr);
    return (await readFile(record, 'utf8')).split('\n').filter((l) => l !== '');
  }

  it('tracing off: no double, serve, Playwright, OTel SDK or unasked report renderer module; undici carries the requests', async () => {
    const urls = await loadedBy({});
    assert.ok(
      urls.some((u) => u.endsWith('/src/hops/agent-run.ts')),
      'the recorder saw the run',
    );
    assert.ok(
      urls.some((u) => u.includes('/node_modules/undici/')),
      'undici carried the requests',
    );
    const sdk = ['sdk-', 'exporter-', 'resources/'].map((p) => `/node_modules/@opentelemetry/${p}`);
    const gcp = ['/src/preflight/', '/src/gcp/cloud-run.ts', '/node_modules/google-auth-library/'];
    for (const part of [
      '/src/double/',
      '/src/serve/',
      '/src/browser-login/',
      // Renderers of files the run was not asked for, and the terminal's live table.
      '/src/report/html',
      '/src/report/junit.ts',
      '/src/report/transcript-jsonl.ts',
      '/src/report/live-table.ts',
      ...gcp,
      '/node_modules/playwright-core/',
      ...sdk,
    ]) {
      assert.deepEqual(
        urls.filter((u) => u.includes(part)),
        [],
        part,
      );
    }
  });

  it('with a GCP project and PROBE_GCP_ACCESS_TOKEN: hop config reads the deployment, and google-auth-library stays unloaded', async () => {
    const g = double.google;
    const urls = await loadedBy({
      PROBE_GCP_PROJECT: g.project,
      PROBE_GCP_RUN_URL: g.runUrl,
      PROBE_GCP_SECRET_MANAGER_URL: g.secretManagerUrl,
      PROBE_GCP_LOGGING_URL: g.loggingUrl,
      PROBE_GCP_ACCESS_TOKEN: g.accessToken,
    });
    assert.ok(
      urls.some((u) => u.endsWith('/src/preflight/run-preflight.ts')),
      'hop config ran',
    );
    assert.deepEqual(
      urls.filter((u) => u.includes('/node_modules/google-auth-library/') || u.includes('/node_modules/gaxios/')),
      [],
    );
  });

  it('with an OTLP endpoint: NodeSDK and the protobuf exporters', async () => {
    const urls = await loadedBy({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
      OTEL_EXPORTER_OTLP_TIMEOUT: '200',
    });
    const pkg = (name: string) => urls.some((u) => u.includes(`/node_modules/@opentelemetry/${name}/`));
    // NodeSDK imports every exporter of every signal and protocol whichever is used (docs/performance.md): the
    // probe keeps the library rather than assembling its job by hand.
    assert.ok(pkg('sdk-node') && pkg('exporter-trace-otlp-proto') && pkg('exporter-metrics-otlp-proto'));
  });
});
