// Spans: the caller's traceparent is the parent of the backend's SERVER span, the backend's call to
// /auth/validate is a CLIENT span whose traceparent makes the auth SERVER span join the same trace,
// and no token or secret lands in an attribute. Uses a small in-memory TracerProvider written against
// @opentelemetry/api only (no SDK).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type {
  Attributes,
  AttributeValue,
  Context,
  Span,
  SpanContext,
  SpanOptions,
  SpanStatus,
  Tracer,
  TracerProvider,
} from '@opentelemetry/api';
import { SpanKind, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api';
import { accessToken, bearer, byType, CREDS, connectWs, getJson, withDouble } from './support.ts';

interface Finished {
  service: string;
  name: string;
  kind: SpanKind;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  attributes: Attributes;
  status: SpanStatus;
}

class MemorySpan implements Span {
  readonly attributes: Attributes = {};
  status: SpanStatus = { code: SpanStatusCode.UNSET };
  readonly sc: SpanContext;
  private readonly sink: Finished[];
  private readonly service: string;
  private name: string;
  private readonly kind: SpanKind;
  private readonly parentSpanId: string | undefined;

  constructor(service: string, name: string, options: SpanOptions, parent: SpanContext | undefined, sink: Finished[]) {
    this.service = service;
    this.name = name;
    this.kind = options.kind ?? SpanKind.INTERNAL;
    this.parentSpanId = parent?.spanId;
    this.sink = sink;
    this.sc = {
      traceId: parent?.traceId ?? randomBytes(16).toString('hex'),
      spanId: randomBytes(8).toString('hex'),
      traceFlags: TraceFlags.SAMPLED,
    };
    Object.assign(this.attributes, options.attributes ?? {});
  }
  spanContext() {
    return this.sc;
  }
  setAttribute(key: string, value: AttributeValue) {
    this.attributes[key] = value;
    return this;
  }
  setAttributes(attributes: Attributes) {
    Object.assign(this.attributes, attributes);
    return this;
  }
  addEvent() {
    return this;
  }
  addLink() {
    return this;
  }
  addLinks() {
    return this;
  }
  setStatus(status: SpanStatus) {
    this.status = status;
    return this;
  }
  updateName(name: string) {
    this.name = name;
    return this;
  }
  end() {
    this.sink.push({
      service: this.service,
      name: this.name,
      kind: this.kind,
      traceId: this.sc.traceId,
      spanId: this.sc.spanId,
      parentSpanId: this.parentSpanId,
      attributes: { ...this.attributes },
      status: this.status,
    });
  }
  isRecording() {
    return true;
  }
  recordException() {}
}

function memoryProvider(service: string, sink: Finished[]): TracerProvider {
  const tracer: Tracer = {
    startSpan(name: string, options: SpanOptions = {}, ctx?: Context) {
      const parent = ctx === undefined ? undefined : trace.getSpanContext(ctx);
      return new MemorySpan(service, name, options, parent, sink);
    },
    startActiveSpan: (() => {
      throw new Error('the double must not use startActiveSpan (it needs a global context manager)');
    }) as Tracer['startActiveSpan'],
  };
  return { getTracer: () => tracer };
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PROBE_SPAN = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${PROBE_SPAN}-01`;

function setup() {
  const spans: Finished[] = [];
  return {
    spans,
    opts: {
      tracerProviders: {
        backend: memoryProvider('netra-backend', spans),
        auth: memoryProvider('netra-auth-service', spans),
      },
    },
  };
}

test('WebSocket upgrade: SERVER -> websocket.auth -> CLIENT POST /auth/validate -> auth SERVER, one trace', async () => {
  const { spans, opts } = setup();
  await withDouble(
    'healthy',
    async (d) => {
      const token = await accessToken(d);
      spans.length = 0;
      const c = connectWs(d.wsUrl, { headers: { ...bearer(token), traceparent: TRACEPARENT } });
      await c.next(byType('connection_established'));
      c.ws.close();
      const upgrade = spans.find((s) => s.name === 'GET /ws');
      assert.ok(upgrade, 'upgrade span');
      assert.equal(upgrade.service, 'netra-backend');
      assert.equal(upgrade.kind, SpanKind.SERVER);
      assert.equal(upgrade.traceId, TRACE_ID);
      assert.equal(upgrade.parentSpanId, PROBE_SPAN);
      assert.equal(upgrade.attributes['http.response.status_code'], 101);
      assert.equal(upgrade.attributes['http.route'], '/ws');
      const wsAuth = spans.find((s) => s.name === 'websocket.auth');
      assert.equal(wsAuth?.parentSpanId, upgrade.spanId);
      assert.equal(wsAuth?.attributes['netra.auth.user_id'], 'e2e-e2e-...');
      assert.equal(wsAuth?.attributes['netra.auth.outcome'], 'authenticated');
      const client = spans.find((s) => s.kind === SpanKind.CLIENT);
      assert.equal(client?.name, 'POST /auth/validate');
      assert.equal(client?.parentSpanId, wsAuth?.spanId);
      assert.equal(client?.traceId, TRACE_ID);
      assert.equal(client?.attributes['http.request.method'], 'POST');
      assert.equal(client?.attributes['url.full'], `${d.authUrl}/auth/validate`);
      assert.equal(client?.attributes['server.address'], '127.0.0.1');
      assert.equal(client?.attributes['http.response.status_code'], 200);
      assert.equal(client?.attributes['netra.auth.valid'], true);
      const authServer = spans.find((s) => s.service === 'netra-auth-service' && s.name === 'POST /auth/validate');
      assert.equal(authServer?.kind, SpanKind.SERVER);
      assert.equal(authServer?.traceId, TRACE_ID);
      assert.equal(authServer?.parentSpanId, client?.spanId);

      const dump = JSON.stringify(spans);
      for (const secret of [token, CREDS.serviceSecret, CREDS.jwtSecret, CREDS.bypassKey])
        assert.equal(dump.includes(secret), false);
    },
    opts,
  );
});

test('REST: SERVER span with the CLIENT auth call under it; a rejected token sets netra.auth.error', async () => {
  const { spans, opts } = setup();
  await withDouble(
    'service_secret_mismatch',
    async (d) => {
      const token = await accessToken(d);
      spans.length = 0;
      const r = await getJson(`${d.apiUrl}/api/chat/messages`, { ...bearer(token), traceparent: TRACEPARENT });
      assert.equal(r.status, 401);
      const server = spans.find((s) => s.name === 'GET /api/chat/messages');
      assert.equal(server?.parentSpanId, PROBE_SPAN);
      assert.equal(server?.attributes['http.response.status_code'], 401);
      assert.equal(server?.attributes['url.path'], '/api/chat/messages');
      assert.equal(typeof server?.attributes['server.port'], 'number');
      assert.equal(server?.status.code, SpanStatusCode.UNSET, 'a 4xx is not a server error');
      const client = spans.find((s) => s.kind === SpanKind.CLIENT);
      assert.equal(client?.parentSpanId, server?.spanId);
      assert.equal(client?.attributes['netra.auth.valid'], false);
      assert.equal(client?.attributes['netra.auth.error'], 'invalid_service_secret');
    },
    opts,
  );
});

test('a 5xx SERVER span is an error; an invalid traceparent starts a new trace', async () => {
  const { spans, opts } = setup();
  await withDouble(
    'rest_500',
    async (d) => {
      spans.length = 0;
      await fetch(`${d.apiUrl}/api/chat/messages`, {
        headers: { traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' },
      });
      const server = spans.find((s) => s.name === 'GET /api/chat/messages');
      assert.equal(server?.status.code, SpanStatusCode.ERROR);
      assert.equal(server?.attributes['http.response.status_code'], 500);
      assert.equal(server?.parentSpanId, undefined);
      assert.notEqual(server?.traceId, '00000000000000000000000000000000');
    },
    opts,
  );
});
