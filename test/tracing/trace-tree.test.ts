import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HOP_NAMES } from '../../src/domain/hops.ts';
import { startOtlpGrpcReceiver } from '../support/otlp-grpc-receiver.ts';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from '../support/otlp-receiver.ts';
import { runCli } from '../support/run-cli.ts';
import { SpanTree } from './span-tree.ts';

// Every hop of the golden path; hop config needs a GCP project, which these runs do not have.
const HOPS = HOP_NAMES.filter((hop) => hop !== 'config');

describe('one trace per run, across the probe and the double', () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(() => receiver.close());

  const traceOf = (fault: string, extra: string[] = []) => traceFrom(receiver, fault, extra);

  it('healthy: root, one span per hop, CLIENT spans with HTTP semconv, agent events, backend and auth spans joined', async () => {
    const { tree } = await traceOf('healthy');
    assertHealthyTrace(tree);
  });

  it('rest_403: the failing hop and its CLIENT span are ERROR, the backend SERVER span shows the 403, triage follows', async () => {
    const { tree } = await traceOf('rest_403');
    const root = tree.named('golden_path');
    assert.equal(root.statusCode, 'ERROR');
    assert.equal(root.attributes['probe.failed_hop'], 'chat.messages.list');
    const hop = hopSpans(tree, root).get('chat.messages.list')!;
    assert.equal(hop.statusCode, 'ERROR');
    assert.equal(hop.attributes['error.type'], 'BACKEND_REJECTS_VALID_TOKEN');
    const client = tree.child(hop, (s) => s.kind === 'CLIENT', 'REST CLIENT span');
    assert.equal(client.name, 'GET /api/chat/messages');
    assert.equal(client.statusCode, 'ERROR');
    assert.equal(client.attributes['http.response.status_code'], 403);
    assert.equal(client.attributes['error.type'], '403');
    assert.equal(client.attributes['probe.response.detail'], 'Not authenticated');
    const server = tree.child(client, (s) => s.kind === 'SERVER', 'backend SERVER span');
    assert.equal(server.serviceName, 'netra-backend');
    assert.equal(server.attributes['http.response.status_code'], 403);
    const triage = tree.one((s) => s.name === 'triage', 'triage span');
    assert.equal(triage.parentSpanId, root.spanId);
    assert.equal(triage.attributes['netra.auth.valid'], true);
    assert.ok(tree.children(triage).some((s) => s.kind === 'CLIENT' && s.name === 'POST /auth/validate'));
  });

  it('ws_upgrade_403: the upgrade CLIENT span records the 403 seen as an unexpected response', async () => {
    const { tree } = await traceOf('ws_upgrade_403');
    const hop = hopSpans(tree, tree.named('golden_path')).get('ws.connect')!;
    assert.equal(hop.attributes['error.type'], 'WS_UPGRADE_REJECTED');
    const upgrade = tree.child(hop, (s) => s.kind === 'CLIENT', 'upgrade CLIENT span');
    assert.equal(upgrade.statusCode, 'ERROR');
    assert.equal(upgrade.attributes['http.response.status_code'], 403);
    const server = tree.child(upgrade, (s) => s.kind === 'SERVER', 'backend SERVER span');
    assert.equal(server.attributes['http.response.status_code'], 403);
  });

  it('service_secret_mismatch: probe hop → backend SERVER span → backend→auth CLIENT span with invalid_service_secret', async () => {
    const { tree } = await traceOf('service_secret_mismatch');
    const root = tree.named('golden_path');
    const hops = hopSpans(tree, root);
    assert.equal(hops.get('service.auth')!.attributes['error.type'], 'SERVICE_SECRET_MISMATCH');
    const ws = hops.get('ws.connect')!;
    assert.equal(ws.statusCode, 'ERROR');
    const upgrade = tree.child(ws, (s) => s.kind === 'CLIENT', 'upgrade CLIENT span');
    const server = tree.child(upgrade, (s) => s.kind === 'SERVER', 'backend SERVER span');
    // Walk down from the backend's SERVER span to its call to the auth service.
    const below = (span: ReceivedSpan): ReceivedSpan[] => tree.children(span).flatMap((c) => [c, ...below(c)]);
    const validate = below(server).find((s) => s.kind === 'CLIENT' && s.name === 'POST /auth/validate');
    assert.ok(validate, tree.describe());
    assert.equal(validate.serviceName, 'netra-backend');
    assert.equal(validate.attributes['netra.auth.valid'], false);
    assert.equal(validate.attributes['netra.auth.error'], 'invalid_service_secret');
    const authServer = tree.child(validate, (s) => s.kind === 'SERVER', 'auth SERVER span');
    assert.equal(authServer.serviceName, 'netra-auth-service');
    const triage = tree.one((s) => s.name === 'triage', 'triage span');
    assert.equal(triage.attributes['netra.auth.service.error'], 'invalid_service_secret');
  });
});

