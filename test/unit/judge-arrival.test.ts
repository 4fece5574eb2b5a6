// judgeInputOf: one reading of a frame-queue arrival for both socket hops (ws.connect, agent.run).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Span } from '@opentelemetry/api';
import { judgeInputOf } from '../../src/hops/judge-arrival.ts';

/** A span that only keeps what it was told: the close's attributes are what is asserted. */
function recordingSpan() {
  const attributes: Record<string, unknown> = {};
  const span = { setAttributes: (a: Record<string, unknown>) => Object.assign(attributes, a) } as unknown as Span;
  return { span, attributes };
}

describe('judgeInputOf', () => {
  it('a frame: untimed for ws.connect, its time after the request for agent.run', () => {
    const frame = { json: { type: 'x' }, kind: 'json' as const, at: 1500.4 };
    assert.deepEqual(judgeInputOf({ kind: 'frame', frame }, undefined), {
      kind: 'frame',
      json: { type: 'x' },
      form: 'json',
    });
    assert.deepEqual(judgeInputOf({ kind: 'frame', frame }, undefined, 1000), {
      kind: 'frame',
      json: { type: 'x' },
      form: 'json',
      atMs: 500,
    });
  });

  it('the deadline: how long agent.run waited, nothing for ws.connect', () => {
    assert.deepEqual(judgeInputOf({ kind: 'aborted' }, undefined), { kind: 'deadline' });
    const input = judgeInputOf({ kind: 'aborted' }, undefined, performance.now() - 50);
    assert.equal(input.kind, 'deadline');
    assert.ok(input.kind === 'deadline' && input.waitedMs !== undefined && input.waitedMs >= 50, JSON.stringify(input));
  });

  it('a close is passed on and put on the span, its reason bounded', () => {
    const { span, attributes } = recordingSpan();
    const close = { kind: 'closed' as const, code: 1011, reason: 'r'.repeat(500) };
    assert.deepEqual(judgeInputOf(close, span), close);
    assert.equal(attributes['websocket.close.code'], 1011);
    assert.ok(String(attributes['websocket.close.reason']).length <= 124, String(attributes['websocket.close.reason']));
  });
});
