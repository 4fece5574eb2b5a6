import { escapeMarkup } from './escape.ts';
import type { Report } from './types.ts';

/**
 * JUnit XML for CI: one test suite per run, one test case per hop. The failing hop's failure message
 * carries the verdict and its evidence, which is what CI systems show on the failed test.
 */
export function renderJunit(report: Report): string {
  const cases = report.hops.map((hop) => {
    const name = escapeMarkup(hop.name);
    const time = (hop.durationMs / 1000).toFixed(3);
    const open = `    <testcase classname="${escapeMarkup(report.probe)}" name="${name}" time="${time}">`;
    // An interrupted run's hops are skipped, never failures: a Ctrl-C is not a staging failure in CI.
    if (hop.status === 'skip')
      return `${open}\n      <skipped message="${escapeMarkup(hop.skippedBecause ?? 'skipped')}"/>\n    </testcase>`;
    if (hop.status === 'fail') {
      const isVerdictHop = report.verdict.hop === hop.name;
      const code = hop.code ?? 'FAIL';
      const message = isVerdictHop
        ? `${report.verdict.code}: ${report.verdict.summary}`
        : `${code}: ${hop.evidence?.[0] ?? ''}`;
      const body = (isVerdictHop ? report.verdict.evidence : (hop.evidence ?? [])).join('\n');
      return (
        `${open}\n      <failure message="${escapeMarkup(message)}" ` +
        `type="${escapeMarkup(code)}">${escapeMarkup(body)}</failure>\n    </testcase>`
      );
    }
    const note =
      hop.status === 'degraded'
        ? `\n      <system-out>${escapeMarkup(`degraded: ${hop.durationMs} ms`)}</system-out>`
        : '';
    return note ? `${open}${note}\n    </testcase>` : `${open}</testcase>`;
  });
  const failures = report.hops.filter((h) => h.status === 'fail').length;
  const skipped = report.hops.filter((h) => h.status === 'skip').length;
  const props = [
    ['runId', report.runId],
    ['attempt', String(report.attempt)],
    ['result', report.result],
    ['verdict', report.verdict.code],
    ['traceId', report.traceId ?? ''],
    ['traceUrl', report.traceUrl ?? ''],
  ]
    .map(([k, v]) => `      <property name="${k}" value="${escapeMarkup(v!)}"/>`)
    .join('\n');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="golden-path-probe" tests="${report.hops.length}" failures="${failures}" ` +
      `skipped="${skipped}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    `  <testsuite name="${escapeMarkup(report.probe)}" tests="${report.hops.length}" failures="${failures}" ` +
      `errors="0" skipped="${skipped}" time="${(report.durationMs / 1000).toFixed(3)}" ` +
      `timestamp="${report.startedAt}">`,
    '    <properties>',
    props,
    '    </properties>',
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
