// What the deployment's log-based metrics must do over the probe's real lines (from the CLI against the
// double): count failed and concluded runs, leave RUN_ABORTED out, and find every label and value they extract.
import { entryFromStdoutLine, extract, type LogEntry, matches } from './log-filter.ts';
import { type ProbeLines, summaryLine } from './probe-lines.ts';

/** A log-based metric as Terraform or gcloud.sh defines it, with its filter rendered. */
export interface Metric {
  filter: string;
  extractors: Record<string, string>;
  valueExtractor?: string;
}

const JOB_RESOURCE = { type: 'cloud_run_job', labels: { job_name: 'golden-path-probe', location: 'us-central1' } };

const entries = (lines: string[]): LogEntry[] => lines.map((l) => entryFromStdoutLine(l, JOB_RESOURCE));

/**
 * Text Cloud Run jobs have been seen to write when a task hits its timeout. Google documents the stop ("If the task
 * attempt does not complete within this time, it will be stopped", cloud.google.com/run/docs/configuring/task-timeout)
 * but no wording or field for it, so no metric may depend on such text: a rewording would silently zero it.
 */
const UNDOCUMENTED_TIMEOUT_TEXT = {
  severity: 'ERROR',
  logName: 'projects/p/logs/run.googleapis.com%2Fvarlog%2Fsystem',
  textPayload: 'Terminating task because it has reached the maximum timeout of 240 seconds.',
};

/** What must hold of the metrics over the real lines; returns the broken expectations. */
export function metricProblems(all: Map<string, Metric>, lines: ProbeLines): string[] {
  const problems: string[] = [];
  const failed = entryFromStdoutLine(summaryLine(lines.failed), JOB_RESOURCE);
  const passed = entryFromStdoutLine(summaryLine(lines.passed), JOB_RESOURCE);
  const aborted = entryFromStdoutLine(summaryLine(lines.aborted), JOB_RESOURCE);
  const expect = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  const failedRuns = all.get('failed_runs');
  const runs = all.get('runs');
  const hops = all.get('hop_latency');
  const noVerdict = all.get('no_verdict');
  if (!failedRuns || !runs || !hops || !noVerdict) return [`metrics missing: have ${[...all.keys()].join(', ')}`];
  try {
    expect(matches(failedRuns.filter, failed), 'failed_runs counts a failed run');
    expect(!matches(failedRuns.filter, passed), 'failed_runs leaves a passing run out');
    expect(!matches(failedRuns.filter, aborted), 'failed_runs leaves a RUN_ABORTED run out');
    for (const [label, extractor] of Object.entries(failedRuns.extractors)) {
      if (label === 'target') continue; // only a definition with several targets writes it
      expect(
        extract(extractor, failed) !== undefined,
        `failed_runs label ${label} (${extractor}) has a value on the real line`,
      );
    }
    expect(
      extract(failedRuns.extractors.verdict ?? '', failed) === 'BACKEND_REJECTS_VALID_TOKEN',
      'failed_runs verdict is the verdict code',
    );
    expect(
      extract(failedRuns.extractors.failed_hop ?? '', failed) === 'chat.messages.list',
      'failed_runs failed_hop is the failing hop',
    );
    expect(matches(runs.filter, failed) && matches(runs.filter, passed), 'runs counts failed and passing runs');
    expect(!matches(runs.filter, aborted), 'runs leaves a RUN_ABORTED run out');
    expect(extract(runs.extractors.result ?? '', passed) === 'pass', 'runs result label');
    expect(extract(runs.extractors.verdict ?? '', passed) === 'PASS', 'runs verdict label');
    // The job's own outcome: an execution that ends without a verdict is counted once, one with a verdict never.
    const misconfigured = entries(lines.misconfigured);
    expect(
      misconfigured.filter((e) => matches(noVerdict.filter, e)).length === 1,
      'no_verdict counts the one line of a run that exits 2',
    );
    expect(
      extract(noVerdict.extractors.exit_code ?? '', misconfigured[0] as LogEntry) === '2',
      'no_verdict exit_code label is the exit code',
    );
    expect(matches(noVerdict.filter, aborted), 'no_verdict counts a run stopped by a signal (RUN_ABORTED)');
    expect(
      !/textPayload/.test(noVerdict.filter) &&
        !matches(noVerdict.filter, { ...UNDOCUMENTED_TIMEOUT_TEXT, resource: JOB_RESOURCE }),
      "no_verdict relies on no undocumented Cloud Run text (only the probe's own lines)",
    );
    for (const e of [...entries(lines.failed), ...entries(lines.passed)])
      expect(
        !matches(noVerdict.filter, e),
        `no_verdict leaves out a line of a run with a verdict: ${JSON.stringify(e.jsonPayload).slice(0, 80)}`,
      );
    expect(
      !matches(noVerdict.filter, {
        ...aborted,
        resource: { ...JOB_RESOURCE, labels: { ...JOB_RESOURCE.labels, job_name: 'other-job' } },
      }),
      'no_verdict counts only this job',
    );
    const hopLines = entries(lines.passed).filter((e) => matches(hops.filter, e));
    // demo points hop config at the double's Google fakes: config and every golden-path hop writes one line (8 at
    // least; the count follows the hops the run has, e.g. issue 19's thread.create).
    const written = lines.passed.filter((l) => {
      const line = JSON.parse(l) as { hop?: unknown; durationMs?: unknown };
      return typeof line.hop === 'string' && typeof line.durationMs === 'number';
    }).length;
    expect(
      hopLines.length === written && written >= 8,
      `hop_latency counts every hop line of a passing run (${hopLines.length} of ${written})`,
    );
    expect(!matches(hops.filter, passed), 'hop_latency leaves the summary line out');
    for (const e of hopLines) {
      expect(
        /^\d+$/.test(extract(hops.valueExtractor ?? '', e) ?? ''),
        `hop_latency value (${hops.valueExtractor}) is the duration in ms`,
      );
      for (const [label, extractor] of Object.entries(hops.extractors))
        expect(extract(extractor, e) !== undefined, `hop_latency label ${label} (${extractor})`);
    }
  } catch (error) {
    problems.push((error as Error).message);
  }
  return problems;
}
