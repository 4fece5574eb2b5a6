// A real OTLP/HTTP receiver for tests, on 127.0.0.1 and a free port: POST /v1/traces and /v1/metrics in
// application/x-protobuf (decoded with the official opentelemetry-proto definitions, vendored under
// ./otlp-proto/, through protobufjs) or application/json (OTLP/JSON), optionally gzip-compressed. It
// answers 200 with an empty Export{Trace,Metrics}ServiceResponse in the request's encoding, and flattens
// what it received into plain records that tests assert on.
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';

const PROTO_DIR = fileURLToPath(new URL('./otlp-proto/', import.meta.url));
const TRACE_SERVICE = 'opentelemetry/proto/collector/trace/v1/trace_service.proto';
const METRICS_SERVICE = 'opentelemetry/proto/collector/metrics/v1/metrics_service.proto';

export type AttributeValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | AttributeValue[]
  | { [key: string]: AttributeValue };
export type Attributes = Record<string, AttributeValue>;

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  traceState: string;
  name: string;
  /** 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER' | 'UNSPECIFIED' */
  kind: string;
  serviceName: string;
  resourceAttributes: Attributes;
  scopeName: string;
  /** 'UNSET' | 'OK' | 'ERROR' */
  statusCode: string;
  statusMessage: string;
  attributes: Attributes;
  events: { name: string; timeUnixNano: bigint; attributes: Attributes }[];
  links: { traceId: string; spanId: string; attributes: Attributes }[];
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  /** How it arrived. */
  encoding: Encoding;
}

export interface ReceivedDataPoint {
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  /** Gauge and sum points. */
  value?: number;
  /** Histogram points. */
  count?: number;
  sum?: number;
  min?: number;
  max?: number;
  bucketCounts?: number[];
  explicitBounds?: number[];
}

export interface ReceivedMetric {
  name: string;
  description: string;
  unit: string;
  /** 'gauge' | 'sum' | 'histogram' | 'exponential_histogram' | 'summary' */
  type: string;
  /** 'CUMULATIVE' | 'DELTA' | 'UNSPECIFIED'; '' for gauges and summaries. */
  temporality: string;
  isMonotonic?: boolean;
  serviceName: string;
  resourceAttributes: Attributes;
  scopeName: string;
  points: ReceivedDataPoint[];
  encoding: Encoding;
}

/** protobuf and json over OTLP/HTTP; grpc over OTLP/gRPC (protobuf too). */
export type Encoding = 'protobuf' | 'json' | 'grpc';

export interface ReceivedRequest {
  path: string;
  encoding: Encoding;
  contentEncoding: string;
  headers: IncomingHttpHeaders;
}

