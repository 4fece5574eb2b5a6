// Terraform's names checked against the provider's schema (a kept copy, see schemas/README.md), and the
// log-based metrics' filters and extractors run over the probe's real lines. Each check is shown to fail on a
// copy of the files with one name misspelt.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import {
  allStrings,
  asObject,
  each,
  type JsonObject,
  loadTerraform,
  type Misspelling,
  only,
  resources,
  seededCopy,
  type TerraformConfig,
} from './deploy-files.ts';
import { type Metric, metricProblems } from './log-metrics.ts';
import { type ProbeLines, probeLines, summaryLine } from './probe-lines.ts';
import { loadProviderSchemas, schemaProblems } from './terraform-schema.ts';

const schemas = loadProviderSchemas();

/** A string as Terraform would render it with the variables' defaults: locals, var.X, the job's and trigger's names. */
function render(tf: TerraformConfig, text: string): string {
  return text.replace(/\$\{([^}]+)\}/g, (whole, expr: string) => {
    const local = /^local\.(\w+)$/.exec(expr);
    if (local) return render(tf, String(tf.blocks.locals?.[local[1] as string]));
    const variable = /^var\.(\w+)$/.exec(expr);
    if (variable) return String(only(tf.blocks.variable?.[variable[1] as string], expr).default);
    if (expr === 'google_cloud_run_v2_job.probe.name') return render(tf, '${var.job_name}');
    if (expr === 'google_cloud_scheduler_job.probe.name') return render(tf, '${var.job_name}-trigger');
    throw new Error(`cannot render ${whole}`);
  });
}

function metrics(tf: TerraformConfig): Map<string, Metric> {
  const out = new Map<string, Metric>();
  for (const [name, body] of resources(tf, 'google_logging_metric')) {
    const extractors = asObject(body.label_extractors ?? {}, 'label_extractors') as Record<string, string>;
    out.set(name, {
      filter: render(tf, String(body.filter)),
      extractors,
      ...(body.value_extractor ? { valueExtractor: String(body.value_extractor) } : {}),
    });
  }
  return out;
}

const TERRAFORM_MISSPELLINGS: Misspelling[] = [
  // The data source that lists the services' secrets: its type, and the attributes read from it (provider docs:
  // registry.terraform.io/providers/hashicorp/google/6.50.0/docs/data-sources/cloud_run_v2_service).
  {
    file: 'terraform/iam.tf',
    from: 'data "google_cloud_run_v2_service"',
    to: 'data "google_cloud_run_v2_services"',
  },
  { file: 'terraform/iam.tf', from: 'svc.template[0].containers', to: 'svc.template[0].container' },
  { file: 'terraform/iam.tf', from: 'vs.secret_key_ref', to: 'vs.secret_key_refs' },
  { file: 'terraform/scheduler.tf', from: 'attempt_deadline', to: 'attempt_deadlin' },
  { file: 'terraform/scheduler.tf', from: 'retry_count', to: 'max_retries' },
  { file: 'terraform/monitoring.tf', from: 'condition_prometheus_query_language', to: 'condition_absence' },
  { file: 'terraform/monitoring.tf', from: 'disable_metric_validation', to: 'disable_metrics_validation' },
  { file: 'terraform/monitoring.tf', from: 'notification_rate_limit', to: 'notification_ratelimit' },
  { file: 'terraform/monitoring.tf', from: 'label_extractors', to: 'label_extractor' },
  { file: 'terraform/monitoring.tf', from: 'google_monitoring_dashboard', to: 'google_monitoring_dashbord' },
  { file: 'terraform/job.tf', from: 'startup_probe', to: 'startup_probes' },
  { file: 'terraform/job.tf', from: 'secret_key_ref', to: 'secret_ref' },
  { file: 'terraform/iam.tf', from: 'secret_id', to: 'secret' },
  { file: 'terraform/iam.tf', from: 'unique_writer_identity', to: 'unique_writer_identities' },
  { file: 'terraform/iam.tf', from: 'retention_days', to: 'retention_day' },
  { file: 'terraform/iam.tf', from: 'google_logging_log_view_iam_member', to: 'google_logging_view_iam_member' },
];

