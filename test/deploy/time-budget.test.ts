// One time budget for every way the probe is deployed: Node start + collector start + the probe's deadline +
// triage + log lookup + clean-up + export flush + margin must fit in Cloud Run's task timeout (Terraform and
// gcloud.sh), the CronJob's activeDeadlineSeconds and the smoke workflow's step timeout. The numbers are read
// from the files; a seeded overrun in each file fails.
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import {
  asObject,
  each,
  type JsonObject,
  loadTerraform,
  type Misspelling,
  only,
  REPO,
  seededCopy,
  theResource,
} from './deploy-files.ts';
import { runGcloudScript } from './gcloud-run.ts';
import { afterDeadline, budgetOf, budgetProblems, deadlinesFrom, flagOf } from './time-budget.ts';

const SCHEDULING = join(REPO, 'scheduling');

async function terraformProblems(dir: string): Promise<string[]> {
  const tf = await loadTerraform(join(dir, 'terraform'));
  const defaultOf = (name: string) => Number(only(tf.blocks.variable?.[name], name).default);
  const [, job] = theResource(tf, 'google_cloud_run_v2_job');
  const task = only(only(job.template, 'template').template, 'template.template');
  const collector = only(
    only(each(asObject(task.dynamic, 'dynamic').containers)[0]?.content, 'collector').startup_probe,
    'startup_probe',
  );
  const deadlines = {
    runMs: defaultOf('probe_timeout_ms'),
    agentMs: defaultOf('agent_timeout_ms'),
    agentDegradedMs: defaultOf('agent_degraded_ms'),
  };
  // The container's args pass all three (local.probe_args names the variables).
  const args = String(tf.blocks.locals?.probe_args);
  const missing = ['--timeout-ms', '--agent-timeout-ms', '--agent-degraded-ms'].filter((f) => !args.includes(`"${f}"`));
  const budget = budgetOf({
    where: 'terraform/job.tf',
    deadlines,
    deadlineFrom: 'probe_timeout_ms',
    collectorStartMs:
      (Number(collector.initial_delay_seconds ?? 0) +
        Number(collector.period_seconds) * Number(collector.failure_threshold)) *
      1000,
    limitMs: defaultOf('task_timeout_seconds') * 1000,
    limitFrom: 'task_timeout_seconds',
  });
  // The plan-time precondition adds up the same terms (local.budget_around_deadline_ms).
  const around = asObject(tf.blocks.locals?.budget_around_deadline_ms, 'budget_around_deadline_ms');
  const planned = Object.values(around).reduce<number>(
    (sum, v) => sum + Number(/(\d+)/.exec(String(v))?.[1] ?? Number.NaN),
    0,
  );
  const tested = budget.terms.filter((t) => t.name !== 'probe deadline').reduce((sum, t) => sum + t.ms, 0);
  return [
    ...budgetProblems(budget, deadlines),
    ...missing.map((f) => `terraform/job.tf: the job's args do not pass ${f}`),
    ...(planned >= tested ? [] : [`terraform/job.tf: budget_around_deadline_ms sums ${planned} ms < ${tested} ms`]),
  ];
}

async function gcloudProblems(dir: string): Promise<string[]> {
  const run = await runGcloudScript(dir);
  if (run.exitCode !== 0) return [`gcloud.sh refused: ${run.stderr.trim()}`];
  const deploy = run.calls.find((c) => c.args.includes('deploy') && c.args.includes('jobs'));
  if (!deploy) return ['gcloud.sh: no `run jobs deploy`'];
  const flag = flagOf(deploy.args);
  const args = String(flag('--args')).split(',');
  const deadlines = deadlinesFrom((f) => flagOf(args)(f));
  const probe = Object.fromEntries(
    String(flag('--startup-probe'))
      .split(',')
      .map((kv) => kv.split('=') as [string, string]),
  );
  const budget = budgetOf({
    where: 'gcloud.sh',
    deadlines,
    deadlineFrom: '--timeout-ms',
    collectorStartMs:
      (Number(probe.initialDelaySeconds ?? 0) + Number(probe.periodSeconds) * Number(probe.failureThreshold)) * 1000,
    limitMs: Number(/^(\d+)s$/.exec(String(flag('--task-timeout')))?.[1] ?? Number.NaN) * 1000,
    limitFrom: '--task-timeout',
  });
  return budgetProblems(budget, deadlines);
}

async function cronJobProblems(dir: string): Promise<string[]> {
  const docs = parseAllDocuments(await readFile(join(dir, 'kubernetes', 'cronjob.yaml'), 'utf8')).map(
    (d) => d.toJS() as JsonObject,
  );
  const cron = docs.find((d) => d.kind === 'CronJob') as JsonObject;
  const jobSpec = asObject(asObject(asObject(cron.spec, 'spec').jobTemplate, 'jobTemplate').spec, 'job spec');
  const pod = asObject(asObject(jobSpec.template, 'template').spec, 'pod spec');
  const container = asObject((pod.containers as JsonObject[])[0], 'container');
  const deadlines = deadlinesFrom((f) => flagOf((container.args as string[]).map(String))(f));
  const budget = budgetOf({
    where: 'kubernetes/cronjob.yaml',
    deadlines,
    deadlineFrom: '--timeout-ms',
    includesSchedulingAndPull: true,
    limitMs: Number(jobSpec.activeDeadlineSeconds) * 1000,
    limitFrom: 'activeDeadlineSeconds',
  });
  return budgetProblems(budget, deadlines);
}

