import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import { type FaultName, startDouble } from '../../src/double/index.ts';
import { runCli } from '../support/run-cli.ts';
import { probeEnv, testCredentials } from '../support/test-credentials.ts';
import { hostileHttp } from './hostile-servers.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * A run against the double whose three Google APIs are one hostile server: the run must end by itself,
 * with the golden path's own verdict, hop config skipped with one line saying why, never a crash (exit 3).
 */
async function runAgainstHostileGoogle(fault: FaultName, handler: Handler) {
  const credentials = testCredentials(`google-hostile-${fault}`);
  const double = await startDouble({ fault, credentials });
  const google = await hostileHttp(handler);
  try {
    const out = await runCli(['run', '--timeout-ms', '40000'], {
      env: {
        ...probeEnv(double, credentials),
        PROBE_GCP_PROJECT: 'netra-staging',
        PROBE_GCP_RUN_URL: google.url,
        PROBE_GCP_SECRET_MANAGER_URL: google.url,
        PROBE_GCP_LOGGING_URL: google.url,
        PROBE_GCP_ACCESS_TOKEN: 'hostile-test-token-0123456789',
      },
      timeoutMs: 90_000,
    });
    assert.equal(out.signal, null, 'the run ended by itself');
    assert.ok(out.report, `a report was written; stderr:\n${out.stderr}`);
    assert.ok(
      !(out.stdout + out.stderr).includes('hostile-test-token-0123456789'),
      'the access token never reaches the output',
    );
    return { out, report: out.report, hits: google.hits };
  } finally {
    await google.close();
    await double.close();
  }
}

const configHop = (report: {
  hops: Array<{ name: string; status: string; skippedBecause?: string; evidence?: string[] }>;
}) => report.hops.find((h) => h.name === 'config')!;

describe('hostile Google APIs never crash or hang a run', { concurrency: 2 }, () => {
  it('garbage JSON: hop config is skipped with the reason, the golden path still passes', async () => {
    const { out, report } = await runAgainstHostileGoogle('healthy', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"name": "projects/p/locations/l/services/s", "traffic": [');
    });
    assert.equal(out.code, 0, out.stderr);
    assert.equal(report.result, 'pass');
    assert.equal(configHop(report).status, 'skip');
    assert.match(
      configHop(report).skippedBecause ?? '',
      /Cloud Run Admin API gave an unreadable answer for service netra-\S+: answered 200 with a body that is not a JSON object/,
    );
  });

  it('5xx: retried twice per call, then one line; a failing golden path keeps its own verdict and the log lookup says why it has nothing', async () => {
    const { out, report, hits } = await runAgainstHostileGoogle('rest_500', (_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' },
        }),
      );
    });
    assert.equal(out.code, 1);
    assert.equal(report.verdict.code, 'BACKEND_ERROR');
    assert.match(configHop(report).skippedBecause ?? '', /answered HTTP 503 for service netra-\S+, after retries/);
    assert.ok(
      report.verdict.evidence.some((e) => /^logs: Cloud Logging answered HTTP 503/.test(e)),
      report.verdict.evidence.join('\n'),
    );
    // Two services and one log lookup, each tried three times.
    assert.ok(hits >= 9, `the hostile server saw ${hits} requests`);
  });

  it('429 forever: rate limited, said so, no hang', async () => {
    const { report } = await runAgainstHostileGoogle('healthy', (_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end(JSON.stringify({ error: { code: 429, message: 'Quota exceeded', status: 'RESOURCE_EXHAUSTED' } }));
    });
    assert.equal(report.result, 'pass');
    assert.match(configHop(report).skippedBecause ?? '', /kept answering 429 \(quota\)/);
  });

  it('a hang: hop config gives up at its budget and the log lookup at its own, the run still reports', async () => {
    const { out, report } = await runAgainstHostileGoogle('rest_500', () => {
      // Never answers.
    });
    assert.equal(out.code, 1);
    assert.equal(report.verdict.code, 'BACKEND_ERROR');
    assert.match(configHop(report).skippedBecause ?? '', /did not answer for service netra-\S+ before the deadline/);
    assert.ok(
      report.verdict.evidence.some((e) => /^logs: Cloud Logging did not answer/.test(e)),
      report.verdict.evidence.join('\n'),
    );
  });

  it('control characters and secrets in a Google error message are not echoed raw', async () => {
    const credentials = testCredentials('google-hostile-healthy');
    const { report } = await runAgainstHostileGoogle('healthy', (_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json' });
      const message = `Permission denied \u001b[31m for ${credentials.serviceSecret}\r\nX-Injected: yes`;
      res.end(JSON.stringify({ error: { code: 403, message, status: 'PERMISSION_DENIED' } }));
    });
    const text = JSON.stringify(report);
    assert.ok(!text.includes(credentials.serviceSecret));
    assert.doesNotMatch(text, /\\u001b|\\r\\n/);
    assert.match(configHop(report).skippedBecause ?? '', /grant the probe's service account roles\/run\.viewer/);
  });
});
