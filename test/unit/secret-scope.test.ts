// Issue 14, item 1: what a run remembers is the run's, and goes with it; the process keeps only its own.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trace } from '@opentelemetry/api';
import { BatchSpanProcessor, InMemorySpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';
import {
  holdsSecret,
  inSecretScope,
  rememberSecret,
  Secret,
  scrubDeep,
  scrubSecrets,
} from '../../src/config/secret.ts';
import { SecretForms } from '../../src/config/secret-forms.ts';
import { ScrubbingSpanExporter } from '../../src/telemetry/sdk/scrubbing-span-exporter.ts';
import { probeTracer } from '../../src/telemetry/tracer.ts';

const PROCESS_KEY = 'scope-test-process-bypass-key-5a4b3c';
new Secret(PROCESS_KEY);

const JWT_HEAD = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLSR7bn0ifQ';
const token = (n: number) => `${JWT_HEAD}.c2lnbmF0dXJlLW9mLXRva2VuLW51bWJlci0${n}xyzw`;
const signature = (t: string) => t.split('.')[2]!;

describe('secret scopes', () => {
  it('a run’s token is scrubbed inside the run, forgotten after it; the process’s secrets everywhere', async () => {
    const t = token(1);
    const inside = await inSecretScope(async () => {
      new Secret(t);
      await new Promise((r) => setImmediate(r));
      return scrubSecrets(`echo ${t} sig ${signature(t)} key ${PROCESS_KEY}`);
    });
    assert.equal(inside, 'echo [REDACTED] sig [REDACTED] key [REDACTED]');
    assert.equal(holdsSecret(t), false, 'outside the run the token is no longer remembered');
    assert.equal(scrubSecrets(`key ${PROCESS_KEY}`), 'key [REDACTED]');
  });

  it('two runs at once keep their own tokens; attempts and users inside one run share its scope', async () => {
    const [a, b] = [token(2), token(3)];
    const seen = await Promise.all(
      [a, b].map((mine) =>
        inSecretScope(async () => {
          rememberSecret(mine);
          await new Promise((r) => setTimeout(r, 5));
          const nested = await inSecretScope(async () => holdsSecret(mine));
          return { nested, other: holdsSecret(mine === a ? b : a) };
        }),
      ),
    );
    assert.deepEqual(seen, [
      { nested: true, other: false },
      { nested: true, other: false },
    ]);
  });

  it('scrubDeep inside the run takes the run’s tokens out of a report', async () => {
    const t = token(4);
    const report = await inSecretScope(async () => {
      rememberSecret(t);
      return scrubDeep({ verdict: { evidence: [`Bearer ${t}`] } });
    });
    assert.deepEqual(report, { verdict: { evidence: ['Bearer [REDACTED]'] } });
  });

  it('a span exported after its run ended is still scrubbed with that run’s token', async () => {
    const memory = new InMemorySpanExporter();
    const exporter = new ScrubbingSpanExporter(memory);
    const processor = new BatchSpanProcessor({ exporter, scheduledDelayMillis: 60_000 });
    const provider = new TracerProvider({ spanProcessors: [processor] });
    trace.setGlobalTracerProvider(provider);
    try {
      const t = token(5);
      await inSecretScope(async () => {
        const span = probeTracer().startSpan('ws.connect');
        rememberSecret(t); // learnt after the span started, as a login hop's token is
        span.setAttribute('websocket.close.reason', `token ${t}`);
        span.end();
      });
      const later = probeTracer().startSpan('outside any run');
      later.setAttribute('quoted', `token ${t}`);
      later.end();
      assert.equal(memory.getFinishedSpans().length, 0, 'nothing exported while the run was on');
      await processor.forceFlush();
      const [inRun, outside] = memory.getFinishedSpans();
      assert.equal(inRun!.attributes['websocket.close.reason'], 'token [REDACTED]');
      assert.equal(outside!.attributes.quoted, `token ${t}`, 'a span of no run does not see the run’s token');
    } finally {
      await provider.shutdown();
      trace.disable();
    }
  });
});

describe('SecretForms past the plain-scan limit (one run of many users)', () => {
  it('finds and replaces every form of hundreds of tokens, longest first, and leaves clean text as it is', () => {
    const forms = new SecretForms();
    const tokens = Array.from({ length: 300 }, (_, i) => token(1000 + i));
    for (const t of tokens) forms.add(t);
    assert.ok(forms.size > 1000);
    const clean = 'nothing secret here, only words and ids 1234';
    assert.equal(forms.replaceIn(clean, '[R]'), clean);
    const t = tokens[123]!;
    const base64url = Buffer.from(tokens[299]!).toString('base64url');
    const text = `a ${t} b ${signature(tokens[7]!)} c ${base64url} d ${encodeURIComponent(t)}`;
    assert.equal(forms.replaceIn(text, '[R]'), 'a [R] b [R] c [R] d [R]');
    assert.ok(forms.foundIn(`x${signature(tokens[0]!)}`) && !forms.foundIn(clean));
  });
});
