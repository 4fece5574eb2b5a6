// The report's published JSON Schema (docs/report.schema.json), applied to every report the suite produces.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Report } from '../../src/report/types.ts';

const schema = JSON.parse(readFileSync(new URL('../../docs/report.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, allowUnionTypes: true }).compile(schema);

/** Fails the test, naming every field out of the schema, unless `value` is a valid report@1. */
export function assertValidReport(value: unknown, where = 'report'): asserts value is Report {
  if (validate(value)) return;
  const problems = (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
  assert.fail(`${where} does not match docs/report.schema.json:\n  ${problems.join('\n  ')}`);
}

/** Validates the reports inside a serve answer: a report, `{ reports: [...] }` or `{ report }`. */
export function assertValidReportsIn(body: unknown, where = 'answer'): void {
  if (typeof body !== 'object' || body === null) return;
  const doc: { schema?: unknown; reports?: unknown; report?: unknown } = body;
  if (doc.schema !== undefined) assertValidReport(body, where);
  if (Array.isArray(doc.reports)) {
    for (const [i, r] of doc.reports.entries()) assertValidReport(r, `${where} reports[${i}]`);
  }
  if (doc.report !== undefined) assertValidReport(doc.report, `${where} report`);
}
