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
  if (!failedRuns || !runs || !hops) return [`metrics missing: have ${[...all.keys()].join(', ')}`];
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
    const hopLines = entries(lines.passed).filter((e) => matches(hops.filter, e));
    // demo points hop config at the double's Google fakes: the eight golden-path hops and config.
    expect(hopLines.length === 9, `hop_latency counts the 9 hop lines of a passing run (got ${hopLines.length})`);
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
