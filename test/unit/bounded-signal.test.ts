import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { boundedSignal } from '../../src/net/bounded-signal.ts';

describe('boundedSignal', () => {
  it("aborts with the parent's reason", () => {
    const parent = new AbortController();
    const { signal } = boundedSignal(parent.signal, 60_000);
    parent.abort(new Error('told to stop'));
    assert.equal(signal.aborted, true);
    assert.equal((signal.reason as Error).message, 'told to stop');
  });

  it('aborts with a TimeoutError after its time, as AbortSignal.timeout does', async () => {
    const { signal } = boundedSignal(new AbortController().signal, 5);
    await sleep(50);
    assert.equal(signal.aborted, true);
    assert.equal((signal.reason as DOMException).name, 'TimeoutError');
  });

  it('starts aborted under an aborted parent', () => {
    const parent = new AbortController();
    parent.abort('gone');
    assert.equal(boundedSignal(parent.signal, 60_000).signal.reason, 'gone');
  });

  it('lets go of a long-lived parent when released: no listener left, no later abort', async () => {
    const parent = new AbortController();
    const bounded = [1, 2, 3].map(() => boundedSignal(parent.signal, 5));
    assert.equal(getEventListeners(parent.signal, 'abort').length, 3);
    for (const b of bounded) b.release();
    assert.equal(getEventListeners(parent.signal, 'abort').length, 0);
    await sleep(50);
    parent.abort();
    assert.deepEqual(
      bounded.map((b) => b.signal.aborted),
      [false, false, false],
    );
  });
});
