// The conversation of a run as the real backend has it (netra-protocol.md §4a): the thread it keeps or replaces and
// announces, ThreadService's acknowledgement with the server's run id, run ids in the recorded formats, every socket
// of a user hearing every run of that user on its instance, and other clients of the same user running at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunningDouble } from '../../src/double/index.ts';
import type { Json, WsClient } from './support.ts';
import { accessToken, bearer, byType, CREDS, connectWs, postJson, sleep, startAgent, withDouble } from './support.ts';

async function tokenFor(d: RunningDouble, email: string): Promise<string> {
  const r = await postJson(`${d.authUrl}/auth/e2e/test-auth`, JSON.stringify({ email }), {
    'X-E2E-Bypass-Key': CREDS.bypassKey,
  });
  return String(r.json?.access_token);
}

async function open(d: RunningDouble, token: string, headers: Record<string, string> = {}): Promise<WsClient> {
  const c = connectWs(d.wsUrl, { headers: { ...bearer(token), ...headers } });
  await c.next(byType('connection_established'));
  return c;
}

const frames = (c: WsClient) => c.frames.map((f) => f.frame);
const acks = (c: WsClient) => frames(c).filter((f) => f.type === 'agent_started' && f.payload !== undefined);
const ackOf = (f: Json) => f.payload as Json;
const announced = (c: WsClient) =>
  frames(c)
    .filter((f) => f.type === 'thread_created')
    .map((f) => (f.payload as Json).thread_id);
/** agent_completed frames of a run: the critical frame carries the run id at the top. */
const completedRuns = (c: WsClient) =>
  frames(c)
    .filter((f) => f.type === 'agent_completed')
    .map((f) => f.run_id);

test('an unknown or foreign thread id is replaced by the user newest active thread, announced', () =>
  withDouble('healthy', async (d) => {
    const token = await accessToken(d);
    const bob = await tokenFor(d, 'bob@example.test');
    const bobs = String((await postJson(`${d.apiUrl}/api/threads`, '{}', bearer(bob))).json?.id);
    const mine = String((await postJson(`${d.apiUrl}/api/threads`, '{"title":"mine"}', bearer(token))).json?.id);
    const c = await open(d, token);
    // A client-made id (as the zen CLI sent on staging) and bob's real thread: both land on my newest active one.
    for (const named of ['cli_thread_f887c58e7759', bobs]) {
      const seen = c.frames.length;
      startAgent(c, named);
      await c.next((f) => f.type === 'agent_completed' && c.frames.length > seen + 3);
      const run = c.frames.slice(seen).map((f) => f.frame);
      assert.deepEqual(run[0], {
        type: 'thread_created',
        payload: { thread_id: mine, timestamp: ackOf(run[0] ?? {})?.timestamp },
      });
      assert.equal(ackOf(run[1] ?? {}).thread_id, mine);
    }
    c.ws.close();
  }));

test('run ids: the server makes them, in each recorded format in turn, whatever the client sends', () =>
  withDouble('healthy', async (d) => {
    const token = await accessToken(d);
    const thread = String((await postJson(`${d.apiUrl}/api/threads`, '{}', bearer(token))).json?.id);
    const c = await open(d, token);
    const formats = [
      new RegExp(`^run_${thread}_\\d{1,5}_[0-9a-f]{8}$`),
      /^thread_[0-9a-f]{16}_run_\d{13}_[0-9a-f]{8}$/,
      /^run_session_\d{1,5}_[0-9a-f]{8}_\d{1,5}_[0-9a-f]{8}$/,
      /^run_chat_\d{13}_\d{1,5}_[0-9a-f]{8}$/,
      /^demo_run_\d{13}_\d{1,5}_[0-9a-f]{8}$/,
      new RegExp(`^run_${thread}_\\d{1,5}_[0-9a-f]{8}$`),
    ];
    for (const [i, format] of formats.entries()) {
      c.send({ type: 'start_agent', payload: { user_request: 'q', thread_id: thread, run_id: 'client-run-1' } });
      await c.next(() => completedRuns(c).length === i + 1, 3000);
      const ack = ackOf(acks(c)[i] ?? {});
      assert.match(String(ack.run_id), format);
      assert.equal(completedRuns(c)[i], ack.run_id, 'the events carry the acknowledged run id');
    }
    c.ws.close();
  }));