export interface OtlpReceiver {
  /** Base URL, e.g. http://127.0.0.1:40123 (OTEL_EXPORTER_OTLP_ENDPOINT). */
  url: string;
  spans: ReceivedSpan[];
  metrics: ReceivedMetric[];
  /** Export requests accepted so far. */
  readonly requests: number;
  requestLog: ReceivedRequest[];
  /** Requests that were refused (bad path, type or body), with the reason. */
  errors: string[];
  /** Resolves with all spans once `pred` holds for them; rejects after timeoutMs, saying what did arrive. */
  waitForSpans(pred: (spans: readonly ReceivedSpan[]) => boolean, timeoutMs: number): Promise<ReceivedSpan[]>;
  waitForMetrics(pred: (metrics: readonly ReceivedMetric[]) => boolean, timeoutMs: number): Promise<ReceivedMetric[]>;
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const schema = loadSchema();
  const store = receivedStore();
  const { spans, metrics, requestLog, errors, notify } = store;

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      errors.push(`${req.url}: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('bad request');
      notify();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://receiver').pathname;
    const signal = path === '/v1/traces' ? 'traces' : path === '/v1/metrics' ? 'metrics' : undefined;
    if (req.method !== 'POST' || signal === undefined) {
      req.resume();
      errors.push(`${req.method} ${path}: not an OTLP/HTTP export path`);
      res.writeHead(404).end();
      notify();
      return;
    }
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    const encoding: Encoding | undefined =
      contentType === 'application/x-protobuf' ? 'protobuf' : contentType === 'application/json' ? 'json' : undefined;
    if (encoding === undefined) {
      req.resume();
      errors.push(`${path}: unsupported content-type '${contentType}'`);
      res.writeHead(415).end();
      notify();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const contentEncoding = String(req.headers['content-encoding'] ?? '');
    let body: Buffer = Buffer.concat(chunks);
    if (contentEncoding === 'gzip') body = gunzipSync(body);

    const request: ReceivedRequest = { path, encoding, contentEncoding, headers: req.headers };
    if (signal === 'traces') {
      const message =
        encoding === 'protobuf'
          ? schema.decode(schema.traceRequest, body)
          : (JSON.parse(body.toString('utf8')) as Json);
      spans.push(...flattenTraces(schema, message, encoding));
    } else {
      const message =
        encoding === 'protobuf'
          ? schema.decode(schema.metricsRequest, body)
          : (JSON.parse(body.toString('utf8')) as Json);
      metrics.push(...flattenMetrics(schema, message, encoding));
    }
    requestLog.push(request);
    if (encoding === 'protobuf') {
      const response = signal === 'traces' ? schema.traceResponse : schema.metricsResponse;
      res
        .writeHead(200, { 'content-type': 'application/x-protobuf' })
        .end(Buffer.from(response.encode(response.create({})).finish()));
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    }
    notify();
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return receiverView(`http://127.0.0.1:${port}`, store, async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });
}

/** What a receiver collects, whatever the transport; `notify` wakes the waiters after each export. */
export function receivedStore() {
  const waiters = new Set<() => void>();
  return {
    spans: [] as ReceivedSpan[],
    metrics: [] as ReceivedMetric[],
    requestLog: [] as ReceivedRequest[],
    errors: [] as string[],
    waiters,
    notify: () => {
      for (const w of waiters) w();
    },
  };
}

/** The receiver as tests see it, over what its transport collected. */
export function receiverView(
  url: string,
  store: ReturnType<typeof receivedStore>,
  close: () => Promise<void>,
): OtlpReceiver {
  const { spans, metrics, requestLog, errors } = store;
  const waitFor = waiting(store.waiters, errors);
  return {
    url,
    spans,
    metrics,
    get requests() {
      return requestLog.length;
    },
    requestLog,
    errors,
    waitForSpans: (pred, timeoutMs) => waitFor('spans', spans, pred, timeoutMs, showSpans),
    waitForMetrics: (pred, timeoutMs) => waitFor('metrics', metrics, pred, timeoutMs, showMetrics),
    close,
  };
}

const showSpans = (s: readonly ReceivedSpan[]) =>
  `${s.length} span(s): ${s.map((x) => `${x.serviceName}/${x.name}`).join(', ') || 'none'}`;
const showMetrics = (m: readonly ReceivedMetric[]) =>
  `${m.length} metric(s): ${m.map((x) => x.name).join(', ') || 'none'}`;

/** waitFor(what, items, pred, timeoutMs, show): resolves once pred holds, woken by the receiver's `waiters`. */
function waiting(waiters: Set<() => void>, errors: readonly string[]) {
  return function waitFor<T>(
    what: string,
    items: T[],
    pred: (items: readonly T[]) => boolean,
    timeoutMs: number,
    show: (items: readonly T[]) => string,
  ): Promise<T[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!pred(items)) return false;
        done();
        resolve([...items]);
        return true;
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(
            `the receiver did not get the expected ${what} within ${timeoutMs} ms; got ${show(items)}${errors.length ? `; refused: ${errors.join(' | ')}` : ''}`,
          ),
        );
      }, timeoutMs);
      const waiter = () => void check();
      const done = () => {
        clearTimeout(timer);
        waiters.delete(waiter);
      };
      waiters.add(waiter);
      check();
    });
  };
}

// ---- schema -------------------------------------------------------------------------------------------

export type Json = Record<string, unknown>;

export interface Schema {
  traceRequest: protobuf.Type;
  traceResponse: protobuf.Type;
  metricsRequest: protobuf.Type;
  metricsResponse: protobuf.Type;
  spanKind: protobuf.Enum;
  statusCode: protobuf.Enum;
  temporality: protobuf.Enum;
  decode(type: protobuf.Type, body: Buffer): Json;
}

export function loadSchema(): Schema {
  const root = new protobuf.Root();
  // Imports name paths from the proto root ("opentelemetry/proto/common/v1/common.proto").
  root.resolvePath = (_origin, target) => (isAbsolute(target) ? target : join(PROTO_DIR, target));
  root.loadSync([TRACE_SERVICE, METRICS_SERVICE]);
  return {
    traceRequest: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'),
    traceResponse: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse'),
    metricsRequest: root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest'),
    metricsResponse: root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse'),
    spanKind: root.lookupEnum('opentelemetry.proto.trace.v1.Span.SpanKind'),
    statusCode: root.lookupEnum('opentelemetry.proto.trace.v1.Status.StatusCode'),
    temporality: root.lookupEnum('opentelemetry.proto.metrics.v1.AggregationTemporality'),
    decode(type, body) {
      // Longs as decimal strings, enums as numbers, bytes as Uint8Array: the same shapes the JSON path
      // yields (except ids, hex there), so one flattener serves both.
      return type.toObject(type.decode(body), { longs: String, enums: Number, arrays: true }) as Json;
    },
  };
}

// ---- flattening (shared by protobuf and OTLP/JSON) ----------------------------------------------------

