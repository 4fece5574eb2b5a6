// scheduling/gcloud.sh, run against a stand-in `gcloud` that records its calls (nothing reaches Google):
// the script must issue the same deployment as the Terraform, with no secret value anywhere.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO } from './deploy-files.ts';

// Records each call's arguments (one per line) and a copy of every file it is handed; `describe` and
// `list` find nothing, so the script takes its create paths.
const STUB = `#!/usr/bin/env bash
n=$(find "$STUB_LOG" -name '*.args' | wc -l)
id=$(printf %03d "$n")
printf '%s\\n' "$@" > "$STUB_LOG/$id.args"
prev=""
for a in "$@"; do
  case "$prev" in --config-from-file|--policy-from-file|--env-vars-file) cp "$a" "$STUB_LOG/$id.file";; esac
  prev="$a"
done
for a in "$@"; do [ "$a" = describe ] && exit 1; done
exit 0
`;

const haveTools = ['bash', 'jq'].every((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0);

interface Call {
  args: string[];
  file?: string;
}

describe('scheduling/gcloud.sh', { skip: haveTools ? false : 'needs bash and jq' }, () => {
  let dir: string;
  const calls: Call[] = [];
  let exitCode: number | null;
  let stderr = '';
  const env = {
    PATH: '',
    STUB_LOG: '',
    PROJECT_ID: 'example-project',
    IMAGE: 'us-central1-docker.pkg.dev/example-project/probes/golden-path-probe:0.1.0',
    API_URL: 'https://api.example.test',
    AUTH_URL: 'https://auth.example.test',
    EXTRA_ENV: 'PROBE_TRACE_URL_TEMPLATE=https://console.example.test/traces?project=p&tid={traceId}',
  };
  const find = (...words: string[]) => calls.find((c) => words.every((w, i) => c.args[c.args.indexOf(words[0] as string) + i] === w));
  const flag = (call: Call | undefined, name: string) => call?.args[call.args.indexOf(name) + 1];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'golden-probe-gcloud-'));
    const bin = join(dir, 'bin');
    const log = join(dir, 'log');
    await Promise.all([mkdir(bin), mkdir(log)]);
    await writeFile(join(bin, 'gcloud'), STUB);
    await chmod(join(bin, 'gcloud'), 0o755);
    env.PATH = [bin, process.env.PATH ?? ''].join(delimiter);
    env.STUB_LOG = log;
    const result = spawnSync('bash', [join(REPO, 'scheduling', 'gcloud.sh')], { env, encoding: 'utf8', timeout: 60_000 });
    exitCode = result.status;
    stderr = result.stderr;
    for (const name of (await readdir(log)).filter((f) => f.endsWith('.args')).sort()) {
      const id = name.replace('.args', '');
      const args = (await readFile(join(log, name), 'utf8')).split('\n').slice(0, -1);
      const file = await readFile(join(log, `${id}.file`), 'utf8').catch(() => undefined);
      calls.push(file === undefined ? { args } : { args, file });
    }
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs to the end', () => {
    assert.equal(exitCode, 0, stderr);
    assert.ok(calls.length > 10);
    for (const c of calls) assert.deepEqual(c.args.slice(0, 3), ['--project', 'example-project', '--quiet']);
  });

  it('deploys the job with no retries, a task timeout, `run` args and secrets from Secret Manager', () => {
    const deploy = find('run', 'jobs', 'deploy');
    assert.ok(deploy);
    assert.equal(flag(deploy, '--max-retries'), '0');
    assert.match(flag(deploy, '--task-timeout') ?? '', /^\d+s$/);
    assert.match(flag(deploy, '--args') ?? '', /^run,--timeout-ms,\d+,/);
    assert.equal(flag(deploy, '--set-secrets'), 'PROBE_E2E_BYPASS_KEY=golden-probe-e2e-bypass-key:latest,PROBE_SERVICE_SECRET=golden-probe-service-secret:latest');
    assert.equal(flag(deploy, '--service-account'), 'golden-path-probe-run@example-project.iam.gserviceaccount.com');
    const plainEnv = JSON.parse(deploy.file ?? '{}') as Record<string, string>;
    assert.equal(plainEnv.PROBE_API_URL, 'https://api.example.test');
    assert.equal(plainEnv.PROBE_TRACE_URL_TEMPLATE, 'https://console.example.test/traces?project=p&tid={traceId}');
    for (const secret of ['PROBE_E2E_BYPASS_KEY', 'PROBE_SERVICE_SECRET', 'PROBE_USER_PASSWORD']) assert.ok(!(secret in plainEnv));
  });

  it('lets the scheduler run the job, and the job read its secrets, nothing more', () => {
    const invoker = find('run', 'jobs', 'add-iam-policy-binding');
    assert.equal(flag(invoker, '--role'), 'roles/run.invoker');
    assert.equal(flag(invoker, '--member'), 'serviceAccount:golden-path-probe-sched@example-project.iam.gserviceaccount.com');
    const secretGrants = calls.filter((c) => c.args.includes('secrets') && c.args.includes('add-iam-policy-binding'));
    assert.equal(secretGrants.length, 2);
    for (const g of secretGrants) assert.equal(flag(g, '--role'), 'roles/secretmanager.secretAccessor');
    assert.equal(calls.filter((c) => c.args.includes('projects') && c.args.includes('add-iam-policy-binding')).length, 0);
  });

  it('schedules a POST to jobs:run every minute with an OAuth token', () => {
    const sched = find('scheduler', 'jobs', 'create', 'http');
    assert.equal(flag(sched, '--schedule'), '* * * * *');
    assert.equal(flag(sched, '--uri'), 'https://run.googleapis.com/v2/projects/example-project/locations/us-central1/jobs/golden-path-probe:run');
    assert.equal(flag(sched, '--http-method'), 'POST');
    assert.equal(flag(sched, '--oauth-service-account-email'), 'golden-path-probe-sched@example-project.iam.gserviceaccount.com');
    assert.equal(flag(sched, '--oauth-token-scope'), 'https://www.googleapis.com/auth/cloud-platform');
  });

  it('creates the failed-runs metric from the summary line and valid alert policies on it', () => {
    const metric = calls.find((c) => c.args.includes('metrics') && c.args.includes('create') && c.args.includes('golden-path-probe/failed_runs'));
    const config = JSON.parse(metric?.file ?? '{}') as { filter: string; labelExtractors: Record<string, string> };
    assert.match(config.filter, /resource\.type="cloud_run_job"/);
    assert.match(config.filter, /jsonPayload\.result="fail"/);
    assert.equal(config.labelExtractors.verdict, 'EXTRACT(jsonPayload.verdict)');
    const policies = calls.filter((c) => c.args.includes('policies') && c.args.includes('create'));
    assert.equal(policies.length, 2);
    const failing = JSON.parse(policies[0]?.file ?? '{}') as { conditions: { conditionThreshold: { filter: string } }[] };
    assert.match(failing.conditions[0]?.conditionThreshold.filter ?? '', /logging\.googleapis\.com\/user\/golden-path-probe\/failed_runs/);
  });

  it('refuses half a target before calling gcloud', async () => {
    const log = join(dir, 'log-half');
    const result = spawnSync('bash', ['-c', `mkdir -p "${log}" && bash "${join(REPO, 'scheduling', 'gcloud.sh')}"`], {
      env: { ...env, STUB_LOG: log, AUTH_URL: '' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /API_URL and AUTH_URL together/);
    assert.deepEqual(await readdir(log), [], 'no gcloud call');
  });
});
