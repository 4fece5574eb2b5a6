// One instance's WebSocket registry without a server: send_to_user reaches every socket of that user and no other
// user's (unified_manager.py:353-390 at aebb16f77), and a closed socket leaves nothing behind, so a double that
// serves a soak of thousands of connections holds only the open ones.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createUserSockets } from '../../src/double/ws/user-sockets.ts';

test('user sockets: every socket of the user hears the frame, another user none; closed sockets are gone', () => {
  const sockets = createUserSockets();
  const heard: string[] = [];
  const leaveA = sockets.add('u1', () => heard.push('a'));
  const leaveB = sockets.add('u1', () => heard.push('b'));
  const leaveC = sockets.add('u2', () => heard.push('c'));
  sockets.sendToUser('u1', { type: 'agent_started' });
  assert.deepEqual(heard, ['a', 'b']);
  assert.equal(sockets.size(), 3);
  leaveA();
  leaveA();
  sockets.sendToUser('u1', { type: 'agent_completed' });
  assert.deepEqual(heard, ['a', 'b', 'b']);
  leaveB();
  leaveC();
  assert.equal(sockets.size(), 0);
  // A user whose last socket closed can join again.
  const leaveD = sockets.add('u1', () => heard.push('d'));
  sockets.sendToUser('u1', {});
  assert.deepEqual(heard, ['a', 'b', 'b', 'd']);
  leaveD();
  for (let i = 0; i < 1_000; i++) sockets.add(`user${i}`, () => {})();
  assert.equal(sockets.size(), 0);
});