test('every socket of a user on the instance hears every run of the user; another user and the other instance do not', () =>
  withDouble('healthy', async (d) => {
    const token = await accessToken(d);
    const a = await open(d, token);
    const b = await open(d, token); // same GCLB cookie: same instance
    const other = await open(d, await tokenFor(d, 'bob@example.test'));
    const elsewhere = await open(d, token, { cookie: '' }); // no cookie: the next instance in turn
    startAgent(a);
    await a.next(byType('agent_completed'));
    await b.next(byType('agent_completed'));
    const types = (c: WsClient) => frames(c).map((f) => String(f.type));
    assert.deepEqual(types(b), types(a));
    assert.deepEqual(
      frames(b)
        .slice(1)
        .map((f) => f.run_id ?? ackOf(f)?.run_id ?? null),
      frames(a)
        .slice(1)
        .map((f) => f.run_id ?? ackOf(f)?.run_id ?? null),
    );
    await sleep(50);
    assert.deepEqual(types(other), ['connection_established']);
    assert.deepEqual(types(elsewhere), ['connection_established']);
    for (const c of [a, b, other, elsewhere]) c.ws.close();
  }));

test('other_client_run: another run of the same user interleaves, on its own thread, and completes first', () =>
  withDouble('other_client_run', async (d) => {
    const token = await accessToken(d);
    const mine = String((await postJson(`${d.apiUrl}/api/threads`, '{}', bearer(token))).json?.id);
    const c = await open(d, token);
    startAgent(c, mine);
    await c.next(() => completedRuns(c).length === 2);
    const [theirs, ours] = acks(c).map(ackOf);
    assert.notEqual(theirs?.thread_id, mine, 'its own thread');
    assert.equal(ours?.thread_id, mine);
    assert.notEqual(theirs?.run_id, ours?.run_id);
    assert.deepEqual(announced(c), [], 'both threads are rows of the user: nothing announced');
    assert.deepEqual(completedRuns(c), [theirs?.run_id, ours?.run_id]);
    // Interleaved: one of ours arrives before their completion.
    const all = frames(c);
    const theirDone = all.findIndex((f) => f.type === 'agent_completed');
    assert.ok(all.slice(0, theirDone).some((f) => f.run_id === ours?.run_id));
    // Their tool frames carry the same real user and no thread id: only the run id tells them apart.
    const tools = all.filter((f) => f.type === 'tool_executing');
    assert.deepEqual(
      tools.map((f) => [f.user_id, 'thread_id' in f]),
      [
        ['e2e-e2e-test', false],
        ['e2e-e2e-test', false],
      ],
    );
    c.ws.close();
  }));

test('other_client_completes_first: the other run completes, this one stalls with heartbeats', () =>
  withDouble('other_client_completes_first', async (d) => {
    const token = await accessToken(d);
    const mine = String((await postJson(`${d.apiUrl}/api/threads`, '{}', bearer(token))).json?.id);
    const c = await open(d, token);
    startAgent(c, mine);
    await c.next(byType('agent_completed'));
    await sleep(300);
    const [theirs, ours] = acks(c).map(ackOf);
    assert.equal(ours?.thread_id, mine);
    assert.deepEqual(completedRuns(c), [theirs?.run_id]);
    const our = frames(c)
      .filter((f) => f.run_id === ours?.run_id)
      .map((f) => f.type);
    assert.ok(our.includes('tool_executing') && !our.includes('tool_completed'), our.join(','));
    c.ws.close();
  }));

test('other_client_same_thread: the backend gives the other client our thread; its ack names our thread, its own run', () =>
  withDouble('other_client_same_thread', async (d) => {
    const token = await accessToken(d);
    const mine = String((await postJson(`${d.apiUrl}/api/threads`, '{}', bearer(token))).json?.id);
    const c = await open(d, token);
    startAgent(c, mine);
    await c.next(() => completedRuns(c).length === 2);
    const [ours, theirs] = acks(c).map(ackOf);
    assert.deepEqual([ours?.thread_id, theirs?.thread_id], [mine, mine]);
    assert.notEqual(ours?.run_id, theirs?.run_id);
    assert.deepEqual(announced(c), [mine], "announced for the other client's run");
    assert.deepEqual(new Set(completedRuns(c)), new Set([ours?.run_id, theirs?.run_id]));
    // Frames of the other run name our thread.
    const theirThinking = frames(c).find((f) => f.type === 'agent_thinking' && f.run_id === theirs?.run_id);
    assert.equal(theirThinking?.thread_id, mine);
    c.ws.close();
  }));

test('no_tool_events: the recorded staging run — ack, three more agent_started, one thinking, completed "done", no tools', () =>
  withDouble('no_tool_events', async (d) => {
    const c = await open(d, await accessToken(d));
    startAgent(c, 'cli_thread_f887c58e7759');
    const done = await c.next(byType('agent_completed'));
    const run = frames(c).slice(1);
    assert.deepEqual(
      run.map((f) =>
        f.type === 'agent_started' ? `agent_started:${String(f.agent_name ?? ackOf(f).agent_name)}` : f.type,
      ),
      [
        'thread_created',
        'agent_started:netra-assistant',
        'agent_started:netra-assistant',
        'agent_started:MessageHandler',
        'agent_started:claude_code_optimizer',
        'agent_thinking',
        'agent_completed',
      ],
    );
    assert.equal((done.result as Json).status, 'done');
    c.ws.close();
  }));