describe('the same trace over OTLP/gRPC', () => {
  it('healthy demo with OTEL_EXPORTER_OTLP_PROTOCOL=grpc: one trace, every span, as over OTLP/HTTP', async () => {
    const grpc = await startOtlpGrpcReceiver();
    try {
      const { tree } = await traceFrom(grpc, 'healthy', [], { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
      assert.ok(tree.spans.every((s) => s.encoding === 'grpc'));
      assert.equal(grpc.spans.filter((s) => s.name === 'golden_path').length, 1, 'one trace for the one run');
      assertHealthyTrace(tree);
    } finally {
      await grpc.close();
    }
  });
});

async function traceFrom(receiver: OtlpReceiver, fault: string, extra: string[], env: Record<string, string> = {}) {
  const out = await runCli(['demo', '--fault', fault, ...extra], {
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, ...env },
  });
  const traceId = out.report?.traceId;
  assert.ok(traceId, `no trace id; stderr: ${out.stderr}`);
  // The CLI flushes before it exits, so everything is already here.
  const spans = receiver.spans.filter((s) => s.traceId === traceId);
  assert.ok(spans.length > 0, 'the trace arrived before the process exited');
  return { tree: new SpanTree(spans), traceId, stderr: out.stderr };
}

function hopSpans(tree: SpanTree, root: ReceivedSpan): Map<string, ReceivedSpan> {
  const hops = tree.children(root).filter((s) => s.kind === 'INTERNAL' && (HOPS as readonly string[]).includes(s.name));
  return new Map(hops.map((s) => [s.name, s]));
}

function assertHealthyTrace(tree: SpanTree): void {
  const root = tree.named('golden_path');
  assert.equal(root.parentSpanId, '');
  assert.equal(root.kind, 'INTERNAL');
  assert.deepEqual(
    [
      root.attributes['probe.name'],
      root.attributes['probe.result'],
      root.attributes['probe.verdict'],
      root.attributes['probe.failed_hop'],
    ],
    ['golden-path', 'pass', 'PASS', ''],
  );
  const hops = hopSpans(tree, root);
  assert.deepEqual([...hops.keys()], HOPS);
  for (const span of hops.values()) assert.notEqual(span.statusCode, 'ERROR', span.name);

  const login = tree.child(hops.get('login')!, (s) => s.kind === 'CLIENT', 'login CLIENT span');
  assert.equal(login.name, 'POST /auth/e2e/test-auth');
  assert.equal(login.attributes['http.request.method'], 'POST');
  assert.equal(login.attributes['http.response.status_code'], 200);
  assert.equal(login.attributes['server.address'], '127.0.0.1');
  assert.match(String(login.attributes['url.full']), /^http:\/\/127\.0\.0\.1:\d+\/auth\/e2e\/test-auth$/);
  // Where the request's time went (undici's connector and diagnostics channels): the first request to the
  // auth service opened its connection.
  assert.equal(login.attributes['probe.http.connection_reused'], false);
  assert.equal(typeof login.attributes['probe.http.connect_ms'], 'number');
  assert.equal(typeof login.attributes['probe.http.first_byte_ms'], 'number');
  // The auth service's SERVER span is the CLIENT span's child: traceparent went out on the wire.
  const authServer = tree.child(login, (s) => s.kind === 'SERVER', 'auth SERVER span');
  assert.equal(authServer.serviceName, 'netra-auth-service');

  const upgrade = tree.child(hops.get('ws.connect')!, (s) => s.kind === 'CLIENT', 'upgrade CLIENT span');
  assert.equal(upgrade.name, 'GET /ws');
  assert.equal(upgrade.attributes['http.response.status_code'], 101);
  const backendWs = tree.child(upgrade, (s) => s.kind === 'SERVER', 'backend SERVER span for the upgrade');
  assert.equal(backendWs.serviceName, 'netra-backend');
  const validate = tree.spans.find(
    (s) => s.serviceName === 'netra-backend' && s.kind === 'CLIENT' && s.name === 'POST /auth/validate',
  );
  assert.ok(validate, tree.describe());
  assert.equal(validate.attributes['netra.auth.valid'], true);

  const agent = hops.get('agent.run')!;
  const events = [...new Set(agent.events.map((e) => e.name))];
  assert.deepEqual(events, ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed']);
  assert.ok(
    agent.events.every(
      (e) =>
        typeof e.attributes['probe.event.at_ms'] === 'number' || typeof e.attributes['probe.event.at_ms'] === 'bigint',
    ),
  );

  assert.equal(tree.spans.filter((s) => s.name === 'triage').length, 0, 'no triage on a pass');
  const everything = JSON.stringify(tree.spans, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
  assert.doesNotMatch(everything, /eyJ[\w-]+\.[\w-]+/, 'no token in any span');
}
