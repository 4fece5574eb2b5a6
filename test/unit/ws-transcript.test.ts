import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TRANSCRIPT_LIMITS, WsTranscript } from '../../src/agent/ws-transcript.ts';
import { rememberSecret } from '../../src/config/secret.ts';

const ME = { user: 'u-1', thread: 'thread_1' };

function receive(t: WsTranscript, json: unknown, at: number): void {
  const text = JSON.stringify(json);
  t.received(text, Buffer.byteLength(text), json, 'json', at);
}

describe('WsTranscript', () => {
  it('records both directions, ms after the upgrade, size and what each frame was read as', () => {
    const t = new WsTranscript();
    t.opened(1000);
    receive(t, { type: 'connection_established', data: { user_id: 'u-1...' } }, 1004);
    t.sent('{"type":"start_agent","thread_id":"thread_1"}', 1005.4);
    receive(t, { type: 'agent_progress', data: { type: 'agent_thinking', run_id: 'r1' } }, 1020);
    t.received(undefined, 3, undefined, 'binary', 1021);
    t.received('not json', 8, undefined, 'text', 1022);
    t.closed(1000, 'main cleanup', undefined, 1030);
    const snap = t.snapshot(ME);
    assert.deepEqual(
      snap.frames.map((f) => [f.dir, f.atMs, f.readAs]),
      [
        ['received', 4, 'connection_established'],
        ['sent', 5, 'start_agent'],
        ['received', 20, 'agent_thinking'],
        ['received', 21, 'binary'],
        ['received', 22, 'non-JSON'],
        ['closed', 30, 'close'],
      ],
    );
    assert.equal(snap.frames[3]!.frame, '', 'binary content is not kept');
    assert.deepEqual(snap.frames[2]!.ids, { run: 'r1' });
    assert.deepEqual([snap.frames[5]!.code, snap.frames[5]!.frame], [1000, 'main cleanup']);
    assert.deepEqual([snap.user, snap.thread, snap.omitted], ['u-1', 'thread_1', 0]);
  });

  it('takes out known secrets and anything JWT-shaped, then cuts a frame to its bound (ids kept whole)', () => {
    const secret = 'transcript-secret-value-0123456789';
    rememberSecret(secret);
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXBhcnQtb2YtYS10b2tlbg';
    const t = new WsTranscript();
    t.opened(0);
    const echo = { type: 'error_message', error_message: `${secret} ${jwt}`, pad: 'p'.repeat(5000), run_id: 'r-whole' };
    receive(t, echo, 1);
    const [entry] = t.snapshot(ME).frames;
    assert.ok(!entry!.frame.includes(secret) && !entry!.frame.includes('c2lnbmF0dXJl'));
    assert.match(entry!.frame, /\[REDACTED\] \[REDACTED\]/);
    assert.equal(entry!.frame.length, TRANSCRIPT_LIMITS.frameChars);
    assert.equal(entry!.cut, true);
    assert.deepEqual(entry!.ids, { run: 'r-whole' });
  });

  it('keeps the start and the end of a flood within 200 frames and 256 KiB, counting what it left out', () => {
    const t = new WsTranscript();
    t.opened(0);
    for (let i = 0; i < 5000; i++) receive(t, { type: 'heartbeat', n: i, pad: 'x'.repeat(1500) }, i);
    t.closed(1006, '', undefined, 5000);
    const snap = t.snapshot(ME);
    const chars = snap.frames.reduce((n, f) => n + JSON.stringify(f).length, 0);
    assert.ok(snap.frames.length <= TRANSCRIPT_LIMITS.frames, `${snap.frames.length} frames`);
    assert.ok(chars <= TRANSCRIPT_LIMITS.chars, `${chars} chars`);
    assert.equal(snap.frames.length + snap.omitted, 5001);
    assert.match(snap.frames[0]!.frame, /"n":0,/);
    assert.equal(snap.frames.at(-1)!.dir, 'closed', 'the end is kept');
  });
});
