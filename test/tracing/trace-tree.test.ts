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
    assertConventions(tree);
  });

  it('rest_403: the failing hop and its CLIENT span are ERROR, the backend SERVER span shows the 403, triage follows', async () => {
    const { tree } = await traceOf('rest_403');
    assertConventions(tree);
    const root = tree.named('golden_path');
    assert.equal(root.statusCode, 'ERROR');
    assert.equal(root.attributes['error.type'], 'BACKEND_REJECTS_VALID_TOKEN');
    assert.notEqual(root.statusMessage, 'BACKEND_REJECTS_VALID_TOKEN', 'the description is a sentence, not the code');
    // A search for the 403 among the probe's spans finds one span per failure (both REST hops got one): the
    // request that got it. Its hop says so in an attribute of its own.
    const with403 = tree.spans.filter(
      (s) => s.serviceName === 'golden-path-probe' && s.attributes['http.response.status_code'] === 403,
    );
    const hopsWith403 = [...hopSpans(tree, root).values()].filter((h) => h.attributes['probe.hop.http_status'] === 403);
    assert.deepEqual(
      hopsWith403.map((h) => h.name),
      ['chat.messages.list', 'chat.messages.create'],
    );
    assert.deepEqual(
      with403.map((s) => [s.kind, tree.spans.find((h) => h.spanId === s.parentSpanId)?.name]),
      [
        ['CLIENT', 'chat.messages.list'],
        ['CLIENT', 'chat.messages.create'],
      ],
    );
    assert.equal(root.attributes['probe.failed_hop'], 'chat.messages.list');
    const hop = hopSpans(tree, root).get('chat.messages.list')!;
    assert.equal(hop.statusCode, 'ERROR');
    assert.equal(hop.attributes['error.type'], 'BACKEND_REJECTS_VALID_TOKEN');
    assert.equal(hop.attributes['probe.hop.http_status'], 403);
    assert.equal(hop.attributes['http.response.status_code'], undefined);
    assert.match(hop.statusMessage, /403/, 'the hop says what happened');
    const client = tree.child(hop, (s) => s.kind === 'CLIENT', 'REST CLIENT span');
    assert.equal(client.name, 'GET /api/chat/messages');
    assert.equal(client.statusCode, 'ERROR');
    assert.equal(client.attributes['http.response.status_code'], 403);
    assert.equal(client.attributes['error.type'], '403');
    assert.equal(client.statusMessage, '', 'no description that repeats the status code');
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
    assertConventions(tree);
    const hop = hopSpans(tree, tree.named('golden_path')).get('ws.connect')!;
    assert.equal(hop.attributes['error.type'], 'WS_UPGRADE_REJECTED');
    const upgrade = tree.child(hop, (s) => s.kind === 'CLIENT', 'upgrade CLIENT span');
    assert.equal(upgrade.statusCode, 'ERROR');
    assert.equal(upgrade.attributes['http.response.status_code'], 403);
    assert.equal(upgrade.attributes['error.type'], '403');
    assert.equal(upgrade.statusMessage, '');
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

describe('links: retries and --users', () => {
  it('each user is a trace linked to its invocation; each attempt links to the one before', async () => {
    const receiver = await startOtlpReceiver();
    try {
      const out = await runCli(['demo', '--fault', 'rest_403', '--retries', '1', '--users', '2'], {
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
      });
      assert.equal(out.code, 1, out.stderr);
      const spans = receiver.spans;
      const invocations = spans.filter((s) => s.name === 'golden_path.users');
      assert.equal(invocations.length, 2, 'one invocation span per attempt');
      const [first, second] = [...invocations].sort((a, b) => Number(a.startTimeUnixNano - b.startTimeUnixNano));
      for (const inv of [first!, second!]) {
        assert.equal(inv.parentSpanId, '');
        assert.equal(inv.kind, 'INTERNAL');
        assert.equal(inv.attributes['probe.users'], 2);
      }
      assert.deepEqual(first!.links, []);
      assert.deepEqual(second!.links, [
        { traceId: first!.traceId, spanId: first!.spanId, attributes: { 'probe.attempt': 1 } },
      ]);
      const roots = spans.filter((s) => s.name === 'golden_path');
      assert.equal(roots.length, 4, 'two users, two attempts');
      for (const root of roots) {
        assert.equal(root.parentSpanId, '', 'a user is a trace of its own');
        assert.equal(root.links.length, 1);
        const inv = invocations.find((i) => i.spanId === root.links[0]!.spanId);
        assert.ok(inv, 'linked to an invocation');
        assert.equal(root.links[0]!.traceId, inv.traceId);
        assert.equal(root.attributes['probe.attempt'], inv.attributes['probe.attempt']);
        assert.equal(root.links[0]!.attributes['probe.user_index'], root.attributes['probe.user_index']);
      }
      assert.equal(new Set(roots.map((r) => r.traceId)).size, 4);
      assert.ok(
        roots.some((r) => r.traceId === out.report?.traceId),
        "the report names one user's trace",
      );
    } finally {
      await receiver.close();
    }
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The probe's spans by the semantic conventions: CLIENT spans named `{method} {url.template}` (never a raw
 * path), HTTP attributes with the peer and the synthetic user agent, the upgrade an HTTP/1.1 request, hop spans
 * INTERNAL without http.response.status_code, one resource with service.instance.id.
 */
function assertConventions(tree: SpanTree): void {
  const probe = tree.spans.filter((s) => s.serviceName === 'golden-path-probe');
  const hops = new Set<string>(HOPS);
  for (const span of probe) {
    const where = `${span.kind} ${span.name}`;
    if (span.kind === 'CLIENT') {
      const method = String(span.attributes['http.request.method']);
      const template = span.attributes['url.template'];
      assert.equal(span.name, template === undefined ? method : `${method} ${template}`, where);
      assert.doesNotMatch(span.name, /[0-9a-f]{8}-|run_|thread_|\d{3,}/, `${where}: no id in a span name`);
      assert.match(String(span.attributes['url.full']), /^(http|ws)s?:\/\/127\.0\.0\.1:\d+\//, where);
      assert.equal(span.attributes['server.address'], '127.0.0.1', where);
      assert.equal(span.attributes['user_agent.synthetic.type'], 'test', where);
      assert.match(String(span.attributes['user_agent.original']), /^golden-path-probe\/\d+\.\d+/, where);
      if (span.attributes['http.response.status_code'] !== undefined) {
        assert.equal(span.attributes['network.peer.address'], '127.0.0.1', where);
        assert.equal(span.attributes['network.peer.port'], span.attributes['server.port'], where);
      }
      if (span.attributes['network.protocol.name'] !== undefined) {
        assert.equal(span.attributes['network.protocol.name'], 'http', `${where}: the upgrade is HTTP/1.1`);
      }
      const status = span.attributes['http.response.status_code'];
      if (typeof status === 'number' && status >= 400) {
        assert.equal(span.statusCode, 'ERROR', where);
        assert.equal(span.attributes['error.type'], String(status), where);
      }
    } else {
      assert.equal(span.kind, 'INTERNAL', where);
      assert.equal(span.attributes['http.response.status_code'], undefined, `${where}: the hop has its own attribute`);
      if (hops.has(span.name)) assert.equal(span.parentSpanId, tree.named('golden_path').spanId, where);
    }
    if (span.statusCode === 'ERROR') assert.ok(span.attributes['error.type'], `${where}: ERROR with an error.type`);
  }
  const resources = new Set(probe.map((s) => JSON.stringify(s.resourceAttributes)));
  assert.equal(resources.size, 1, 'one resource');
  const resource = probe[0]!.resourceAttributes;
  assert.equal(resource['service.name'], 'golden-path-probe');
  assert.match(String(resource['service.version']), /^\d+\.\d+\.\d+/);
  assert.match(String(resource['service.instance.id']), UUID);
  assert.equal(resource['telemetry.sdk.language'], 'nodejs');
  assert.equal(resource['faas.instance'], undefined, 'no made-up faas.instance');
  // The agent events are stamped when their frames arrived: in order, inside the hop.
  const agent = probe.find((s) => s.name === 'agent.run');
  if (agent && agent.events.length > 0) {
    const times = agent.events.map((e) => e.timeUnixNano);
    assert.ok(
      times.every((t, i) => i === 0 || t >= times[i - 1]!),
      'events in arrival order',
    );
    assert.ok(times[0]! >= agent.startTimeUnixNano && times.at(-1)! <= agent.endTimeUnixNano);
    // at_ms counts from start_agent: the gaps between events match the gaps between their timestamps.
    const ms = agent.events.map((e) => Number(e.attributes['probe.event.at_ms']));
    const gapNs = Number(times.at(-1)! - times[0]!) / 1e6;
    assert.ok(Math.abs(gapNs - (ms.at(-1)! - ms[0]!)) <= 2, `event times follow arrival (${gapNs} vs ${ms})`);
  }
}

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
