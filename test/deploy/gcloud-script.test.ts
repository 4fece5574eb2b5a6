// scheduling/gcloud.sh, run against a stand-in `gcloud` that records its calls (nothing reaches Google): the
// script must issue the same deployment as the Terraform, with flags gcloud really has, and no secret value.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { type Misspelling, REPO, seededCopy } from './deploy-files.ts';
import { type Call, runGcloudScript, type ScriptRun, unknownFlags } from './gcloud-run.ts';
import { type Metric, metricProblems } from './log-metrics.ts';
import { probeLines } from './probe-lines.ts';

const haveTools = ['bash', 'jq'].every((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0);
const SCHEDULING = join(REPO, 'scheduling');
const FLAGS = JSON.parse(readFileSync(new URL('./schemas/gcloud-flags.json', import.meta.url), 'utf8')) as Parameters<
  typeof unknownFlags
>[1];

const find = (calls: Call[], ...words: string[]) =>
  calls.find((c) => words.every((w, i) => c.args[c.args.indexOf(words[0] as string) + i] === w));
const flag = (call: Call | undefined, name: string) => call?.args[call.args.indexOf(name) + 1];
const json = <T>(text: string | undefined): T => JSON.parse(text ?? '{}') as T;

/** The log-based metrics the script creates, from the config files it hands gcloud. */
function scriptMetrics(calls: Call[]): Map<string, Metric> {
  const out = new Map<string, Metric>();
  for (const c of calls.filter((call) => call.args.includes('metrics') && call.args.includes('create'))) {
    const name = String(c.args.at(c.args.indexOf('--config-from-file') - 1))
      .split('/')
      .at(-1) as string;
    const config = json<{ filter: string; labelExtractors: Record<string, string>; valueExtractor?: string }>(
      c.files[0],
    );
    out.set(name, {
      filter: config.filter,
      extractors: config.labelExtractors,
      ...(config.valueExtractor ? { valueExtractor: config.valueExtractor } : {}),
    });
  }
  return out;
}

// Not a skip: CI installs both (.ci/run), and a suite skipped there for a missing tool would pass unseen.
describe('scheduling/gcloud.sh', () => {
  let run: ScriptRun;
  before(async () => {
    assert.ok(haveTools, 'scheduling/gcloud.sh needs bash and jq on PATH (apt-get install jq; .ci/run does)');
    run = await runGcloudScript(SCHEDULING);
  });

  it('runs to the end, every call with the project, and every flag one that gcloud has', () => {
    assert.equal(run.exitCode, 0, run.stderr);
    assert.ok(run.calls.length > 10);
    for (const c of run.calls) assert.deepEqual(c.args.slice(0, 3), ['--project', 'example-project', '--quiet']);
    assert.deepEqual(unknownFlags(run.calls, FLAGS), []);
  });

  it('deploys the job: no retries, task timeout, `run` args, Secret Manager secrets, the collector sidecar', () => {
    const deploy = find(run.calls, 'run', 'jobs', 'deploy');
    assert.ok(deploy);
    assert.equal(flag(deploy, '--max-retries'), '0');
    assert.match(flag(deploy, '--task-timeout') ?? '', /^\d+s$/);
    assert.match(flag(deploy, '--args') ?? '', /^run,--timeout-ms,\d+,/);
    assert.equal(
      flag(deploy, '--set-secrets'),
      'PROBE_E2E_BYPASS_KEY=golden-probe-e2e-bypass-key:latest,PROBE_SERVICE_SECRET=golden-probe-service-secret:latest',
    );
    assert.equal(flag(deploy, '--service-account'), 'golden-path-probe-run@example-project.iam.gserviceaccount.com');
    const plainEnv = json<Record<string, string>>(deploy.files[0]);
    assert.equal(plainEnv.PROBE_API_URL, 'https://api.example.test');
    assert.equal(plainEnv.PROBE_USER_EMAIL, 'golden-probe@example.test');
    assert.equal(plainEnv.OTEL_EXPORTER_OTLP_ENDPOINT, 'http://localhost:4318');
    for (const secret of ['PROBE_E2E_BYPASS_KEY', 'PROBE_SERVICE_SECRET', 'PROBE_USER_PASSWORD'])
      assert.ok(!(secret in plainEnv));
    // Job-wide flags come before the first --container; the probe does not wait for the collector (a collector
    // that does not start must not keep the probe from starting).
    const containers = deploy.args.flatMap((a, i) => (a === '--container' ? [deploy.args[i + 1]] : []));
    assert.deepEqual(containers, ['probe', 'otel-collector']);
    assert.ok(deploy.args.indexOf('--service-account') < deploy.args.indexOf('--container'));
    assert.ok(!deploy.args.includes('--depends-on'), 'no --depends-on');
    assert.ok(deploy.args.includes('--args=--config=env:OTELCOL_CONFIG'));
    const collectorEnv = json<Record<string, string>>(deploy.files[1]);
    assert.match(collectorEnv.OTELCOL_CONFIG ?? '', /endpoint: https:\/\/telemetry\.googleapis\.com/);
  });

  it('enables the Telemetry API; grants one trace role, read-only views on exactly what is read, the invoker', () => {
    assert.ok(find(run.calls, 'services', 'enable')?.args.includes('telemetry.googleapis.com'));
    const invoker = find(run.calls, 'run', 'jobs', 'add-iam-policy-binding');
    assert.equal(flag(invoker, '--role'), 'roles/run.invoker');
    assert.equal(
      flag(invoker, '--member'),
      'serviceAccount:golden-path-probe-sched@example-project.iam.gserviceaccount.com',
    );
    const secretGrants = run.calls.filter(
      (c) => c.args.includes('secrets') && c.args.includes('add-iam-policy-binding'),
    );
    assert.equal(secretGrants.length, 2, 'the two secrets the probe reads, no compare secrets by default');
    // Project-wide: the one trace role. The drift checks' views are each on exactly what they read.
    const projectRoles = run.calls
      .filter((c) => c.args.includes('projects') && c.args.includes('add-iam-policy-binding'))
      .map((c) => flag(c, '--role'));
    assert.deepEqual(projectRoles, ['roles/telemetry.tracesWriter']);
    const serviceViews = run.calls
      .filter((c) => c.args.includes('services') && c.args.includes('add-iam-policy-binding'))
      .map((c) => `${c.args[c.args.indexOf('add-iam-policy-binding') + 1]} ${flag(c, '--role')}`);
    assert.deepEqual(serviceViews, ['netra-backend-staging roles/run.viewer', 'netra-auth-service roles/run.viewer']);
    const view = find(run.calls, 'logging', 'views', 'add-iam-policy-binding');
    assert.equal(flag(view, '--role'), 'roles/logging.viewAccessor');
    assert.equal(flag(view, '--bucket'), 'golden-path-probe-netra-errors');
    const sink = find(run.calls, 'logging', 'sinks', 'create');
    // Into a log bucket of the same project: no writer identity, no grant (scheduling/README.md quotes Google).
    assert.equal(
      sink?.args[sink.args.indexOf('create') + 2],
      'logging.googleapis.com/projects/example-project/locations/global/buckets/golden-path-probe-netra-errors',
    );
    assert.ok(!run.calls.some((c) => c.args.includes('roles/logging.bucketWriter')), 'no grant to a writer identity');
    assert.equal(
      flag(sink, '--log-filter'),
      'resource.type="cloud_run_revision" AND resource.labels.service_name=("netra-backend-staging" OR "netra-auth-service") AND severity>=ERROR',
    );
  });

  it('grants secretmanager.viewer on exactly the secrets the two services reference', async () => {
    const service = {
      spec: {
        template: {
          spec: {
            containers: [
              {
                env: [
                  { name: 'ENVIRONMENT', value: 'staging' },
                  {
                    name: 'SERVICE_SECRET',
                    valueFrom: { secretKeyRef: { name: 'service-secret-staging', key: 'latest' } },
                  },
                  {
                    name: 'JWT_SECRET_KEY',
                    valueFrom: { secretKeyRef: { name: 'jwt-secret-staging', key: 'latest' } },
                  },
                  // A secret of another project is named by an alias the template's annotation defines.
                  { name: 'SHARED_KEY', valueFrom: { secretKeyRef: { name: 'shared', key: '3' } } },
                ],
              },
            ],
          },
          metadata: {
            annotations: { 'run.googleapis.com/secrets': 'shared:projects/netra-shared/secrets/shared-key' },
          },
        },
      },
    };
    const withServices = await runGcloudScript(SCHEDULING, { STUB_SERVICE_JSON: JSON.stringify(service) });
    assert.equal(withServices.exitCode, 0, withServices.stderr);
    const viewers = withServices.calls
      .filter((c) => c.args.includes('secrets') && flag(c, '--role') === 'roles/secretmanager.viewer')
      .map((c) => c.args[c.args.indexOf('add-iam-policy-binding') + 1]);
    assert.deepEqual(viewers, [
      'jwt-secret-staging',
      'projects/netra-shared/secrets/shared-key',
      'service-secret-staging',
    ]);
    assert.deepEqual(unknownFlags(withServices.calls, FLAGS), []);
  });

  it('points the drift checks at the Netra services it granted read access to', () => {
    const env = json<Record<string, string>>(find(run.calls, 'run', 'jobs', 'deploy')?.files[0]);
    assert.equal(env.PROBE_GCP_PROJECT, 'example-project');
    assert.equal(env.PROBE_GCP_REGION, 'us-central1');
    assert.equal(env.PROBE_BACKEND_SERVICE, 'netra-backend-staging');
    assert.equal(env.PROBE_AUTH_SERVICE, 'netra-auth-service');
    assert.equal(
      env.PROBE_GCP_LOG_VIEW,
      'projects/example-project/locations/global/buckets/golden-path-probe-netra-errors/views/netra-errors',
    );
  });

  it('schedules a POST to jobs:run every minute with an OAuth token', () => {
    const sched = find(run.calls, 'scheduler', 'jobs', 'create', 'http');
    assert.equal(flag(sched, '--schedule'), '* * * * *');
    assert.equal(
      flag(sched, '--uri'),
      'https://run.googleapis.com/v2/projects/example-project/locations/us-central1/jobs/golden-path-probe:run',
    );
    assert.equal(flag(sched, '--http-method'), 'POST');
    assert.equal(flag(sched, '--max-retry-attempts'), '0');
    assert.equal(
      flag(sched, '--oauth-service-account-email'),
      'golden-path-probe-sched@example-project.iam.gserviceaccount.com',
    );
    assert.equal(flag(sched, '--oauth-token-scope'), 'https://www.googleapis.com/auth/cloud-platform');
  });

  it('creates the metrics, four paging policies with severity and runbook, and the dashboard', () => {
    const metric = run.calls.find(
      (c) =>
        c.args.includes('metrics') && c.args.includes('create') && c.args.includes('golden-path-probe/failed_runs'),
    );
    const config = json<{ filter: string; labelExtractors: Record<string, string> }>(metric?.files[0]);
    assert.match(config.filter, /resource\.type="cloud_run_job"/);
    assert.match(config.filter, /NOT jsonPayload\.verdict="RUN_ABORTED"/);
    const policies = run.calls
      .filter((c) => c.args.includes('policies') && c.args.includes('create'))
      .map((c) => json<Record<string, unknown>>(c.files[0]));
    assert.equal(policies.length, 4);
    for (const p of policies) {
      assert.match(String(p.severity), /^(CRITICAL|ERROR)$/);
      assert.deepEqual(p.notificationChannels, [
        'projects/example-project/notificationChannels/123',
        'projects/example-project/notificationChannels/456',
      ]);
      assert.deepEqual((p.documentation as { links: unknown }).links, [
        { displayName: 'Runbook', url: 'https://runbooks.example.test/golden-path-probe' },
      ]);
    }
    const silent = policies.find((p) => String(p.displayName).includes('no runs reported')) as {
      conditions: { conditionPrometheusQueryLanguage: { query: string; disableMetricValidation: boolean } }[];
    };
    assert.match(silent.conditions[0]?.conditionPrometheusQueryLanguage.query ?? '', /^absent_over_time\(/);
    assert.equal(silent.conditions[0]?.conditionPrometheusQueryLanguage.disableMetricValidation, true);
    const dashboard = find(run.calls, 'monitoring', 'dashboards', 'create');
    const tiles = json<{ mosaicLayout: { tiles: { widget: { title: string } }[] } }>(dashboard?.files[0]).mosaicLayout
      .tiles;
    assert.ok(tiles.some((t) => t.widget.title.startsWith('Pass rate')));
  });

  it("its log-based metrics count the probe's real lines right and extract every label", async () => {
    assert.deepEqual(metricProblems(scriptMetrics(run.calls), await probeLines()), []);
  });

  for (const mistake of [
    { file: 'gcloud.sh', from: 'EXTRACT(jsonPayload.failedHop)', to: 'EXTRACT(jsonPayload.failed_hop)' },
    // (No mutation of `NOT jsonPayload.verdict="RUN_ABORTED"`: since issue 22 an aborted run's result is `aborted`,
    // which the result filters leave out on their own; the clause stays for lines of older probe versions.)
    { file: 'gcloud.sh', from: 'EXTRACT(jsonPayload.durationMs)', to: 'EXTRACT(jsonPayload.duration)' },
    { file: 'gcloud.sh', from: 'jsonPayload.outcome=\\"no_verdict\\"', to: 'jsonPayload.outcome=\\"no-verdict\\"' },
  ]) {
    it(`its metrics fail the real-line check with ${mistake.from} changed to ${mistake.to}`, async () => {
      const dir = await seededCopy(mistake);
      try {
        const seeded = await runGcloudScript(dir);
        assert.notDeepEqual(metricProblems(scriptMetrics(seeded.calls), await probeLines()), []);
      } finally {
        await rm(dirname(dir), { recursive: true, force: true });
      }
    });
  }

  it('without traces or drift checks: one container, no project roles; compare secrets get accessor', async () => {
    const plain = await runGcloudScript(SCHEDULING, {
      EXPORT_TRACES: 'false',
      GRANT_DRIFT_CHECKS: 'false',
      COMPARE_SECRET_IDS: 'backend-jwt-secret,auth-jwt-secret',
    });
    assert.equal(plain.exitCode, 0, plain.stderr);
    assert.deepEqual(unknownFlags(plain.calls, FLAGS), []);
    const deploy = find(plain.calls, 'run', 'jobs', 'deploy');
    assert.deepEqual(
      deploy?.args.flatMap((a, i) => (a === '--container' ? [deploy.args[i + 1]] : [])),
      ['probe'],
    );
    assert.ok(!('OTEL_EXPORTER_OTLP_ENDPOINT' in json<Record<string, string>>(deploy?.files[0])));
    assert.ok(
      !('PROBE_GCP_PROJECT' in json<Record<string, string>>(deploy?.files[0])),
      'no drift checks without roles',
    );
    assert.equal(
      plain.calls.filter((c) => c.args.includes('projects') && c.args.includes('add-iam-policy-binding')).length,
      0,
    );
    const accessors = plain.calls
      .filter((c) => c.args.includes('secrets') && c.args.includes('add-iam-policy-binding'))
      .map((c) => c.args[c.args.indexOf('add-iam-policy-binding') + 1]);
    assert.deepEqual(accessors, [
      'golden-probe-e2e-bypass-key',
      'golden-probe-service-secret',
      'backend-jwt-secret',
      'auth-jwt-secret',
    ]);
  });

  it('rides out the 404 race: policy creation refused twice, then accepted; the script still finishes', async () => {
    const raced = await runGcloudScript(SCHEDULING, { STUB_FAIL_POLICY_CREATES: '2' });
    assert.equal(raced.exitCode, 0, raced.stderr);
    assert.match(raced.stderr, /Cannot find metric/);
    assert.equal(raced.calls.filter((c) => c.args.includes('policies') && c.args.includes('create')).length, 6);
  });

  it('refuses half a target, a missing channel and a malformed channel before calling gcloud', async () => {
    for (const [env, message] of [
      [{ AUTH_URL: '' }, /API_URL and AUTH_URL together/],
      [{ NOTIFICATION_CHANNELS: '' }, /set NOTIFICATION_CHANNELS/],
      [{ NOTIFICATION_CHANNELS: 'oncall@example.test' }, /not a channel id/],
    ] as const) {
      const refused = await runGcloudScript(SCHEDULING, env);
      assert.notEqual(refused.exitCode, 0);
      assert.match(refused.stderr, message);
      assert.deepEqual(refused.calls, [], 'no gcloud call');
    }
  });

  const MISSPELLINGS: Misspelling[] = [
    { file: 'gcloud.sh', from: '--max-retry-attempts', to: '--max-retries' },
    { file: 'gcloud.sh', from: '--task-timeout', to: '--task-timout' },
    { file: 'gcloud.sh', from: '--oauth-token-scope', to: '--oauth-scope' },
    { file: 'gcloud.sh', from: '--startup-probe', to: '--startup-probes' },
    { file: 'gcloud.sh', from: '--policy-from-file', to: '--policy-file' },
    { file: 'gcloud.sh', from: '--env-vars-file', to: '--env-var-file' },
  ];
  for (const mistake of MISSPELLINGS) {
    it(`fails the flag check with ${mistake.from} misspelt ${mistake.to}`, async () => {
      const dir = await seededCopy(mistake);
      try {
        const seeded = await runGcloudScript(dir);
        assert.ok(
          unknownFlags(seeded.calls, FLAGS).some((p) => p.endsWith(mistake.to)),
          unknownFlags(seeded.calls, FLAGS).join('; '),
        );
      } finally {
        await rm(dirname(dir), { recursive: true, force: true });
      }
    });
  }
});
