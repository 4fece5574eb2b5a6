// The sink-level safety nets one by one, in process: the report, the log stream, exported spans and metrics,
// and the clipping helpers that must scrub before they cut. The end-to-end proof is no-secret-leaks.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { describeFailureFrame } from '../../src/agent/agent-events.ts';
import { Secret, scrubDeep } from '../../src/config/secret.ts';
import type { HttpResponse } from '../../src/net/http-client.ts';
import { responseDetail } from '../../src/net/response-detail.ts';
import type { Report } from '../../src/report/types.ts';
import { createLogger } from '../../src/telemetry/logger.ts';
import { scrubResourceMetrics } from '../../src/telemetry/sdk/scrubbing-metric-exporter.ts';
import { ScrubbingSpanExporter } from '../../src/telemetry/sdk/scrubbing-span-exporter.ts';
import { logSink } from '../support/log-sink.ts';

const KEY = 'sinks-test-bypass-key-0f9e8d7c6b';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzaW5rcy11c2VyIn0.Qm9ndXNTaWduYXR1cmVGb3JUaGVTaW5rc1Rlc3Rz';
const SIGNATURE = TOKEN.split('.')[2]!;
const QUOTED = 'sinks "quoted" secret\\value';
new Secret(KEY);
new Secret(TOKEN);
new Secret(QUOTED);

const response = (body: string): HttpResponse => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status: 403, headers: {}, text: body, json, durationMs: 1 };
};

describe('scrubbing before clipping', () => {
  it('responseDetail: a secret across the 200-char cut leaves no piece of itself (detail and plain text)', () => {
    for (const body of [JSON.stringify({ detail: `${'p'.repeat(190)}${SIGNATURE}` }), `${'p'.repeat(190)}${KEY}`]) {
      const detail = responseDetail(response(body));
      assert.ok(
        !detail.includes(SIGNATURE.slice(0, 8)) && !detail.includes(KEY.slice(0, 8)),
        'no piece survives the cut',
      );
      assert.match(detail, /\[REDACTED\]/);
    }
  });

  it('describeFailureFrame: a token across the 300-char cut leaves no piece of its signature', () => {
    const text = describeFailureFrame('error_message', {
      type: 'error_message',
      error_code: 'AUTH_FAILED',
      error_message: `${'p'.repeat(250)} Bearer ${TOKEN}`,
    });
    assert.ok(!text.includes(SIGNATURE.slice(0, 8)));
    assert.match(text, /Bearer \[REDACTED\]/);
  });
});

describe('scrubDeep', () => {
  it('scrubs every string, keys and nested attempts included, and returns a clean value untouched', () => {
    const clean = { a: ['x', { b: 'y' }], n: 1 };
    assert.equal(scrubDeep(clean), clean);
    const report = {
      verdict: { evidence: [`key ${KEY}`], summary: 'ok' },
      hops: [{ evidence: ['fine'] }],
      attempts: [{ verdict: { evidence: [`sig ${SIGNATURE}`] } }],
      [`weird ${KEY}`]: 1,
    } as unknown as Report;
    const scrubbed = scrubDeep(report);
    const text = JSON.stringify(scrubbed);
    assert.ok(!text.includes(KEY) && !text.includes(SIGNATURE));
    assert.equal(
      (scrubbed as unknown as { hops: unknown[] }).hops,
      (report as unknown as { hops: unknown[] }).hops,
      'untouched parts are shared, not copied',
    );
    assert.ok(JSON.stringify(report).includes(KEY), 'the original is not mutated');
  });
});

describe('the log stream', () => {
  it('scrubs the message, every field, child bindings and JSON-escaped forms, and stays valid JSON', () => {
    const out = logSink();
    const log = createLogger({ level: 'trace', destination: out.stream as never }).child({ upstream: `echo ${KEY}` });
    log.trace(
      { evidence: [`answered ${SIGNATURE}`], nested: { deep: { text: QUOTED } } },
      `server said ${KEY} and ${QUOTED}`,
    );
    for (const secret of [KEY, SIGNATURE, QUOTED, JSON.stringify(QUOTED).slice(1, -1)])
      assert.ok(!out.raw().includes(secret), 'scrubbed');
    const line = out.lines[0]!;
    assert.equal(line.message, 'server said [REDACTED] and [REDACTED]');
    assert.equal(line.upstream, 'echo [REDACTED]');
  });

  it('a secret whose text spans fields (JSON punctuation) is still taken out of the line', () => {
    const out = logSink();
    const structural = 'q","fallbackB":"w';
    new Secret(structural);
    createLogger({ level: 'info', destination: out.stream as never }).info(
      { fallbackA: 'q', fallbackB: 'w', other: structural },
      'structure',
    );
    assert.ok(
      !out.raw().includes(structural) && !out.raw().includes(JSON.stringify(structural).slice(1, -1)),
      'the text is gone',
    );
    assert.equal(out.lines[0]!.other, '[REDACTED]');
  });
});

describe('exported spans and metrics', () => {
  it('a span holding a secret leaves as a scrubbed copy that keeps the span’s methods; a clean span leaves as it is', async () => {
    const memory = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new SimpleSpanProcessor({ exporter: new ScrubbingSpanExporter(memory) })],
    });
    const tracer = provider.getTracer('sinks');
    const dirty = tracer.startSpan(`GET ${SIGNATURE}`);
    dirty.setAttributes({ 'websocket.close.reason': SIGNATURE, 'probe.evidence': ['fine', `key ${KEY}`], count: 3 });
    dirty.addEvent('agent_error', { detail: `Bearer ${TOKEN}` });
    dirty.setStatus({ code: SpanStatusCode.ERROR, message: `echo ${KEY}` });
    dirty.end();
    const clean = tracer.startSpan('clean', { attributes: { 'http.request.method': 'GET' } });
    clean.end();
    await provider.forceFlush();
    const [out, cleanOut] = memory.getFinishedSpans() as ReadableSpan[];
    const text = JSON.stringify({
      name: out!.name,
      attributes: out!.attributes,
      events: out!.events,
      status: out!.status,
    });
    assert.ok(!text.includes(KEY) && !text.includes(SIGNATURE) && !text.includes(TOKEN), text);
    assert.deepEqual(out!.attributes['probe.evidence'], ['fine', 'key [REDACTED]']);
    assert.equal(out!.attributes.count, 3);
    assert.equal(out!.spanContext().spanId, dirty.spanContext().spanId, 'spanContext() still works on the copy');
    assert.ok(out!.ended && out!.duration.length === 2 && out!.resource === cleanOut!.resource);
    assert.equal(cleanOut, clean as unknown as ReadableSpan, 'a clean span is exported as it is');
    await provider.shutdown();
  });

  it('metric data point attributes holding a secret are scrubbed; clean metrics are passed on as they are', () => {
    const metrics = (hop: string) =>
      ({
        resource: {},
        scopeMetrics: [
          {
            scope: { name: 's' },
            metrics: [
              {
                descriptor: { name: 'm' },
                dataPointType: 2,
                aggregationTemporality: 1,
                dataPoints: [{ attributes: { hop }, value: 1, startTime: [0, 0], endTime: [0, 0] }],
              },
            ],
          },
        ],
      }) as never;
    const clean = metrics('login');
    assert.equal(scrubResourceMetrics(clean), clean);
    const scrubbed = scrubResourceMetrics(metrics(`x ${KEY}`));
    assert.ok(!JSON.stringify(scrubbed).includes(KEY));
  });
});
