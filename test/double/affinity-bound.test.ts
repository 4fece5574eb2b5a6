// The GCLB front's cookie table without a server: a pinned client stays pinned, and the table forgets the oldest
// cookie past 10,000 (a forgotten cookie is placed again, as an expired one is), so it does not grow with every
// cookie-less client of a long-running double.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAffinity } from '../../src/double/backend/affinity.ts';

const gclbValue = (setCookie: string | undefined) => /^GCLB=([^;]+);/.exec(setCookie ?? '')?.[1] ?? '';

test('affinity: the cookie pins its instance until 10,000 newer cookies push it out', () => {
  const front = createAffinity(2);
  const first = front.place(undefined, true);
  const cookie = `other=1; GCLB=${gclbValue(first.setCookie)}`;
  assert.deepEqual(front.place(cookie, true), { instance: first.instance, setCookie: undefined });
  for (let i = 0; i < 9_999; i++) front.place(undefined, true);
  assert.equal(front.place(cookie, true).setCookie, undefined, 'still remembered at 10,000');
  front.place(undefined, true);
  assert.match(front.place(cookie, true).setCookie ?? '', /^GCLB=/, 'forgotten past 10,000: placed again');
});
