// The threads store's repository rules without a server: get_or_create_for_user's choice and the bound on
// rows it can no longer return (archived or status-less).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createThreadStore } from '../../src/double/backend/thread-store.ts';

test('get_or_create_for_user: newest thread with a status other than archived, else a new thread_session_ one', () => {
  const store = createThreadStore();
  const made = store.getOrCreateForUser('u1');
  assert.match(made.id, /^thread_session_\d{1,5}_[0-9a-f]{8}$/);
  assert.deepEqual(made.metadata, { user_id: 'u1' });
  // Without a status it is never "active": the next call makes another.
  assert.notEqual(store.getOrCreateForUser('u1').id, made.id);
  const older = store.create({ user_id: 'u1', status: 'active' });
  const newer = store.create({ user_id: 'u1', status: 'active' });
  store.create({ user_id: 'u2', status: 'active' });
  assert.equal(store.getOrCreateForUser('u1').id, newer.id);
  store.archive(newer.id);
  assert.equal(store.getOrCreateForUser('u1').id, older.id);
  assert.equal(store.byUser('u1').length, 4, 'archived rows stay listed');
});

test('past 5,000 rows the oldest archived rows are forgotten, active ones never', () => {
  const store = createThreadStore();
  const keep = store.create({ user_id: 'u', status: 'active' });
  for (let i = 0; i < 5_100; i++) store.archive(store.create({ user_id: 'u', status: 'active' }).id);
  assert.equal(store.byUser('u').length, 5_000);
  assert.equal(store.get(keep.id)?.id, keep.id);
});

test('past 5,000 rows the oldest status-less rows (get_or_create_for_user fallbacks) are forgotten too', () => {
  const store = createThreadStore();
  const keep = store.create({ user_id: 'u', status: 'active' });
  // User v has no active thread: every call makes a status-less row (thread_repository.py:127-151).
  for (let i = 0; i < 5_100; i++) store.getOrCreateForUser('v');
  assert.equal(store.byUser('v').length, 4_999);
  assert.equal(store.get(keep.id)?.id, keep.id);
  assert.equal(store.getOrCreateForUser('u').id, keep.id);
});
