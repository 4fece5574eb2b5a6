// docs/report.schema.json itself: a report as the runner writes it passes; a misspelt or unknown field, a
// code or hop outside the contract, fails.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertValidReport } from '../support/report-schema.ts';
import { sampleReport } from '../telemetry/fixtures/sample-report.ts';

describe('the report JSON Schema', () => {
  it('accepts a report as the runner writes it, with retries nesting the attempts', () => {
    const report = sampleReport();
    assertValidReport(report);
    assertValidReport({ ...report, flaky: false, attempts: [report] });
  });

  const broken: Array<[string, (r: Record<string, unknown>) => void]> = [
    ['a misspelt top-level field', (r) => (r.failedhop = null)],
    ['an unknown hop field', (r) => ((r.hops as Array<Record<string, unknown>>)[0]!.statusCode = 200)],
    ['a verdict code outside the contract', (r) => ((r.verdict as Record<string, unknown>).code = 'LOGIN_BROKEN')],
    ['a hop name outside the contract', (r) => ((r.hops as Array<Record<string, unknown>>)[0]!.name = 'logon')],
    ['another schema', (r) => (r.schema = 'golden-path-probe/report@2')],
    ['a missing required field', (r) => delete r.traceId],
  ];
  for (const [what, breakIt] of broken) {
    it(`refuses ${what}`, () => {
      const report = structuredClone(sampleReport()) as unknown as Record<string, unknown>;
      breakIt(report);
      assert.throws(() => assertValidReport(report), /does not match docs\/report\.schema\.json/);
    });
  }
});