const EXTRACTOR_MISSPELLINGS: Misspelling[] = [
  { file: 'terraform/monitoring.tf', from: 'EXTRACT(jsonPayload.failedHop)', to: 'EXTRACT(jsonPayload.failed_hop)' },
  { file: 'terraform/monitoring.tf', from: 'EXTRACT(jsonPayload.verdict)', to: 'EXTRACT(jsonPayload.verdictCode)' },
  { file: 'terraform/monitoring.tf', from: 'EXTRACT(jsonPayload.durationMs)', to: 'EXTRACT(jsonPayload.duration_ms)' },
  // (No mutation of `NOT jsonPayload.verdict="RUN_ABORTED"`: since issue 22 an aborted run's result is `aborted`,
  // which the result filters leave out on their own; the clause stays for lines of older probe versions.)
  { file: 'terraform/monitoring.tf', from: 'jsonPayload.result=\\"fail\\"', to: 'jsonPayload.result=\\"failed\\"' },
  {
    file: 'terraform/monitoring.tf',
    from: 'jsonPayload.outcome=\\"no_verdict\\"',
    to: 'jsonPayload.outcome=\\"no-verdict\\"',
  },
  { file: 'terraform/monitoring.tf', from: 'EXTRACT(jsonPayload.exitCode)', to: 'EXTRACT(jsonPayload.exit_code)' },
];

describe('scheduling/terraform against the google provider schema', () => {
  it('every resource and data source type, attribute and block is one the provider declares, and every data source attribute read is one it exports', async () => {
    assert.deepEqual(schemaProblems(await loadTerraform(), schemas), []);
  });

  for (const mistake of TERRAFORM_MISSPELLINGS) {
    it(`fails on ${mistake.file} with ${mistake.from} misspelt ${mistake.to}`, async () => {
      const dir = await seededCopy(mistake);
      try {
        const problems = schemaProblems(await loadTerraform(join(dir, 'terraform')), schemas);
        assert.ok(
          problems.some((p) => p.includes(mistake.to)),
          `no problem names ${mistake.to}: ${problems.join('; ')}`,
        );
      } finally {
        await rm(dirname(dir), { recursive: true, force: true });
      }
    });
  }
});

describe("the log-based metrics over the probe's real lines", () => {
  let lines: ProbeLines;
  before(async () => {
    lines = await probeLines();
  });

  it('the runs used are what they claim: failed, passed, aborted by SIGTERM', () => {
    assert.match(summaryLine(lines.failed), /"result":"fail".*"verdict":"BACKEND_REJECTS_VALID_TOKEN"/);
    assert.match(summaryLine(lines.passed), /"result":"pass".*"verdict":"PASS"/);
    assert.match(summaryLine(lines.aborted), /"result":"aborted".*"verdict":"RUN_ABORTED"/);
  });

  it('count what they say, leave RUN_ABORTED out of the failures, and extract every label', async () => {
    assert.deepEqual(metricProblems(metrics(await loadTerraform()), lines), []);
  });

  for (const mistake of EXTRACTOR_MISSPELLINGS) {
    it(`fail with ${mistake.from} changed to ${mistake.to}`, async () => {
      const dir = await seededCopy(mistake);
      try {
        assert.notDeepEqual(metricProblems(metrics(await loadTerraform(join(dir, 'terraform'))), lines), []);
      } finally {
        await rm(dirname(dir), { recursive: true, force: true });
      }
    });
  }
});

describe('a fresh project', () => {
  const unwaiting = async (dir?: string): Promise<string[]> => {
    const tf = await loadTerraform(dir);
    const edges = new Map<string, Set<string>>();
    for (const [type, byName] of Object.entries(tf.blocks.resource ?? {})) {
      for (const [name, body] of Object.entries(byName as JsonObject)) {
        const refs = new Set<string>();
        for (const text of allStrings(body))
          for (const m of text.matchAll(/\b(google_\w+)\.(\w+)/g)) refs.add(`${m[1]}.${m[2]}`);
        edges.set(`${type}.${name}`, refs);
      }
    }
    const reaches = (from: string, seen = new Set<string>()): boolean => {
      if (from === 'google_project_service.apis') return true;
      if (seen.has(from)) return false;
      seen.add(from);
      return [...(edges.get(from) ?? [])].some((to) => reaches(to, seen));
    };
    return [...edges.keys()].filter((r) => r !== 'google_project_service.apis' && !reaches(r));
  };

  it('every resource waits, through references or depends_on, for the APIs to be enabled', async () => {
    assert.deepEqual(await unwaiting(), [], 'created before the APIs they need may be enabled');
  });

  it('a log-based metric without its depends_on on the APIs is caught', async () => {
    const dir = await seededCopy({
      file: 'terraform/monitoring.tf',
      from: '  depends_on = [google_project_service.apis]\n',
      to: '',
    });
    try {
      assert.ok((await unwaiting(join(dir, 'terraform'))).includes('google_logging_metric.failed_runs'));
    } finally {
      await rm(dirname(dir), { recursive: true, force: true });
    }
  });
});

