// The API-only piece registered when nothing is exported (the id-only tracer), and the export warning.
// In-process, with explicit contexts (no global registration).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTraceState, ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { describeExportError, ExportFailureReporter } from '../../src/telemetry/sdk/export-failure-reporter.ts';
import { IdOnlyTracerProvider } from '../../src/telemetry/sdk/id-only-tracer-provider.ts';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';

describe('IdOnlyTracerProvider', () => {
  const tracer = new IdOnlyTracerProvider().getTracer();

  test('a root span gets a fresh, valid, sampled trace and records nothing', () => {
    const span = tracer.startSpan('golden_path', {}, ROOT_CONTEXT);
    const sc = span.spanContext();
    assert.match(sc.traceId, /^[0-9a-f]{32}$/);
    assert.match(sc.spanId, /^[0-9a-f]{16}$/);
    assert.equal(sc.traceFlags, TraceFlags.SAMPLED);
    assert.equal(span.isRecording(), false);
    assert.notEqual(tracer.startSpan('again', {}, ROOT_CONTEXT).spanContext().traceId, sc.traceId);
  });

  test("OTEL_TRACES_SAMPLER's decision, as the SDK's samplers make it", async () => {
    const { TraceIdRatioBasedSampler } = await import('@opentelemetry/sdk-trace');
    const ratio = (r: number, parentBased = false) =>
      new IdOnlyTracerProvider({ parentBased, root: 'traceidratio', ratio: r }).getTracer();
    const flags = (t: ReturnType<typeof ratio>, n = 200) =>
      Array.from({ length: n }, () => t.startSpan('golden_path', {}, ROOT_CONTEXT).spanContext());
    assert.ok(flags(ratio(0)).every((sc) => sc.traceFlags === TraceFlags.NONE));
    assert.ok(flags(ratio(1)).every((sc) => sc.traceFlags === TraceFlags.SAMPLED));
    // The same trace ids get the same decision as the SDK's TraceIdRatioBasedSampler.
    const sdk = new TraceIdRatioBasedSampler(0.3);
    for (const sc of flags(ratio(0.3))) {
      const decision = sdk.shouldSample(ROOT_CONTEXT, sc.traceId).decision;
      assert.equal(sc.traceFlags === TraceFlags.SAMPLED, decision === 2, sc.traceId);
    }
    const off = new IdOnlyTracerProvider({ parentBased: true, root: 'always_off', ratio: 1 }).getTracer();
    assert.equal(off.startSpan('golden_path', {}, ROOT_CONTEXT).spanContext().traceFlags, TraceFlags.NONE);
    // parentbased: a sampled parent (a caller's traceparent) wins over always_off for the root.
    const sampledParent = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    assert.equal(off.startSpan('golden_path', {}, sampledParent).spanContext().traceFlags, TraceFlags.SAMPLED);
  });

  test('a child keeps its parent trace, sampling decision and tracestate', () => {
    const state = createTraceState('vendor=a');
    const parent = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: TraceFlags.NONE,
      traceState: state,
      isRemote: true,
    });
    const sc = tracer.startSpan('POST', {}, parent).spanContext();
    assert.equal(sc.traceId, TRACE_ID);
    assert.notEqual(sc.spanId, SPAN_ID);
    assert.equal(sc.traceFlags, TraceFlags.NONE);
    assert.equal(sc.traceState?.serialize(), 'vendor=a');
  });

  test('root: true ignores the parent', () => {
    const parent = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 });
    assert.notEqual(tracer.startSpan('x', { root: true }, parent).spanContext().traceId, TRACE_ID);
  });

  test('startActiveSpan passes the span and returns the callback result, for all three signatures', () => {
    const parent = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 });
    assert.match(
      tracer.startActiveSpan('a', (span) => span.spanContext().traceId),
      /^[0-9a-f]{32}$/,
    );
    assert.equal(
      tracer.startActiveSpan('b', {}, (span) => span.isRecording()),
      false,
    );
    assert.equal(
      tracer.startActiveSpan('c', {}, parent, (span) => span.spanContext().traceId),
      TRACE_ID,
    );
  });
});

describe('describeExportError', () => {
  test('system errors by code, also inside an AggregateError (localhost has two addresses)', () => {
    assert.equal(
      describeExportError(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4318'), { code: 'ECONNREFUSED' }),
        3000,
      ),
      'ECONNREFUSED',
    );
    const inner = Object.assign(new Error('connect ECONNREFUSED ::1:4318'), { code: 'ECONNREFUSED' });
    assert.equal(describeExportError(new AggregateError([inner]), 3000), 'ECONNREFUSED');
  });

  test("the exporter's timeout, HTTP statuses and retryable statuses", () => {
    assert.equal(describeExportError(new Error('Request timed out'), 2500), 'no answer within 2500 ms');
    const http = Object.assign(new Error('Forbidden'), {
      name: 'OTLPExporterError',
      code: 403,
      data: 'body with details',
    });
    assert.equal(describeExportError(http, 3000), 'the collector answered HTTP 403 Forbidden');
    assert.equal(
      describeExportError(new Error('Export failed with retryable status'), 3000),
      'the collector kept answering with a retryable status (429, 502, 503 or 504)',
    );
  });

  test('anything else on one short line', () => {
    assert.equal(describeExportError(new Error('line one\nline two'), 3000), 'line one line two');
    assert.equal(describeExportError('x'.repeat(500), 3000).length, 160);
  });
});

describe('ExportFailureReporter', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

  test('a failure during the run is reported at once, and only the first', () => {
    const warnings: string[] = [];
    const reporter = new ExportFailureReporter((m) => warnings.push(m));
    reporter.failed('traces', 'http://c:4318/v1/traces', refused, 3000);
    assert.deepEqual(warnings, ['traces could not be exported to http://c:4318/v1/traces: ECONNREFUSED']);
    reporter.failed('metrics', 'http://c:4318/v1/metrics', refused, 3000);
    reporter.beginShutdown();
    reporter.unfinished('traces', 'http://c:4318/v1/traces', 5000);
    reporter.close();
    assert.equal(warnings.length, 1);
  });

  test('failures during shutdown become one line, traces first; nothing after close', () => {
    const warnings: string[] = [];
    const reporter = new ExportFailureReporter((m) => warnings.push(m));
    reporter.beginShutdown();
    reporter.unfinished('metrics', 'http://c:4318/v1/metrics', 5000);
    reporter.failed('traces', 'http://c:4318/v1/traces', new Error('Request timed out'), 3000);
    reporter.failed('traces', 'http://c:4318/v1/traces', refused, 3000);
    assert.deepEqual(warnings, []);
    reporter.close();
    reporter.failed('traces', 'http://c:4318/v1/traces', refused, 3000);
    assert.deepEqual(warnings, [
      'traces could not be exported to http://c:4318/v1/traces: no answer within 3000 ms; metrics to ' +
        "http://c:4318/v1/metrics: the export had not finished when shutdown's 5000 ms ran out",
    ]);
  });

  test('a throwing warning sink does not propagate', () => {
    const reporter = new ExportFailureReporter(() => {
      throw new Error('sink broke');
    });
    assert.doesNotThrow(() => reporter.failed('traces', 'x', refused, 1));
  });
});
