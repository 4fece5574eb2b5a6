// Faults in the agent run over a healthy, authenticated WebSocket.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunningDouble } from '../../src/double/index.ts';
import type { WsClient } from './support.ts';
import { accessToken, bearer, byType, connectWs, eventName, sleep, startAgent, withDouble } from './support.ts';

const FIVE = ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed'];

async function runOn(d: RunningDouble): Promise<WsClient> {
  const c = connectWs(d.wsUrl, { headers: bearer(await accessToken(d)) });
  await c.next(byType('connection_established'));
  startAgent(c);
  return c;
}

const names = (c: WsClient) => c.frames.slice(1).map((f) => eventName(f.frame));
/** The thread the backend announced for the run ("thread-1" has no row, so one is always announced). */
function announcedThread(c: WsClient): string {
  const announced = c.frames.find((f) => f.frame.type === 'thread_created');
  return String((announced?.frame.payload as Record<string, unknown> | undefined)?.thread_id);
}

test('agent_stall: stops after tool_executing, the socket stays open', () =>
  withDouble('agent_stall', async (d) => {
    const c = await runOn(d);
    await c.next(byType('tool_executing'));
    await sleep(300);
    const after = names(c).slice(names(c).indexOf('tool_executing') + 1);
    assert.ok(
      after.every((n) => n === 'heartbeat'),
      `only heartbeats after tool_executing, got ${after.join(',')}`,
    );
    assert.ok(!names(c).includes('tool_completed') && !names(c).includes('agent_completed'));
    assert.equal(c.ws.readyState, c.ws.OPEN);
    c.ws.close();
  }));

test('agent_error: agent_started, then agent_error with the LLM message, then nothing', () =>
  withDouble('agent_error', async (d) => {
    const c = await runOn(d);
    const err = await c.next(byType('agent_error'));
    assert.deepEqual(err.data, { error_message: 'LLM provider returned 500', error_context: {} });
    assert.equal(typeof err.run_id, 'string');
    await sleep(150);
    // The conversation (thread_created, ThreadService's ack), the agent's agent_started, its error.
    assert.deepEqual(names(c), ['thread_created', 'agent_started', 'agent_started', 'agent_error']);
    c.ws.close();
  }));

test('ws_abort: start_agent closes the socket with 1000 "main cleanup"', () =>
  withDouble('ws_abort', async (d) => {
    const c = await runOn(d);
    const closed = await c.closed;
    assert.deepEqual(closed, { code: 1000, reason: 'main cleanup' });
    assert.deepEqual(names(c), []);
  }));

test('ws_abort: a ping before start_agent is still answered', () =>
  withDouble('ws_abort', async (d) => {
    const c = connectWs(d.wsUrl, { headers: bearer(await accessToken(d)) });
    await c.next(byType('connection_established'));
    c.send({ type: 'ping' });
    await c.next(byType('pong'));
    c.ws.close();
  }));

test('slow_agent: the same five events, spread over slowAgentMs', () =>
  withDouble(
    'slow_agent',
    async (d) => {
      const c = await runOn(d);
      const t0 = performance.now();
      await c.next(byType('agent_completed'), 3000);
      const elapsed = performance.now() - t0;
      assert.ok(elapsed >= 550, `took ${elapsed} ms`);
      assert.deepEqual(
        names(c).filter((n) => FIVE.includes(n)),
        [
          'agent_started',
          'agent_started',
          'agent_started',
          'agent_thinking',
          'agent_thinking',
          'tool_executing',
          'tool_completed',
          'agent_completed',
        ],
      );
      c.ws.close();
    },
    { slowAgentMs: 600 },
  ));

test('fallback_envelope: ServerMessage frames with the event in data.type', () =>
  withDouble('fallback_envelope', async (d) => {
    const c = await runOn(d);
    const done = await c.next((f) => eventName(f) === 'agent_completed');
    assert.equal(done.type, 'agent_response_complete');
    assert.equal(typeof (done.data as Record<string, unknown>).content, 'string');
    const frames = runFrames(c);
    const outer = frames.filter((f) => f.type !== 'heartbeat').map((f) => `${String(f.type)}/${eventName(f)}`);
    assert.deepEqual(outer, [
      'system_message/agent_started',
      'agent_progress/agent_thinking',
      'agent_progress/agent_thinking',
      'agent_progress/tool_executing',
      'agent_progress/tool_completed',
      'agent_response_complete/agent_completed',
    ]);
    const exec = frames.find((f) => eventName(f) === 'tool_executing') ?? {};
    const payload = (exec.data as Record<string, unknown>).payload as Record<string, unknown>;
    assert.equal(payload.tool_name, 'data_helper');
    for (const f of frames) {
      assert.deepEqual(Object.keys(f).sort(), ['correlation_id', 'data', 'server_id', 'timestamp', 'type']);
    }
    c.ws.close();
  }));

test('events_out_of_order: all five arrive, tool_completed before tool_executing', () =>
  withDouble('events_out_of_order', async (d) => {
    const c = await runOn(d);
    await c.next(byType('agent_completed'));
    const seq = names(c).filter((n) => FIVE.includes(n));
    assert.ok(FIVE.every((n) => seq.includes(n)));
    assert.ok(seq.indexOf('tool_completed') < seq.indexOf('tool_executing'));
    c.ws.close();
  }));

/** The frames after connection_established. */
const runFrames = (c: WsClient) => c.frames.slice(1).map((f) => f.frame);
const critical = (c: WsClient) => runFrames(c).filter((f) => f.critical === true);
/** The agents' events: the five types, ThreadService's payload-shaped acknowledgement left out. */
const fiveEvents = (c: WsClient) =>
  runFrames(c).filter((f) => FIVE.includes(String(f.type)) && f.payload === undefined);

test('nested_events: all five as the bridge dicts, each with a data object and the user id', () =>
  withDouble('nested_events', async (d) => {
    const c = await runOn(d);
    await c.next(byType('agent_completed'));
    const frames = fiveEvents(c);
    assert.equal(frames.length, 7);
    for (const f of frames) {
      assert.equal(typeof f.data, 'object');
      assert.equal(f.user_id, 'e2e-e2e-test');
    }
    assert.deepEqual(critical(c), []);
    c.ws.close();
  }));

test('events_dropped_by_routing: the bridge events arrive, agent_thinking and agent_completed never do', () =>
  withDouble('events_dropped_by_routing', async (d) => {
    const c = await runOn(d);
    await c.next(byType('tool_completed'));
    await sleep(200);
    assert.deepEqual(
      names(c).filter((n) => FIVE.includes(n)),
      ['agent_started', 'agent_started', 'agent_started', 'tool_executing', 'tool_completed'],
    );
    assert.equal(c.ws.readyState, c.ws.OPEN);
    c.ws.close();
  }));

test('thread_user_id: every frame of the run labelled with the thread id, the critical ones with a tier', () =>
  withDouble('thread_user_id', async (d) => {
    const c = await runOn(d);
    await c.next(byType('agent_completed'));
    const frames = fiveEvents(c);
    assert.ok(frames.every((f) => f.user_id === announcedThread(c)));
    assert.equal(critical(c).length, 3);
    assert.ok(critical(c).every((f) => (f.metadata as Record<string, unknown>).user_tier === 'free'));
    c.ws.close();
  }));
