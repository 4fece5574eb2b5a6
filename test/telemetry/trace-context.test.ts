// The API-only pieces registered when nothing is exported: the W3C propagator and the id-only tracer.
// In-process, with explicit contexts (no global registration).
import { ROOT_CONTEXT, TraceFlags, createTraceState, defaultTextMapGetter, defaultTextMapSetter, trace } from '@opentelemetry/api';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ExportFailureReporter, describeExportError } from '../../src/telemetry/sdk/export-failure-reporter.ts';
import { IdOnlyTracerProvider } from '../../src/telemetry/sdk/id-only-tracer-provider.ts';
import { W3CTraceContextPropagator } from '../../src/telemetry/sdk/w3c-trace-context-propagator.ts';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';
const propagator = new W3CTraceContextPropagator();

function extract(headers: Record<string, string>) {
  return trace.getSpanContext(propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter));
}

describe('W3CTraceContextPropagator', () => {
  test('injects traceparent and tracestate of the span in the context', () => {
    const ctx = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED, traceState: createTraceState('vendor=a,other=b') });
    const carrier: Record<string, string> = {};
    propagator.inject(ctx, carrier, defaultTextMapSetter);
    assert.deepEqual(carrier, { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: 'vendor=a,other=b' });
  });

  test('injects nothing without a valid span', () => {
    const carrier: Record<string, string> = {};
    propagator.inject(ROOT_CONTEXT, carrier, defaultTextMapSetter);
    propagator.inject(trace.setSpanContext(ROOT_CONTEXT, { traceId: '0'.repeat(32), spanId: SPAN_ID, traceFlags: 1 }), carrier, defaultTextMapSetter);
    assert.deepEqual(carrier, {});
  });

  test('extracts a remote parent, with tracestate', () => {
    const sc = extract({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: 'vendor=a' });
    assert.deepEqual({ ...sc, traceState: sc?.traceState?.serialize() }, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1, isRemote: true, traceState: 'vendor=a' });
  });

  test('accepts a future version with extra fields, refuses what the spec refuses', () => {
    assert.equal(extract({ traceparent: `01-${TRACE_ID}-${SPAN_ID}-01-extra` })?.traceId, TRACE_ID);
    for (const bad of [
      `ff-${TRACE_ID}-${SPAN_ID}-01`, // version ff
      `00-${TRACE_ID}-${SPAN_ID}-01-extra`, // version 00 has exactly four fields
      `00-${'0'.repeat(32)}-${SPAN_ID}-01`, // all-zero trace id
      `00-${TRACE_ID}-${'0'.repeat(16)}-01`, // all-zero span id
      `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`, // upper-case hex
      'garbage',
    ]) {
      assert.equal(extract({ traceparent: bad }), undefined, bad);
    }
  });

  test('fields', () => {
    assert.deepEqual(propagator.fields(), ['traceparent', 'tracestate']);
  });
});

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

  test('a child keeps its parent trace, sampling decision and tracestate', () => {
    const state = createTraceState('vendor=a');
    const parent = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.NONE, traceState: state, isRemote: true });
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
    assert.match(tracer.startActiveSpan('a', (span) => span.spanContext().traceId), /^[0-9a-f]{32}$/);
    assert.equal(tracer.startActiveSpan('b', {}, (span) => span.isRecording()), false);
    assert.equal(tracer.startActiveSpan('c', {}, parent, (span) => span.spanContext().traceId), TRACE_ID);
  });
});

describe('describeExportError', () => {
  test('system errors by code, also inside an AggregateError (localhost has two addresses)', () => {
    assert.equal(describeExportError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4318'), { code: 'ECONNREFUSED' }), 3000), 'ECONNREFUSED');
    const inner = Object.assign(new Error('connect ECONNREFUSED ::1:4318'), { code: 'ECONNREFUSED' });
    assert.equal(describeExportError(new AggregateError([inner]), 3000), 'ECONNREFUSED');
  });

  test("the exporter's timeout, HTTP statuses and retryable statuses", () => {
    assert.equal(describeExportError(new Error('Request timed out'), 2500), 'no answer within 2500 ms');
    const http = Object.assign(new Error('Forbidden'), { name: 'OTLPExporterError', code: 403, data: 'body with details' });
    assert.equal(describeExportError(http, 3000), 'the collector answered HTTP 403 Forbidden');
    assert.equal(describeExportError(new Error('Export failed with retryable status'), 3000), 'the collector kept answering with a retryable status (429, 502, 503 or 504)');
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
      "traces could not be exported to http://c:4318/v1/traces: no answer within 3000 ms; metrics to http://c:4318/v1/metrics: the export had not finished when shutdown's 5000 ms ran out",
    ]);
  });

  test('a throwing warning sink does not propagate', () => {
    const reporter = new ExportFailureReporter(() => {
      throw new Error('sink broke');
    });
    assert.doesNotThrow(() => reporter.failed('traces', 'x', refused, 1));
  });
});
