// The Kubernetes CronJob and the post-deploy GitHub Actions workflow: parsed with `yaml`, then checked
// for what makes them safe to run every minute / after every deploy.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { readRepoFile, SECRET_ENV_NAMES } from './deploy-files.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown, what: string): Obj => {
  assert.ok(v && typeof v === 'object' && !Array.isArray(v), `${what}: expected a mapping`);
  return v as Obj;
};
const list = (v: unknown, what: string): unknown[] => {
  assert.ok(Array.isArray(v), `${what}: expected a list`);
  return v;
};

describe('scheduling/kubernetes/cronjob.yaml', () => {
  const docs = parseAllDocuments(readRepoFile('scheduling', 'kubernetes', 'cronjob.yaml'));
  for (const d of docs) assert.deepEqual(d.errors, [], 'YAML parses');
  const cron = obj(
    docs.map((d) => d.toJS() as unknown).find((d) => obj(d, 'doc').kind === 'CronJob'),
    'CronJob',
  );
  const spec = obj(cron.spec, 'spec');
  const jobSpec = obj(obj(spec.jobTemplate, 'jobTemplate').spec, 'jobTemplate.spec');
  const podSpec = obj(obj(jobSpec.template, 'template').spec, 'pod spec');
  const container = obj(list(podSpec.containers, 'containers')[0], 'container');

  it('is a batch/v1 CronJob every minute that never retries; a run longer than a minute overlaps the next', () => {
    assert.equal(cron.apiVersion, 'batch/v1');
    assert.equal(spec.schedule, '* * * * *');
    // Forbid would skip the very minutes a hanging staging holds a run for its whole deadline
    // (test/deploy/time-budget.test.ts checks activeDeadlineSeconds against the budget).
    assert.equal(spec.concurrencyPolicy, 'Allow');
    assert.equal(jobSpec.backoffLimit, 0);
    assert.equal(podSpec.restartPolicy, 'Never');
  });

  it('runs as the image’s non-root user with a locked-down container', () => {
    const pod = obj(podSpec.securityContext, 'pod securityContext');
    assert.equal(pod.runAsNonRoot, true);
    assert.ok(typeof pod.runAsUser === 'number' && pod.runAsUser > 0);
    // The Dockerfile's USER is numeric and the same, so runAsNonRoot can verify it.
    const user = /^USER\s+(\d+)/m.exec(readRepoFile('Dockerfile'));
    assert.equal(String(pod.runAsUser), user?.[1]);
    const sc = obj(container.securityContext, 'container securityContext');
    assert.equal(sc.allowPrivilegeEscalation, false);
    assert.equal(sc.readOnlyRootFilesystem, true);
    assert.deepEqual(obj(sc.capabilities, 'capabilities').drop, ['ALL']);
    assert.equal(podSpec.automountServiceAccountToken, false);
  });

  it('reads secrets from a Secret via secretKeyRef, never as literal values', () => {
    const env = list(container.env, 'env').map((e) => obj(e, 'env entry'));
    const secretNames = env.filter((e) => SECRET_ENV_NAMES.includes(e.name as never));
    assert.ok(secretNames.some((e) => e.name === 'PROBE_E2E_BYPASS_KEY'));
    for (const e of secretNames) {
      assert.equal(e.value, undefined, `${String(e.name)} has a literal value`);
      const ref = obj(obj(e.valueFrom, 'valueFrom').secretKeyRef, `${String(e.name)} secretKeyRef`);
      assert.ok(typeof ref.name === 'string' && typeof ref.key === 'string');
    }
  });

  it('declares resources', () => {
    const resources = obj(container.resources, 'resources');
    assert.ok(obj(resources.requests, 'requests').memory);
    assert.ok(obj(resources.limits, 'limits').memory);
  });
});

describe('scheduling/github-actions/post-deploy-smoke.yml', () => {
  const text = readRepoFile('scheduling', 'github-actions', 'post-deploy-smoke.yml');
  const wf = obj(parse(text), 'workflow');
  const on = obj(wf.on, 'on');
  const call = obj(on.workflow_call, 'on.workflow_call');
  const job = obj(obj(wf.jobs, 'jobs').smoke, 'jobs.smoke');
  const steps = list(job.steps, 'steps').map((s) => obj(s, 'step'));
  const indexOf = (pred: (s: Obj) => boolean, what: string): number => {
    const i = steps.findIndex(pred);
    assert.ok(i >= 0, `a step that ${what}`);
    return i;
  };
  const run = (s: Obj) => String(s.run ?? '');

  it('is reusable: the caller passes the target as inputs and the credentials as secrets', () => {
    const inputs = obj(call.inputs, 'inputs');
    assert.equal(obj(inputs['api-url'], 'api-url').required, true);
    assert.equal(obj(inputs['auth-url'], 'auth-url').required, true);
    const secrets = obj(call.secrets, 'secrets');
    assert.ok('e2e-bypass-key' in secrets && 'service-secret' in secrets);
    assert.ok(typeof job['timeout-minutes'] === 'number', 'the job is bounded');
  });

  it('waits for the revision in a bounded loop before probing', () => {
    const wait = indexOf(
      (s) => /gc run services describe/.test(run(s)) && /deadline/.test(run(s)),
      'waits for the revision',
    );
    const script = run(steps[wait] as Obj);
    assert.match(script, /date \+%s\)?"? -ge "?\$deadline/, 'the loop gives up at its deadline');
    assert.match(script, /exit 1/);
    assert.match(script, /sleep \d+/);
    const probe = indexOf((s) => /docker run/.test(run(s)), 'runs the probe');
    assert.ok(wait < probe);
  });

  it('runs the probe with --junit, secrets from env only, and keeps the exit code', () => {
    const probe = steps[indexOf((s) => /docker run/.test(run(s)), 'runs the probe')] as Obj;
    assert.match(run(probe), /--junit/);
    assert.doesNotMatch(run(probe), /secrets\./, 'no secret on the command line');
    const env = obj(probe.env, 'probe env');
    assert.equal(env.PROBE_E2E_BYPASS_KEY, '${{ secrets.e2e-bypass-key }}');
    assert.equal(env.PROBE_SERVICE_SECRET, '${{ secrets.service-secret }}');
    assert.match(run(probe), /exit-code=\$code/);
  });

  it('publishes the JUnit result, then fails the job on a failed run', () => {
    const probe = indexOf((s) => /docker run/.test(run(s)), 'runs the probe');
    const publish = indexOf(
      (s) => /action-junit-report|test-reporter|upload-artifact/.test(String(s.uses ?? '')),
      'publishes the result',
    );
    assert.match(String(steps[publish]?.if), /!cancelled\(\)/, 'published on failure too');
    const fail = indexOf(
      (s) => /steps\.probe\.outputs\.exit-code != '0'/.test(String(s.if ?? '')),
      'fails on a non-zero exit code',
    );
    assert.match(run(steps[fail] as Obj), /exit 1/);
    assert.ok(probe < publish && publish < fail, 'publish before failing');
    const perms = obj(job.permissions, 'permissions');
    assert.equal(perms.checks, 'write', 'the JUnit check run needs checks: write');
  });
});
