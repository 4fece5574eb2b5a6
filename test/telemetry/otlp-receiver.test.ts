// The test receiver itself: what it refuses, so a test never passes on data it silently dropped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startOtlpReceiver } from '../support/otlp-receiver.ts';

test('the receiver refuses other paths, methods, content types and undecodable bodies, and says so', async () => {
  const receiver = await startOtlpReceiver();
  try {
    const post = (path: string, type: string, body: string | Uint8Array) =>
      fetch(`${receiver.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
    assert.equal((await fetch(`${receiver.url}/v1/traces`)).status, 404);
    assert.equal((await post('/v1/logs', 'application/json', '{}')).status, 404);
    assert.equal((await post('/v1/traces', 'text/plain', 'hi')).status, 415);
    assert.equal((await post('/v1/traces', 'application/x-protobuf', new Uint8Array([0x0a, 0xff]))).status, 400);
    assert.equal((await post('/v1/metrics', 'application/json', 'not json')).status, 400);
    assert.equal(receiver.errors.length, 5);
    assert.equal(receiver.requests, 0);

    // An empty export is accepted and answered in kind.
    const ok = await post('/v1/traces', 'application/json; charset=utf-8', '{"resourceSpans":[]}');
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('content-type'), 'application/json');
    assert.equal(await ok.text(), '{}');
    assert.equal(receiver.requests, 1);
    assert.deepEqual(receiver.spans, []);
  } finally {
    await receiver.close();
  }
});
