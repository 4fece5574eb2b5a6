// Issue 19 item 1: at the end of a run the probe deletes what it created (its thread, its chat message), on the
// instance that stored it (the affinity cookie), best effort, and a failed clean-up is a note, never a verdict.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startDouble } from '../../src/double/index.ts';
import { HEALTHY_AGENT } from '../support/fault-rows.ts';
import { runCli } from '../support/run-cli.ts';
import { probeEnv, testCredentials } from '../support/test-credentials.ts';

describe('clean-up of what the run created', () => {
  it('a healthy run archives its thread and deletes its message, on the instance that stored it', async () => {
    const credentials = testCredentials('cleanup');
    const double = await startDouble({ fault: 'healthy', credentials });
    try {
      const out = await runCli(['run', ...HEALTHY_AGENT], { env: probeEnv(double, credentials) });
      assert.equal(out.report?.verdict.code, 'PASS', out.stdout + out.stderr);
      const cleanup = out.report!.cleanup ?? [];
      assert.deepEqual(
        cleanup.map((c) => [c.resource, c.deleted]),
        [
          ['thread', true],
          ['chat_message', true],
        ],
        JSON.stringify(cleanup),
      );
      const thread = out.report!.hops.find((h) => h.name === 'thread.create')!.evidence![0]!;
      assert.ok(thread.includes(JSON.stringify(cleanup[0]!.id)), `${thread} names the thread deleted`);
      const backend = double.requests.filter((r) => r.service === 'backend' && !r.path.startsWith('/health'));
      const deletes = backend.filter((r) => r.method === 'DELETE');
      assert.deepEqual(
        deletes.map((r) => [r.path.split('/').slice(0, 3).join('/'), r.status]).sort(),
        [
          ['/api/threads', 200],
          ['/api/chat', 200],
        ].sort(),
        'both DELETEs answered 200',
      );
      const create = backend.find((r) => r.method === 'POST' && r.path === '/api/chat/messages');
      const removed = deletes.find((r) => r.path.startsWith('/api/chat/messages/'));
      assert.equal(removed?.instance, create?.instance, 'the message was deleted where it was stored');
      assert.ok(out.stdout.includes('"message":"clean-up: thread archived, chat_message deleted"'), 'logged once');
    } finally {
      await double.close();
    }
  });

  it('a clean-up that fails is a note, not the verdict (no affinity: the DELETE reaches the other instance)', async () => {
    const out = await runCli(['demo', '--fault', 'no_affinity_cookie', '--no-gcp', ...HEALTHY_AGENT]);
    assert.equal(out.report?.verdict.code, 'CHAT_INSTANCE_NOT_PINNED', out.stdout);
    const message = out.report!.cleanup?.find((c) => c.resource === 'chat_message');
    assert.equal(message?.deleted, false, JSON.stringify(out.report!.cleanup));
    assert.match(message!.detail, /^DELETE \/api\/chat\/messages\/\{id\} answered HTTP 404: "Message not found"$/);
    assert.ok(!out.report!.verdict.evidence.some((e) => e.includes('DELETE')), 'the clean-up is not evidence');
    assert.match(out.stdout, /clean-up: chat message \S+ NOT deleted/);
  });
});
