import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadGcpSettings } from '../../src/config/gcp-settings.ts';
import { Secret } from '../../src/config/secret.ts';
import { type DoubleOptions, type FaultName, startDouble } from '../../src/double/index.ts';
import { HttpClient } from '../../src/net/http-client.ts';
import { lookupServiceLogs } from '../../src/triage/service-logs.ts';
import { STALLED_AGENT } from '../support/fault-rows.ts';
import { runCli } from '../support/run-cli.ts';
import { googleEnv, probeEnv, testCredentials } from '../support/test-credentials.ts';

async function withDouble<T>(
  fault: FaultName,
  google: DoubleOptions['google'],
  body: (d: Awaited<ReturnType<typeof startDouble>>) => Promise<T>,
) {
  const double = await startDouble({ fault, credentials: testCredentials(`logs-${fault}`), google });
  try {
    return await body(double);
  } finally {
    await double.close();
  }
}

describe("the services' own error logs", () => {
  it("no entry on the run's trace: the run's time window is read instead, and a few entries are quoted one line each", async () => {
    await withDouble('rest_500', {}, async (double) => {
      const startedAt = new Date();
      // A request that carries no traceparent: its error is in the window, on no trace.
      await fetch(`${double.apiUrl}/api/chat/messages`);
      const problems: string[] = [];
      const g = double.google;
      const env = {
        PROBE_GCP_PROJECT: g.project,
        PROBE_GCP_LOGGING_URL: g.loggingUrl,
        PROBE_GCP_RUN_URL: g.runUrl,
        PROBE_GCP_SECRET_MANAGER_URL: g.secretManagerUrl,
      };
      const settings = loadGcpSettings(new Map(), env, problems)!;
      assert.deepEqual(problems, []);
      const http = new HttpClient();
      try {
        const token = new Secret(g.accessToken);
        const logs = await lookupServiceLogs({
          settings,
          http,
          token: async () => token,
          traceId: 'f'.repeat(32),
          startedAt,
          signal: AbortSignal.timeout(5_000),
        });
        assert.deepEqual(logs.causes, []);
        assert.deepEqual(logs.evidence, [logs.evidence[0]]);
        assert.match(
          logs.evidence[0]!,
          /^log in the run's time window: netra-backend-staging \S+ ERROR: GET \/api\/chat\/messages answered 500$/,
        );
      } finally {
        await http.close();
      }
    });
  });

  it("system_user_403: the marker on the run's trace becomes SYSTEM_USER_AUTH_FAILED, quoted on one line", async () => {
    // start_agent gets no frames under this fault (its handler opens the same refused session): short deadlines.
    const out = await runCli(['demo', '--fault', 'system_user_403', ...STALLED_AGENT]);
    assert.equal(out.report?.verdict.code, 'SYSTEM_USER_AUTH_FAILED', out.stdout);
    assert.deepEqual(out.report?.verdict.symptom, { code: 'DB_SESSION_REFUSED', hop: 'thread.create' });
    const quoted = out.report!.verdict.evidence.filter((e) => e.includes('SYSTEM_USER_AUTH_FAILURE'));
    assert.ok(
      quoted.length >= 1 &&
        quoted.every((q) => q.startsWith("log on this run's trace: netra-backend-staging ") && !q.includes('\n')),
      quoted.join('\n'),
    );
    assert.match(
      out.report!.verdict.summary,
      /^The backend's system user was refused its request-scoped database session.*Symptom: DB_SESSION_REFUSED at thread\.create/,
    );
  });

  it('without roles/logging.viewer: one line naming the role, and the golden path keeps its verdict', async () => {
    const credentials = testCredentials('logs-role');
    const double = await startDouble({
      fault: 'rest_500',
      credentials,
      google: { roles: ['roles/run.viewer', 'roles/secretmanager.viewer'] },
    });
    try {
      const out = await runCli(['run'], { env: { ...probeEnv(double, credentials), ...googleEnv(double) } });
      assert.equal(out.report?.verdict.code, 'BACKEND_ERROR', out.stderr);
      assert.ok(
        out.report!.verdict.evidence.some((e) =>
          /^logs: Cloud Logging refused to show the services' error logs \(403 PERMISSION_DENIED\): grant the probe's service account roles\/logging\.viewer on project netra-staging$/.test(
            e,
          ),
        ),
        out.report!.verdict.evidence.join('\n'),
      );
      assert.equal(out.report!.hops[0]!.name, 'config');
      assert.equal(out.report!.hops[0]!.status, 'pass');
    } finally {
      await double.close();
    }
  });

  it('through a log view: roles/logging.viewAccessor alone reads the logs; without it, one line naming the view', async () => {
    const credentials = testCredentials('logs-view');
    const view = 'projects/netra-staging/locations/global/buckets/golden-path-probe-netra-errors/views/netra-errors';
    for (const [roles, found] of [
      [['roles/run.viewer', 'roles/secretmanager.viewer', 'roles/logging.viewAccessor'], true],
      [['roles/run.viewer', 'roles/secretmanager.viewer', 'roles/logging.viewer'], false],
    ] as const) {
      const double = await startDouble({ fault: 'rest_500', credentials, google: { roles: [...roles] } });
      try {
        const out = await runCli(['run'], {
          env: { ...probeEnv(double, credentials), ...googleEnv(double), PROBE_GCP_LOG_VIEW: view },
        });
        assert.equal(out.report?.verdict.code, 'BACKEND_ERROR', out.stderr);
        const evidence = out.report!.verdict.evidence.join('\n');
        if (found) assert.match(evidence, /log on this run's trace: netra-backend-staging .*answered 500/);
        else
          assert.match(
            evidence,
            /grant the probe's service account roles\/logging\.viewAccessor on log view projects\/netra-staging\/locations\/global\/buckets\/golden-path-probe-netra-errors\/views\/netra-errors/,
          );
      } finally {
        await double.close();
      }
    }
  });
});