describe('the alert policies', () => {
  let tf: TerraformConfig;
  let policies: Map<string, JsonObject>;
  before(async () => {
    tf = await loadTerraform();
    policies = resources(tf, 'google_monitoring_alert_policy');
  });

  it('page on failing runs, silence, executions failing without a verdict and scheduler errors', () => {
    assert.deepEqual([...policies.keys()].sort(), [
      'executions_failing',
      'golden_path_failing',
      'probe_silent',
      'scheduler_errors',
    ]);
  });

  it('every policy has a severity, notifies the required channels, and documents a runbook link', () => {
    const channels = only(tf.blocks.variable?.notification_channels, 'notification_channels');
    assert.ok(!('default' in channels), 'notification_channels is required input');
    assert.equal(each(channels.validation).length, 2, 'validated: not empty, and full channel ids');
    for (const [name, policy] of policies) {
      assert.match(String(policy.severity), /^(CRITICAL|ERROR|WARNING)$/, name);
      assert.equal(policy.notification_channels, '${var.notification_channels}', name);
      const doc = only(policy.documentation, `${name}.documentation`);
      assert.match(String(doc.content), /\$\{local\.runbook\}/, `${name} links the runbook in its text`);
      assert.equal(only(doc.links, `${name}.documentation.links`).url, '${var.runbook_url}', name);
    }
  });

  it('the silence alert fires also when no run was ever reported, and metric conditions skip the 404 race', () => {
    const silent = only(
      only(policies.get('probe_silent')?.conditions, 'conditions').condition_prometheus_query_language,
      'promql',
    );
    assert.match(String(silent.query), /^absent_over_time\(\$\{local\.promql_runs\}\[/);
    for (const [name, policy] of policies) {
      for (const condition of each(policy.conditions)) {
        assert.equal(
          condition.condition_absent,
          undefined,
          `${name}: metric-absence conditions arm only after a first point`,
        );
        assert.equal(
          condition.condition_threshold === undefined ||
            !String(condition.condition_threshold).includes('logging.googleapis.com/user'),
          true,
        );
        const promql = condition.condition_prometheus_query_language;
        if (promql)
          assert.equal(
            only(promql, 'promql').disable_metric_validation,
            true,
            `${name}: a fresh metric is not known yet`,
          );
      }
      assert.ok(
        Array.isArray(policy.depends_on) || name === 'scheduler_errors',
        `${name} depends on its metric explicitly`,
      );
    }
  });

  it('the dashboard renders to JSON with the pass rate, hop latencies and the last verdicts', async () => {
    const { readFile } = await import('node:fs/promises');
    const template = await readFile(new URL('../../scheduling/dashboard.json.tftpl', import.meta.url), 'utf8');
    const values: Record<string, string> = {
      job_name: 'golden-path-probe',
      region: 'us-central1',
      runs_metric: 'golden-path-probe/runs',
      failed_runs_metric: 'golden-path-probe/failed_runs',
      hop_latency_metric: 'golden-path-probe/hop_latency',
      concluded_runs_filter: JSON.stringify(render(tf, '${local.concluded_runs_filter}')),
    };
    const rendered = template.replace(/\$\{(\w+)\}/g, (_, key: string) => {
      assert.ok(key in values, `template variable ${key}`);
      return values[key] as string;
    });
    const dashboard = JSON.parse(rendered) as {
      mosaicLayout: { tiles: { widget: Record<string, unknown> & { title: string } }[] };
    };
    const titles = dashboard.mosaicLayout.tiles.map((t) => t.widget.title).join('\n');
    assert.match(titles, /Pass rate/);
    assert.match(titles, /Hop latency/);
    const logs = dashboard.mosaicLayout.tiles.find((t) => 'logsPanel' in t.widget);
    assert.match(
      String((logs!.widget.logsPanel as { filter: string }).filter),
      /NOT jsonPayload\.verdict="RUN_ABORTED"/,
    );
    const dashboardResource = only(
      resources(tf, 'google_monitoring_dashboard').get('probe')
        ? [resources(tf, 'google_monitoring_dashboard').get('probe') as JsonObject]
        : [],
      'dashboard',
    );
    assert.match(
      String(dashboardResource.dashboard_json),
      /templatefile\("\$\{path\.module\}\/\.\.\/dashboard\.json\.tftpl"/,
    );
    for (const key of Object.keys(values))
      assert.ok(String(dashboardResource.dashboard_json).includes(`${key}`), `terraform passes ${key}`);
  });
});