async function workflowProblems(dir: string): Promise<string[]> {
  const wf = parse(await readFile(join(dir, 'github-actions', 'post-deploy-smoke.yml'), 'utf8')) as {
    jobs: { smoke: { steps: { id?: string; 'timeout-minutes'?: number; env?: Record<string, string> }[] } };
  };
  const step = wf.jobs.smoke.steps.find((s) => s.id === 'probe');
  if (!step) return ['post-deploy-smoke.yml: no probe step'];
  const deadlines = deadlinesFrom((_f, env) => step.env?.[env]);
  const budget = budgetOf({
    where: 'github-actions/post-deploy-smoke.yml',
    deadlines,
    deadlineFrom: 'PROBE_TIMEOUT_MS',
    limitMs: Number(step['timeout-minutes']) * 60_000,
    limitFrom: 'the probe step timeout-minutes',
  });
  return budgetProblems(budget, deadlines);
}

const CHECKS: Record<string, (dir: string) => Promise<string[]>> = {
  terraform: terraformProblems,
  'gcloud.sh': gcloudProblems,
  cronjob: cronJobProblems,
  workflow: workflowProblems,
};

// `reason`: what the check must say, so a seeded copy failing for another reason (a parse error, a script
// refusing on something else) does not pass for an overrun.
const OVERRUNS: Array<{ check: string; mistake: Misspelling; reason: RegExp }> = [
  {
    check: 'terraform',
    mistake: { file: 'terraform/variables.tf', from: 'default     = 240', to: 'default     = 200' },
    reason: /= 224 s > task_timeout_seconds 200 s/,
  },
  {
    check: 'terraform',
    mistake: { file: 'terraform/variables.tf', from: 'default     = 180000', to: 'default     = 230000' },
    reason: /probe deadline 230 s .* = 274 s > task_timeout_seconds 240 s/,
  },
  {
    check: 'terraform',
    mistake: { file: 'terraform/job.tf', from: 'failure_threshold     = 10', to: 'failure_threshold     = 60' },
    reason: /collector start 60 s .* = 274 s > task_timeout_seconds 240 s/,
  },
  {
    check: 'gcloud.sh',
    mistake: { file: 'gcloud.sh', from: 'TASK_TIMEOUT:-240s', to: 'TASK_TIMEOUT:-200s' },
    reason: /refused: TASK_TIMEOUT=200s is below the time budget of 224 s/,
  },
  {
    check: 'gcloud.sh',
    mistake: { file: 'gcloud.sh', from: 'PROBE_TIMEOUT_MS:-180000', to: 'PROBE_TIMEOUT_MS:-230000' },
    reason: /refused: TASK_TIMEOUT=240s is below the time budget of 274 s/,
  },
  {
    check: 'cronjob',
    mistake: { file: 'kubernetes/cronjob.yaml', from: 'activeDeadlineSeconds: 300', to: 'activeDeadlineSeconds: 240' },
    reason: /= 274 s > activeDeadlineSeconds 240 s/,
  },
  {
    check: 'cronjob',
    mistake: { file: 'kubernetes/cronjob.yaml', from: '"180000"', to: '"240000"' },
    reason: /probe deadline 240 s .* = 334 s > activeDeadlineSeconds 300 s/,
  },
  {
    check: 'workflow',
    mistake: { file: 'github-actions/post-deploy-smoke.yml', from: 'timeout-minutes: 5', to: 'timeout-minutes: 3' },
    reason: /= 214 s > the probe step timeout-minutes 180 s/,
  },
  {
    check: 'workflow',
    mistake: {
      file: 'github-actions/post-deploy-smoke.yml',
      from: 'PROBE_AGENT_DEGRADED_MS: "100000"',
      to: 'PROBE_AGENT_DEGRADED_MS: "80000"',
    },
    reason: /expected recorded agent run 85 s < agent degraded 80 s/,
  },
];

describe('the time budget of one run', () => {
  it('is read from the source: the work after the deadline is bounded there', () => {
    const terms = afterDeadline();
    assert.deepEqual(
      terms.map((t) => t.name),
      ['triage', 'log lookup', 'clean-up', 'export flush'],
    );
    for (const t of terms) assert.ok(t.ms > 0 && t.ms <= 10_000, `${t.name} ${t.ms} ms`);
  });

  for (const [name, check] of Object.entries(CHECKS)) {
    it(`fits in ${name}`, async () => {
      assert.deepEqual(await check(SCHEDULING), []);
    });
  }

  for (const { check, mistake, reason } of OVERRUNS) {
    it(`fails in ${check} with ${mistake.from} changed to ${mistake.to}`, async () => {
      const dir = await seededCopy(mistake);
      try {
        const problems = await (CHECKS[check] as (d: string) => Promise<string[]>)(dir);
        assert.notDeepEqual(problems, []);
        assert.ok(
          problems.some((p) => reason.test(p)),
          `expected ${reason}, got ${JSON.stringify(problems)}`,
        );
      } finally {
        await rm(dirname(dir), { recursive: true, force: true });
      }
    });
  }

  it('gcloud.sh refuses, before calling gcloud, a TASK_TIMEOUT one second short of its budget', async () => {
    const short = await runGcloudScript(SCHEDULING, { TASK_TIMEOUT: '223s' });
    assert.equal(short.exitCode, 2);
    assert.match(short.stderr, /below the time budget of 224 s/);
    assert.deepEqual(short.calls, []);
    assert.equal((await runGcloudScript(SCHEDULING, { TASK_TIMEOUT: '224s' })).exitCode, 0);
  });

  it('the silence alert waits longer than one tick plus the longest run', async () => {
    const tf = await loadTerraform();
    const defaultOf = (name: string) => Number(only(tf.blocks.variable?.[name], name).default);
    assert.ok(defaultOf('alert_silence_seconds') >= defaultOf('task_timeout_seconds') + 60);
  });
});
