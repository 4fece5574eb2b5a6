// A real OTLP/gRPC receiver for tests, on 127.0.0.1 and a free port (plaintext, what an OpenTelemetry
// Collector sidecar listens on at 4317): the TraceService and MetricsService Export methods of the vendored
// opentelemetry-proto definitions, served by @grpc/grpc-js and decoded with protobufjs. Its records are the
// OTLP/HTTP receiver's, with encoding 'grpc'.
import { Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import type protobuf from 'protobufjs';
import {
  flattenMetrics,
  flattenTraces,
  loadSchema,
  type OtlpReceiver,
  receivedStore,
  receiverView,
} from './otlp-receiver.ts';

export async function startOtlpGrpcReceiver(): Promise<OtlpReceiver> {
  const schema = loadSchema();
  const store = receivedStore();
  const { spans, metrics, requestLog, notify } = store;

  const server = new Server();
  const exportMethod = (path: string, request: protobuf.Type, response: protobuf.Type): ServiceDefinition => ({
    Export: {
      path,
      requestStream: false,
      responseStream: false,
      requestSerialize: (value: unknown) => Buffer.from(request.encode(request.create(value as object)).finish()),
      requestDeserialize: (bytes: Buffer) => schema.decode(request, bytes),
      responseSerialize: () => Buffer.from(response.encode(response.create({})).finish()),
      responseDeserialize: (bytes: Buffer) => response.decode(bytes),
    },
  });
  const handler =
    (signal: 'traces' | 'metrics'): UntypedServiceImplementation['Export'] =>
    (
      call: { request: Record<string, unknown>; metadata: { getMap(): Record<string, unknown> } },
      done: (err: null, value: object) => void,
    ) => {
      if (signal === 'traces') spans.push(...flattenTraces(schema, call.request, 'grpc'));
      else metrics.push(...flattenMetrics(schema, call.request, 'grpc'));
      const headers = Object.fromEntries(Object.entries(call.metadata.getMap()).map(([k, v]) => [k, String(v)]));
      requestLog.push({
        path: `/v1/${signal}`,
        encoding: 'grpc',
        contentEncoding: headers['grpc-encoding'] ?? '',
        headers,
      });
      done(null, {});
      notify();
    };
  server.addService(
    exportMethod(
      '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      schema.traceRequest,
      schema.traceResponse,
    ),
    { Export: handler('traces') },
  );
  server.addService(
    exportMethod(
      '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
      schema.metricsRequest,
      schema.metricsResponse,
    ),
    { Export: handler('metrics') },
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    ),
  );

  return receiverView(`http://127.0.0.1:${port}`, store, async () => server.forceShutdown());
}
