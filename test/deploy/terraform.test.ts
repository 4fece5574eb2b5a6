// The Terraform for Cloud Scheduler -> Cloud Run Job: parsed with @cdktf/hcl2json (no provider, no
// network), then checked for the properties the probe's schedule and alerting depend on.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import {
  allStrings,
  asObject,
  each,
  type JsonObject,
  loadTerraform,
  only,
  parseHcl,
  readRepoFile,
  referencedVariables,
  resolve,
  resources,
  SECRET_ENV_NAMES,
  TERRAFORM_DIR,
  type TerraformConfig,
  theResource,
} from './deploy-files.ts';

describe('scheduling/terraform', () => {
  let tf: TerraformConfig;
  let job: JsonObject;
  let task: JsonObject;
  let container: JsonObject;
  before(async () => {
    tf = await loadTerraform();
    job = theResource(tf, 'google_cloud_run_v2_job')[1];
    task = only(only(job.template, 'job.template').template, 'job.template.template');
    container = only(task.containers, 'containers');
  });

  it('parses, every var.X referenced is declared with a description, and every declared one is used', () => {
    assert.ok(tf.files.includes('variables.tf') && tf.files.includes('outputs.tf'), `files: ${tf.files.join(', ')}`);
    const declared = Object.keys(tf.blocks.variable ?? {});
    const referenced = referencedVariables(tf.parsed.values());
    assert.deepEqual(
      [...referenced].filter((v) => !declared.includes(v)),
      [],
      'referenced but not declared in variables.tf',
    );
    assert.deepEqual(
      declared.filter((v) => !referenced.has(v)),
      [],
      'declared but never used',
    );
    for (const name of declared) {
      const v = only(tf.blocks.variable?.[name], `variable ${name}`);
      assert.ok(typeof v.description === 'string' && v.description.length > 10, `variable ${name} needs a description`);
    }
    // Variables are declared in variables.tf only.
    for (const [file, doc] of tf.parsed)
      if (file !== 'variables.tf') assert.equal(doc.variable, undefined, `${file} declares variables`);
    for (const [name, body] of Object.entries(tf.blocks.output ?? {})) {
      assert.ok(typeof only(body, `output ${name}`).description === 'string', `output ${name} needs a description`);
    }
  });

  it('scheduling/README.md documents every variable', () => {
    const readme = readRepoFile('scheduling', 'README.md');
    const missing = Object.keys(tf.blocks.variable ?? {}).filter((name) => !readme.includes(`\`${name}\``));
    assert.deepEqual(missing, [], 'variables missing from the README');
  });

  it('the target is variables, never a default (staging hosts are examples only)', () => {
    for (const name of ['project_id', 'image'])
      assert.ok(!('default' in only(tf.blocks.variable?.[name], name)), `${name} must have no default`);
    // null: unset, for a probe definition that lists its own targets
    for (const name of ['api_url', 'auth_url']) assert.equal(only(tf.blocks.variable?.[name], name).default, null);
    const literal = allStrings({ ...tf.blocks.resource, ...tf.blocks.locals, ...tf.blocks.variable } as JsonObject)
      .filter((s) => s.includes('netrasystems.ai'))
      .filter((s) => !s.includes(' e.g. '));
    assert.deepEqual(literal, [], 'no hard-coded Netra host outside the examples');
  });

  it('terraform.tfvars.example sets only declared variables and no secret value', async () => {
    const text = readFileSync(join(TERRAFORM_DIR, 'terraform.tfvars.example'), 'utf8');
    const example = await parseHcl('terraform.tfvars', text);
    const declared = Object.keys(tf.blocks.variable ?? {});
    assert.deepEqual(
      Object.keys(example).filter((k) => !declared.includes(k)),
      [],
    );
    for (const name of ['project_id', 'image', 'api_url', 'auth_url'])
      assert.ok(name in example, `example sets ${name}`);
    for (const secret of SECRET_ENV_NAMES)
      assert.doesNotMatch(text, new RegExp(`^\\s*${secret}\\s*=\\s*"(?!golden-probe-)`, 'm'));
  });

  it('the Cloud Run job never retries, has a task timeout (test/deploy/time-budget.test.ts sums it), runs `run`', () => {
    assert.equal(task.max_retries, 0);
    assert.equal(task.timeout, '${var.task_timeout_seconds}s');
    assert.equal(container.image, '${var.image}');
    // args = local.probe_args = concat(["run", ...], ...)
    assert.equal(container.args, '${local.probe_args}');
    assert.match(String(tf.blocks.locals?.probe_args), /^\$\{concat\(\s*\[\s*"run",\s*"--timeout-ms"/);
    assert.match(String(job.template && only(job.template, 't').task_count), /var\.task_count/);
    assert.ok(String(task.service_account).includes('google_service_account.runner.email'));
  });

  it('secrets reach the job only from Secret Manager via value_source.secret_key_ref', () => {
    const dynamicEnv = each(asObject(container.dynamic, 'containers.dynamic').env);
    const secretBlocks = dynamicEnv.filter((d) => only(d.content, 'content').value_source !== undefined);
    assert.equal(secretBlocks.length, 1);
    const secretBlock = secretBlocks[0] as JsonObject;
    assert.equal(secretBlock.for_each, '${var.secret_env}');
    const ref = only(
      only(only(secretBlock.content, 'content').value_source, 'value_source').secret_key_ref,
      'secret_key_ref',
    );
    assert.equal(ref.secret, '${env.value}');
    assert.equal(ref.version, 'latest');
    const secretDefaults = asObject(only(tf.blocks.variable?.secret_env, 'secret_env').default, 'secret_env default');
    assert.ok('PROBE_E2E_BYPASS_KEY' in secretDefaults && 'PROBE_SERVICE_SECRET' in secretDefaults);
    // No plain env entry carries a secret: static env blocks don't name one, var.env refuses them.
    for (const e of each(container.env))
      assert.ok(!SECRET_ENV_NAMES.includes(String(e.name) as never), `plain env ${String(e.name)}`);
    const envValidation = only(only(tf.blocks.variable?.env, 'env').validation, 'env validation');
    for (const name of SECRET_ENV_NAMES)
      assert.ok(String(envValidation.condition).includes(name), `var.env refuses ${name}`);
    // The runner may read exactly those secrets.
    const access = resources(tf, 'google_secret_manager_secret_iam_member').get('runner_reads');
    assert.ok(access);
    assert.equal(access.role, 'roles/secretmanager.secretAccessor');
    assert.equal(access.for_each, '${toset(values(var.secret_env))}');
    assert.ok(String(access.member).includes('google_service_account.runner.email'));
  });

  it('Cloud Scheduler POSTs jobs:run on run.googleapis.com every minute with an OAuth token', () => {
    const [, sched] = theResource(tf, 'google_cloud_scheduler_job');
    assert.equal(resolve(tf, sched.schedule), '* * * * *');
    const target = only(sched.http_target, 'http_target');
    assert.equal(target.http_method, 'POST');
    assert.equal(
      target.uri,
      'https://run.googleapis.com/v2/projects/${var.project_id}/locations/${var.region}/jobs/${google_cloud_run_v2_job.probe.name}:run',
    );
    const oauth = only(target.oauth_token, 'oauth_token');
    assert.equal(oauth.scope, 'https://www.googleapis.com/auth/cloud-platform');
    assert.equal(oauth.service_account_email, '${google_service_account.scheduler.email}');
    assert.equal(target.oidc_token, undefined, 'a Google API takes an OAuth token, not OIDC');
    assert.equal(only(sched.retry_config, 'retry_config').retry_count, 0);
  });

  it('each service account has only what it needs', () => {
    const invoker = [...resources(tf, 'google_cloud_run_v2_job_iam_member').values()];
    assert.equal(invoker.length, 1);
    assert.equal(invoker[0]?.role, 'roles/run.invoker');
    assert.equal(invoker[0]?.name, '${google_cloud_run_v2_job.probe.name}');
    assert.ok(String(invoker[0]?.member).includes('google_service_account.scheduler.email'));
    // Project-wide: one trace role, nothing else. The drift checks' views are each on exactly what they read.
    const projectRoles = Object.fromEntries(
      [...resources(tf, 'google_project_iam_member')].map(([name, b]) => [name, String(b.for_each)]),
    );
    assert.deepEqual(projectRoles, {
      runner_telemetry: '${var.export_traces ? toset(["roles/telemetry.tracesWriter"]) : toset([])}',
    });
    const runner = '${google_service_account.runner.email}';
    // run.viewer on the two Netra services only.
    const services = resources(tf, 'google_cloud_run_v2_service_iam_member').get('runner_views_services');
    assert.equal(services?.role, 'roles/run.viewer');
    assert.equal(services?.for_each, '${local.netra_services}');
    assert.equal(services?.name, '${each.value}');
    assert.equal(services?.member, `serviceAccount:${runner}`);
    assert.match(String(tf.blocks.locals?.netra_services), /var\.backend_service.*var\.auth_service/);
    // secretmanager.viewer on the secrets those services reference, read from the services themselves.
    const secrets = resources(tf, 'google_secret_manager_secret_iam_member').get('runner_views_secrets');
    assert.equal(secrets?.role, 'roles/secretmanager.viewer');
    assert.equal(secrets?.for_each, '${local.netra_secret_ids}');
    assert.match(
      String(tf.blocks.locals?.netra_secret_ids),
      /data\.google_cloud_run_v2_service\.netra.*secret_key_ref/s,
    );
    // Logs through one view of a bucket that holds only the two services' ERROR entries.
    const sink = resources(tf, 'google_logging_project_sink').get('netra_errors') ?? {};
    assert.match(
      String(sink.filter),
      /resource\.labels\.service_name=\(\\?"\$\{var\.backend_service\}\\?" OR \\?"\$\{var\.auth_service\}\\?"\) AND severity>=ERROR/,
    );
    // The sink routes into a log bucket of its own project: Google's LogSink reference says such a sink has no
    // writer identity and needs no grant, so none is made (a bucketWriter grant to a writer identity would be a
    // grant to nobody, or to the project-wide Logging service account).
    assert.equal(
      sink.destination,
      'logging.googleapis.com/projects/${var.project_id}/locations/global/buckets/${local.netra_errors_bucket}',
    );
    assert.equal(
      JSON.stringify(tf.blocks.resource ?? {}).match(/writer_identity\}|roles\/logging\.bucketWriter/g),
      null,
      'no grant to the sink writer identity',
    );
    const viewer = resources(tf, 'google_logging_log_view_iam_member').get('runner_reads_netra_errors') ?? {};
    assert.equal(viewer.role, 'roles/logging.viewAccessor');
    assert.equal(viewer.member, `serviceAccount:${runner}`);
    assert.match(String(tf.blocks.locals?.drift_env), /PROBE_GCP_LOG_VIEW\s*=\s*local\.netra_errors_view/);
    for (const role of [
      'roles/run.viewer',
      'roles/secretmanager.viewer',
      'roles/logging.viewer',
      'roles/cloudtrace.agent',
    ])
      assert.ok(
        ![...resources(tf, 'google_project_iam_member').values()].some((b) => String(b.for_each).includes(role)),
        `${role} is not granted on the project`,
      );
    // The drift checks read the services in the project the roles were granted on, and only with them.
    const job = String(tf.blocks.locals?.drift_env);
    assert.match(job, /^\$\{var\.grant_drift_checks \? \{/);
    for (const v of [
      'PROBE_GCP_PROJECT',
      'var.project_id',
      'PROBE_BACKEND_SERVICE',
      'var.backend_service',
      'PROBE_AUTH_SERVICE',
    ]) {
      assert.ok(job.includes(v), `drift_env sets ${v}`);
    }
    // Secret values beyond the probe's own: only the ones named for --compare-secret-values.
    const compares = resources(tf, 'google_secret_manager_secret_iam_member').get('runner_compares');
    assert.equal(compares?.for_each, '${toset(var.compare_secret_ids)}');
    assert.deepEqual(only(tf.blocks.variable?.compare_secret_ids, 'compare_secret_ids').default, []);
    for (const type of ['google_project_iam_binding', 'google_project_iam_policy', 'google_service_account_key']) {
      assert.equal(resources(tf, type).size, 0, `${type} is too broad (or a key to leak)`);
    }
  });

  it('a log-based metric counts failed runs from the summary line, and an alert policy watches it', () => {
    const metrics = resources(tf, 'google_logging_metric');
    const failed = metrics.get('failed_runs');
    assert.ok(failed, 'google_logging_metric.failed_runs');
    // The filter is built from two locals; expressions keep HCL's \" escapes, templates do not.
    const filter = `${String(tf.blocks.locals?.job_logs_filter)}\n${String(tf.blocks.locals?.failed_runs_filter)}`;
    assert.equal(failed.filter, '${local.failed_runs_filter}');
    assert.ok(filter.includes('jsonPayload.result="fail"'), filter);
    assert.ok(filter.includes('resource.type="cloud_run_job"'), filter);
    assert.ok(filter.includes('resource.labels.job_name="${google_cloud_run_v2_job.probe.name}"'), filter);
    const extractors = asObject(failed.label_extractors, 'label_extractors');
    assert.equal(extractors.verdict, 'EXTRACT(jsonPayload.verdict)');
    assert.equal(extractors.failed_hop, 'EXTRACT(jsonPayload.failedHop)');

    const policies = resources(tf, 'google_monitoring_alert_policy');
    const failing = policies.get('golden_path_failing');
    assert.ok(failing);
    const condition = only(only(failing.conditions, 'conditions').condition_prometheus_query_language, 'promql');
    assert.match(
      String(condition.query),
      /^sum\(increase\(\$\{local\.promql_failed_runs\}\[\$\{var\.alert_window_seconds\}s\]\)\) > \$\{var\.alert_failed_runs_threshold\}$/,
    );
    assert.ok(
      String(tf.blocks.locals?.promql_failed_runs).includes(
        'logging.googleapis.com/user/${google_logging_metric.failed_runs.name}',
      ),
    );
    assert.equal(failing.notification_channels, '${var.notification_channels}');
    assert.ok(policies.has('probe_silent'), 'an absence alert notices the probe going quiet');
  });
});