export function flattenTraces(schema: Schema, message: Json, encoding: Encoding): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const rs of list(message.resourceSpans)) {
    const resourceAttributes = attributes(obj(rs.resource).attributes);
    for (const ss of list(rs.scopeSpans)) {
      const scopeName = str(obj(ss.scope).name);
      for (const span of list(ss.spans)) {
        const status = obj(span.status);
        out.push({
          traceId: hexId(span.traceId),
          spanId: hexId(span.spanId),
          parentSpanId: hexId(span.parentSpanId),
          traceState: str(span.traceState),
          name: str(span.name),
          kind: enumName(schema.spanKind, span.kind, 'SPAN_KIND_'),
          serviceName: String(resourceAttributes['service.name'] ?? ''),
          resourceAttributes,
          scopeName,
          statusCode: enumName(schema.statusCode, status.code, 'STATUS_CODE_'),
          statusMessage: str(status.message),
          attributes: attributes(span.attributes),
          events: list(span.events).map((e) => ({
            name: str(e.name),
            timeUnixNano: big(e.timeUnixNano),
            attributes: attributes(e.attributes),
          })),
          links: list(span.links).map((l) => ({
            traceId: hexId(l.traceId),
            spanId: hexId(l.spanId),
            attributes: attributes(l.attributes),
          })),
          startTimeUnixNano: big(span.startTimeUnixNano),
          endTimeUnixNano: big(span.endTimeUnixNano),
          encoding,
        });
      }
    }
  }
  return out;
}

export function flattenMetrics(schema: Schema, message: Json, encoding: Encoding): ReceivedMetric[] {
  const out: ReceivedMetric[] = [];
  for (const rm of list(message.resourceMetrics)) {
    const resourceAttributes = attributes(obj(rm.resource).attributes);
    for (const sm of list(rm.scopeMetrics)) {
      const scopeName = str(obj(sm.scope).name);
      for (const metric of list(sm.metrics)) {
        const [type, data] = metricData(metric);
        out.push({
          name: str(metric.name),
          description: str(metric.description),
          unit: str(metric.unit),
          type,
          temporality:
            type === 'gauge' || type === 'summary'
              ? ''
              : enumName(schema.temporality, data.aggregationTemporality, 'AGGREGATION_TEMPORALITY_'),
          ...(type === 'sum' ? { isMonotonic: data.isMonotonic === true } : {}),
          serviceName: String(resourceAttributes['service.name'] ?? ''),
          resourceAttributes,
          scopeName,
          points: list(data.dataPoints).map((p) => dataPoint(type, p)),
          encoding,
        });
      }
    }
  }
  return out;
}

function metricData(metric: Json): [string, Json] {
  for (const [field, type] of [
    ['gauge', 'gauge'],
    ['sum', 'sum'],
    ['histogram', 'histogram'],
    ['exponentialHistogram', 'exponential_histogram'],
    ['summary', 'summary'],
  ] as const) {
    if (metric[field] !== undefined && metric[field] !== null) return [type, obj(metric[field])];
  }
  return ['unknown', {}];
}

function dataPoint(type: string, p: Json): ReceivedDataPoint {
  const point: ReceivedDataPoint = {
    attributes: attributes(p.attributes),
    startTimeUnixNano: big(p.startTimeUnixNano),
    timeUnixNano: big(p.timeUnixNano),
  };
  if (type === 'gauge' || type === 'sum') {
    point.value = p.asDouble !== undefined ? num(p.asDouble) : num(p.asInt);
  } else if (type === 'histogram') {
    point.count = num(p.count);
    if (p.sum !== undefined) point.sum = num(p.sum);
    if (p.min !== undefined) point.min = num(p.min);
    if (p.max !== undefined) point.max = num(p.max);
    point.bucketCounts = list<unknown>(p.bucketCounts).map(num);
    point.explicitBounds = list<unknown>(p.explicitBounds).map(num);
  }
  return point;
}

function attributes(kvs: unknown): Attributes {
  const out: Attributes = {};
  for (const kv of list(kvs)) out[str(kv.key)] = anyValue(obj(kv.value));
  return out;
}

function anyValue(v: Json): AttributeValue {
  if (v.stringValue !== undefined) return str(v.stringValue);
  if (v.boolValue !== undefined) return v.boolValue === true;
  if (v.intValue !== undefined) {
    const n = big(v.intValue);
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
  if (v.doubleValue !== undefined) return num(v.doubleValue);
  if (v.arrayValue !== undefined) return list(obj(v.arrayValue).values).map(anyValue);
  if (v.kvlistValue !== undefined) return attributes(obj(v.kvlistValue).values);
  if (v.bytesValue !== undefined) return hexId(v.bytesValue);
  return null;
}

/** Protobuf bytes arrive as Uint8Array; OTLP/JSON writes trace and span ids as hex. */
function hexId(v: unknown): string {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  return typeof v === 'string' ? v.toLowerCase() : '';
}

function enumName(type: protobuf.Enum, v: unknown, prefix: string): string {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : 0;
  const name = type.valuesById[n] ?? (typeof v === 'string' ? v : String(n));
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

function list<T = Json>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

function obj(v: unknown): Json {
  return typeof v === 'object' && v !== null ? (v as Json) : {};
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : 0;
}

function big(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.trunc(v));
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
  return 0n;
}
