// The agent.run rules without a socket: who a frame belongs to, and what a stream of frames adds up to.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type JudgeInput, judgeAgentRun } from '../../src/agent/agent-run-judge.ts';
import { type RunIdentity, RunOwnership } from '../../src/agent/frame-owner.ts';

const ME = { subject: 'e2e-golden-probe', threadId: 'thread_probe_0123456789abcdef' };
const T = ME.threadId;

const frame = (json: unknown, atMs?: number): JudgeInput => ({ kind: 'frame', json, form: 'json', atMs });

/**
 * The real backend's wire: ThreadService's acknowledgement (payload.run_id, payload.thread_id), the bridge's
 * dicts with the user's id and no thread, the critical path flat with the thread id as user_id.
 */
function realStream(run = 'run_1'): JudgeInput[] {
  const bridge = (type: string, at: number) =>
    frame({ type, run_id: run, user_id: ME.subject, data: { status: type } }, at);
  const critical = (type: string, at: number, extra: object) =>
    frame({ timestamp: 'x', critical: true, type, ...extra, run_id: run, thread_id: T, user_id: T }, at);
  const ack = { type: 'agent_started', payload: { run_id: run, agent_name: 'netra-assistant', thread_id: T } };
  return [
    frame(ack, 3),
    bridge('agent_started', 5),
    critical('agent_thinking', 9, { reasoning: 'r', step_number: 1 }),
    frame({ type: 'heartbeat', data: { connection_id: 'c' } }, 10),
    bridge('tool_executing', 20),
    bridge('tool_completed', 30),
    critical('agent_completed', 40, { status: 'completed', final_response: {}, result: {} }),
  ];
}

/** One frame, judged by a fresh owner (or the owner given, which keeps what it learned). */
const kindOf = (json: unknown, me: RunIdentity | RunOwnership = ME) =>
  (me instanceof RunOwnership ? me : new RunOwnership(me)).classify(json).kind;

describe('RunOwnership: whose frame is it', () => {
  it('this thread: ours, and a run id on it is learned as this run', () => {
    const owner = new RunOwnership(ME);
    assert.deepEqual(owner.classify({ type: 'agent_thinking', run_id: 'r1', thread_id: T, user_id: T }), {
      kind: 'own',
      labelledByThread: true,
      linked: 'r1',
    });
    assert.deepEqual(owner.runIds, ['r1']);
    assert.equal(kindOf({ type: 'tool_executing', run_id: 'r1', user_id: ME.subject }, owner), 'own');
  });

  it("the acknowledgement (payload.run_id, payload.thread_id) links the server's run id", () => {
    const owner = new RunOwnership(ME);
    const ack = { type: 'agent_started', payload: { run_id: 'run_x_1', agent_name: 'netra-assistant', thread_id: T } };
    assert.equal(owner.classify(ack).kind, 'own');
    assert.deepEqual(owner.runIds, ['run_x_1']);
  });

  it('user_id = this thread id with no thread field: ours, labelled; its run is learned', () => {
    const owner = new RunOwnership(ME);
    const started = owner.classify({ type: 'agent_started', run_id: 'r7', user_id: T });
    assert.deepEqual(started, { kind: 'own', labelledByThread: true, linked: 'r7' });
  });

  it('a run id made from this thread (run_{thread}_{ts}_{hex}) is ours, with or without the thread_ prefix', () => {
    const owner = new RunOwnership({ ...ME, threadId: 'thread_session_969_44184cce' });
    assert.equal(
      owner.classify({ type: 'tool_executing', run_id: 'run_session_969_44184cce_55190_a1b2c3d4' }).kind,
      'own',
    );
  });

  it('a made-up thread is replaced by the first thread_created; a created thread is not', () => {
    const owner = new RunOwnership({ ...ME, threadSource: 'client' });
    const announce = (t: string) => ({ type: 'thread_created', payload: { thread_id: t, timestamp: 1 } });
    assert.deepEqual(owner.classify(announce('thread_session_1_aaaaaaaa')), {
      kind: 'thread_announced',
      thread: 'thread_session_1_aaaaaaaa',
      adopted: true,
    });
    assert.equal(owner.replacementThread, 'thread_session_1_aaaaaaaa');
    assert.equal(kindOf({ type: 'agent_thinking', run_id: 'r', thread_id: 'thread_session_1_aaaaaaaa' }, owner), 'own');
    // A second announcement is another client's run of the same user.
    const second = owner.classify(announce('thread_session_2_bbbbbbbb'));
    assert.deepEqual(second, { kind: 'thread_announced', thread: 'thread_session_2_bbbbbbbb', adopted: false });

    const created = new RunOwnership({ ...ME, threadSource: 'created' });
    assert.equal((created.classify(announce('thread_other')) as { adopted: boolean }).adopted, false);
    assert.equal(kindOf({ type: 'agent_thinking', run_id: 'r', thread_id: 'thread_other' }, created), 'other_run');
  });

  it('a run named by nothing else: the sole run on a quiet socket is ours at its decisive frame; else it waits', () => {
    const lone = new RunOwnership(ME);
    // Its first frames wait: the middle of another client's run looks alike until its agent_completed.
    assert.equal(kindOf({ type: 'agent_started', run_id: 'r9', user_id: ME.subject }, lone), 'unlinked');
    const last = lone.classify({ type: 'agent_completed', run_id: 'r9', user_id: ME.subject });
    assert.deepEqual(last, { kind: 'own', labelledByThread: false, linked: 'r9', sole: true });
    // A second thread-less run is not ours: it waits for a frame that links it.
    assert.equal(kindOf({ type: 'agent_started', run_id: 'r10', user_id: ME.subject }, lone), 'unlinked');

    const busy = new RunOwnership({ ...ME, threadSource: 'created' });
    busy.classify({ type: 'thread_created', payload: { thread_id: 'thread_session_5_cccccccc' } });
    assert.equal(kindOf({ type: 'agent_started', run_id: 'r9', user_id: ME.subject }, busy), 'unlinked');
    const embedded = { type: 'tool_executing', run_id: 'run_session_5_cccccccc_1_d', user_id: ME.subject };
    assert.equal(kindOf(embedded, busy), 'other_run');
  });

  it('frames without ids (heartbeat, pong, binary, non-JSON) are ours', () => {
    for (const f of [{ type: 'heartbeat', data: { connection_id: 'c' } }, { type: 'pong' }, undefined, 'text']) {
      assert.equal(kindOf(f), 'own', JSON.stringify(f));
    }
  });

  it('a cut user_id (8 characters and "...") accuses nobody', () => {
    assert.equal(kindOf({ type: 'connection_established', data: { user_id: 'other-us...' } }), 'own');
    assert.equal(
      kindOf({ type: 'agent_started', thread_id: 'thread_x', data: { user_id: 'other-us...' } }),
      'other_run',
    );
  });

  it('another run of this user, its user_id labelled with its own thread: other_run, never a leak', () => {
    // agent_thinking/agent_completed of another run: user_id = its thread id (agent_websocket_bridge.py:3125).
    assert.equal(
      kindOf({ type: 'agent_thinking', run_id: 'r2', thread_id: 'thread_x', user_id: 'thread_x' }),
      'other_run',
    );
    // The bridge's agent_started of another run: user_id = its thread id, no thread_id, run id built from it.
    const owner = new RunOwnership(ME);
    owner.classify({ type: 'agent_started', payload: { run_id: 'r1', thread_id: T } }); // ours, linked
    const bridge = {
      type: 'agent_started',
      run_id: 'run_session_9_dddddddd_1_e',
      user_id: 'thread_session_9_dddddddd',
    };
    // Its user_id is a thread of this user (`thread_…`, the backend's thread ids): another run, not a user.
    assert.equal(kindOf(bridge, owner), 'other_run');
    // Its tool frames carry the real user (ours) and no thread_id.
    assert.equal(kindOf({ type: 'tool_completed', run_id: 'r2', user_id: ME.subject }, owner), 'unlinked');
    assert.equal(kindOf({ type: 'agent_completed', thread_id: 'thread_x' }), 'other_run');
  });

  it("another user's id on a frame of another run, or of no run: the only leak", () => {
    assert.equal(kindOf({ type: 'tool_executing', run_id: 'r2', user_id: 'google-oauth2|another' }), 'leak');
    assert.equal(kindOf({ type: 'heartbeat', user_id: 'u-another-user' }), 'leak');
    assert.equal(kindOf({ type: 'agent_thinking', run_id: 'r2', thread_id: 'thread_y', user_id: 'u-another' }), 'leak');
  });

  it('another user id on a frame naming this run or thread is ours (a mislabel, not their data)', () => {
    assert.equal(kindOf({ type: 'x', thread_id: T, user_id: 'someone-else' }), 'own');
  });

  it('without the token subject, no user can be called another', () => {
    const anon = new RunOwnership({ threadId: T });
    anon.classify({ type: 'agent_started', payload: { run_id: 'r1', thread_id: T } });
    assert.equal(kindOf({ type: 'agent_started', run_id: 'r2', user_id: 'u2' }, anon), 'unlinked');
    assert.equal(kindOf({ type: 'agent_started', user_id: 'u2' }, { threadId: T }), 'own');
  });
});

describe('RunOwnership: runs of the same user at once (every socket of a user gets every run of it)', () => {
  // Threads as POST /api/threads names them (thread_<n>_<hex8>: threads_route.py:51, unified_id_manager.py:92-103).
  const CREATED = { ...ME, threadId: 'thread_7_aaaaaaaa', threadSource: 'created' as const };
  const OTHER = 'thread_5_222e92cd';

  it("another run's thread as user_id, never seen on this socket (created over REST, never announced): other_run", () => {
    const owner = new RunOwnership(CREATED);
    // The bridge's agent_started of another run: user_id = its thread id, no thread_id, a run id not built from it.
    const bridge = { type: 'agent_started', run_id: 'run_chat_1796549663716_63716_1ff8b0b9', user_id: OTHER };
    assert.equal(kindOf(bridge, owner), 'other_run');
    // …and the run stays another's: its tool frames (the real user, no thread) are not linked later.
    const tool = { type: 'tool_completed', run_id: bridge.run_id, user_id: ME.subject };
    assert.equal(kindOf(tool, owner), 'other_run');
    const completed = { type: 'agent_completed', run_id: bridge.run_id, user_id: ME.subject };
    assert.equal(kindOf(completed, owner), 'other_run');
  });

  it('a full user id that is neither the token user nor a thread label is still a leak', () => {
    const owner = new RunOwnership(CREATED);
    assert.equal(kindOf({ type: 'agent_started', run_id: 'r2', user_id: 'e2e-staging-5b0c9e13' }, owner), 'leak');
    assert.equal(kindOf({ type: 'agent_started', run_id: 'r2', user_id: 'user_thread_5' }, owner), 'leak');
    assert.equal(kindOf({ type: 'agent_started', run_id: 'r2', user_id: 'thread_' }, owner), 'leak');
  });

  it("frames before start_agent are never ours; their runs stay another run's afterwards", () => {
    const owner = new RunOwnership(CREATED);
    const early = owner.classifyBeforeStart({ type: 'tool_completed', run_id: 'run_x', user_id: ME.subject });
    assert.deepEqual(early, { kind: 'before_start', ids: { run: 'run_x', user: ME.subject }, named: true });
    // Even a frame naming this run's thread: another client the backend put in it before this run started.
    const inOurs = owner.classifyBeforeStart({
      type: 'agent_started',
      payload: { run_id: 'run_y', thread_id: CREATED.threadId },
    });
    assert.equal(inOurs.kind, 'before_start');
    assert.equal(kindOf({ type: 'agent_completed', run_id: 'run_x', user_id: ME.subject }, owner), 'other_run');
    assert.equal(kindOf({ type: 'agent_completed', run_id: 'run_y', thread_id: CREATED.threadId }, owner), 'other_run');
    // Ours, after start_agent, is still learned from its acknowledgement.
    const ack = { type: 'agent_started', payload: { run_id: 'run_me', thread_id: CREATED.threadId } };
    assert.deepEqual(owner.classify(ack), { kind: 'own', labelledByThread: false, linked: 'run_me' });
    // Another user's id before start_agent is a leak all the same.
    assert.equal(owner.classifyBeforeStart({ type: 'heartbeat', user_id: 'u-another-user' }).kind, 'leak');
    // A welcome or a heartbeat names nothing.
    const welcome = { type: 'connection_established', data: { user_id: 'e2e-gold...' } };
    assert.deepEqual(owner.classifyBeforeStart(welcome), {
      kind: 'before_start',
      ids: { user: 'e2e-gold...' },
      named: false,
    });
  });

  it('a thread_created before start_agent is never adopted as the replacement of a made-up thread', () => {
    const owner = new RunOwnership(ME); // threadSource client
    owner.classifyBeforeStart({ type: 'thread_created', payload: { thread_id: 'thread_session_1_aaaaaaaa' } });
    const ours = owner.classify({ type: 'thread_created', payload: { thread_id: 'thread_session_2_bbbbbbbb' } });
    assert.deepEqual(ours, { kind: 'thread_announced', thread: 'thread_session_2_bbbbbbbb', adopted: true });
    assert.equal(owner.replacementThread, 'thread_session_2_bbbbbbbb');
  });
});

describe('judgeAgentRun', () => {
  it("passes the real backend's wire and notes the thread-id labelling once", () => {
    const out = judgeAgentRun(realStream(), ME);
    assert.equal(out.status, 'pass');
    assert.equal(out.evidence[0], 'all five events in 40 ms (run run_1)');
    assert.deepEqual(out.evidence.filter((e) => e.includes('labels user_id with the thread id')).length, 1);
    assert.deepEqual(out.missing, []);
  });

  it('exactly the critical-path events missing: AGENT_EVENTS_MISSING with the known signature', () => {
    const stream = realStream().filter((i) => i.kind !== 'frame' || !(i.json as { critical?: boolean }).critical);
    const out = judgeAgentRun(stream, ME);
    assert.equal(out.code, 'AGENT_EVENTS_MISSING');
    assert.deepEqual(out.missing, ['agent_thinking', 'agent_completed']);
    assert.equal(out.evidence[0], 'the capture ended; still missing: agent_thinking, agent_completed');
    assert.ok(out.evidence.some((e) => e.startsWith('known signature critical_events_routed_by_thread_id ')));
  });

  it('other missing events are not the signature', () => {
    const out = judgeAgentRun(realStream().slice(0, 3), ME);
    assert.equal(out.code, 'AGENT_EVENTS_MISSING');
    assert.ok(!out.evidence.some((e) => e.startsWith('known signature')));
  });

  it('a frame of another user and another thread ends the run CROSS_USER_EVENT, naming both', () => {
    const stream = realStream();
    const foreign = { type: 'tool_executing', run_id: 'run_9', thread_id: 'thread_9', user_id: 'u-another' };
    stream.splice(2, 0, frame(foreign));
    const out = judgeAgentRun(stream, ME);
    assert.equal(out.code, 'CROSS_USER_EVENT');
    const line = 'received a tool_executing frame for user "u-another", not this run\'s user';
    assert.equal(out.evidence[0], `${line} (its run "run_9", thread "thread_9")`);
  });

  it('another run of this user is skipped: its events do not count for this run', () => {
    const stream = realStream();
    stream.splice(1, 0, frame({ type: 'agent_completed', run_id: 'run_0', user_id: ME.subject, data: {} }));
    const out = judgeAgentRun(stream, ME);
    assert.equal(out.status, 'pass');
    assert.ok(out.evidence.some((e) => e.startsWith('ignored 1 frame(s) of another run or thread of this user')));
  });

  it('failure frames, order, closes and plain captures without timing', () => {
    const [ack, started, thinking, , exec, done, completed] = realStream();
    const error = frame({ type: 'agent_error', data: { error_message: 'boom' } });
    assert.equal(judgeAgentRun([ack!, error], ME).code, 'AGENT_FAILED');
    const swapped = [ack!, started!, thinking!, done!, exec!, completed!];
    assert.equal(judgeAgentRun(swapped, ME).code, 'AGENT_EVENTS_OUT_OF_ORDER');
    const closed = judgeAgentRun([ack!, { kind: 'closed', code: 1000, reason: 'main cleanup' }], ME);
    assert.equal(closed.code, 'AGENT_RUN_ABORTED');
    assert.match(closed.evidence[0]!, /socket closed 1000 "main cleanup" before agent_completed/);
    const untimed = realStream().map((i) => (i.kind === 'frame' ? { ...i, atMs: undefined } : i));
    assert.equal(judgeAgentRun(untimed, ME).evidence[0], 'all five events (run run_1)');
  });
});

// The one recorded complete staging run (netra-systems/zen README.md L83-125 at HEAD, 2025-10-08), each frame
// rebuilt in its emitter's shape at aebb16f77 (the recording printed summaries, not frames): the client's
// thread cli_thread_f887c58e7759 replaced by thread_session_969_44184cce, four agent_started (ThreadService's
// acknowledgement twice, then the bridge's with user_id = the thread id), one agent_thinking and agent_completed
// from the critical path, no tool events, agent_completed 85 s after the start.
describe('the recorded staging run, and another run of the same user on the same socket', () => {
  const SUBJECT = 'e2e-staging-2d677771';
  const MADE_UP = 'cli_thread_f887c58e7759';
  const THREAD = 'thread_session_969_44184cce';
  const RUN = 'run_session_969_44184cce_55190_a1b2c3d4';
  const recorded = (thread = THREAD, run = RUN, at = 0): JudgeInput[] => {
    const ack = { type: 'agent_started', payload: { run_id: run, agent_name: 'netra-assistant', thread_id: thread } };
    const bridge = (agent: string) => ({ type: 'agent_started', run_id: run, user_id: thread, agent_name: agent });
    const critical = { critical: true, run_id: run, thread_id: thread, user_id: thread };
    return [
      frame({ type: 'thread_created', payload: { thread_id: thread, timestamp: 1759923181.3 } }, at + 6_000),
      frame(ack, at + 7_600),
      frame(ack, at + 9_500),
      frame(bridge('MessageHandler'), at + 11_100),
      frame(bridge('claude_code_optimizer'), at + 19_500),
      frame({ type: 'agent_thinking', reasoning: 'Preparing optimization prompt', ...critical }, at + 28_000),
      frame({ type: 'agent_completed', status: 'completed', result: { status: 'done' }, ...critical }, at + 92_300),
    ];
  };
  const me = { subject: SUBJECT, threadId: MADE_UP, threadSource: 'client' as const };

  it('passes (the agent ran no tool), never CROSS_USER_EVENT; the announced thread and the run id are learned', () => {
    const out = judgeAgentRun(recorded(), me);
    assert.equal(out.status, 'pass', out.evidence.join('\n'));
    assert.deepEqual(out.missing, []);
    assert.equal(
      out.evidence[0],
      `agent_started, agent_thinking, agent_completed in 92300 ms (run ${RUN}); the agent ran no tool`,
    );
    assert.ok(out.evidence.includes(`the backend announced this run's thread: "${THREAD}"`), out.evidence.join('\n'));
    assert.ok(out.evidence.includes('repeated: agent_started ×4'));
  });

  it('a tool that started and never completed is still missing', () => {
    const stream = recorded();
    const tool = { type: 'tool_executing', run_id: RUN, user_id: SUBJECT, tool_name: 't' };
    stream.splice(5, 0, frame(tool, 20_000));
    const out = judgeAgentRun(stream, me);
    assert.equal(out.code, 'AGENT_EVENTS_MISSING');
    assert.deepEqual(out.missing, ['tool_completed']);
  });

  it('another run of this user interleaved (complete): ignored and counted; ours decides', () => {
    const mine = recorded(THREAD, RUN, 100);
    const other = recorded('thread_session_970_55aa66bb', 'run_session_970_55aa66bb_1_ffff0000', 0);
    const stream = [...mine, ...other].sort(
      (a, b) => ((a as { atMs: number }).atMs ?? 0) - ((b as { atMs: number }).atMs ?? 0),
    );
    // Ours was created over REST: the other run's thread_created is not ours even though it came first.
    const out = judgeAgentRun(stream, { subject: SUBJECT, threadId: THREAD, threadSource: 'created' });
    assert.equal(out.status, 'pass');
    assert.equal(out.events?.at(-1)?.atMs, 92_400, "this run's agent_completed decided, not the other's at 92 300");
    assert.ok(out.evidence.some((e) => e.startsWith('ignored 7 frame(s) of another run or thread of this user')));
  });

  it("another run's agent_completed never completes this one (incomplete run of ours: missing, not pass)", () => {
    const other = recorded('thread_session_970_55aa66bb', 'run_session_970_55aa66bb_1_ffff0000');
    const ack = {
      type: 'agent_started',
      payload: { run_id: 'run_mine', agent_name: 'netra-assistant', thread_id: THREAD },
    };
    const out = judgeAgentRun([frame(ack, 1), ...other], {
      subject: SUBJECT,
      threadId: THREAD,
      threadSource: 'created',
    });
    assert.equal(out.code, 'AGENT_EVENTS_MISSING');
    assert.deepEqual(
      out.events?.map((e) => e.type),
      ['agent_started'],
    );
  });

  it('frames of a run that came before the frame linking it to this thread count, in their order', () => {
    const run = 'r-unprefixed';
    const stream = [
      frame({ type: 'agent_started', run_id: run, user_id: SUBJECT }, 1),
      frame({ type: 'tool_executing', run_id: run, user_id: SUBJECT }, 2),
      frame({ type: 'agent_thinking', critical: true, run_id: run, thread_id: THREAD, user_id: THREAD }, 3),
      frame({ type: 'tool_completed', run_id: run, user_id: SUBJECT }, 4),
      frame({ type: 'agent_completed', critical: true, run_id: run, thread_id: THREAD, user_id: THREAD }, 5),
    ];
    const out = judgeAgentRun(stream, { subject: SUBJECT, threadId: THREAD, threadSource: 'created' });
    assert.equal(out.code, 'AGENT_EVENTS_OUT_OF_ORDER', 'tool_executing came before agent_thinking, as it arrived');
    assert.deepEqual(
      out.events?.map((e) => e.atMs),
      [1, 2, 3, 4, 5],
    );
  });

  it("another user's tool frame on the socket is still CROSS_USER_EVENT", () => {
    const stream = recorded();
    stream.splice(3, 0, frame({ type: 'tool_executing', run_id: 'run_z', user_id: 'google-oauth2|1234567890' }));
    assert.equal(judgeAgentRun(stream, me).code, 'CROSS_USER_EVENT');
  });
});

describe('another client in this run’s own thread', () => {
  const SUBJECT = 'e2e-golden-probe';
  const THREAD = 'thread_7_0a1b2c3d';
  const me = { subject: SUBJECT, threadId: THREAD, threadSource: 'created' as const };
  const ack = (run: string, at: number) =>
    frame({ type: 'agent_started', payload: { run_id: run, agent_name: 'netra-assistant', thread_id: THREAD } }, at);
  const critical = (type: string, run: string, at: number) =>
    frame({ type, critical: true, run_id: run, thread_id: THREAD, user_id: THREAD }, at);

  it("the first run id linked to the thread is this run's; the other client's completion does not complete it", () => {
    const other = `run_${THREAD.slice(7)}_2_bbbbbbbb`;
    const mine = `run_${THREAD.slice(7)}_1_aaaaaaaa`;
    const stream = [
      ack(mine, 1),
      // The backend gave the other client this thread (its fallback): it announces it, acknowledges its run.
      frame({ type: 'thread_created', payload: { thread_id: THREAD } }, 2),
      ack(other, 3),
      critical('agent_thinking', other, 4),
      critical('agent_completed', other, 5),
    ];
    const stalled = judgeAgentRun(stream, me);
    assert.equal(stalled.code, 'AGENT_EVENTS_MISSING');
    assert.deepEqual(
      stalled.events?.map((e) => e.type),
      ['agent_started'],
    );
    const done = judgeAgentRun(
      [...stream, critical('agent_thinking', mine, 6), critical('agent_completed', mine, 7)],
      me,
    );
    assert.equal(done.status, 'pass', done.evidence.join('\n'));
  });

  it("another user's tool frame whose run id is built from this thread is still a leak", () => {
    const owner = new RunOwnership(me);
    owner.classify({ type: 'agent_started', payload: { run_id: 'run_7_0a1b2c3d_1_a', thread_id: THREAD } });
    const foreign = { type: 'tool_executing', run_id: 'run_7_0a1b2c3d_1_a_other', user_id: 'other-user-7f3a' };
    assert.equal(owner.classify(foreign).kind, 'leak');
  });
});

describe('judgeAgentRun: runs of the same user at once', () => {
  const CREATED = { ...ME, threadSource: 'created' as const };
  /** Another run's frames as the backend sends them: its ack, the bridge's agent_started labelled with its thread. */
  function otherRun(thread: string, run: string, at: (i: number) => number): JudgeInput[] {
    const critical = (type: string, extra: object) => ({
      critical: true,
      type,
      ...extra,
      run_id: run,
      thread_id: thread,
      user_id: thread,
    });
    return [
      { type: 'agent_started', payload: { run_id: run, agent_name: 'netra-assistant', thread_id: thread } },
      { type: 'agent_started', run_id: run, user_id: thread, data: { status: 'started' } },
      critical('agent_thinking', { reasoning: 'r', step_number: 1 }),
      { type: 'tool_executing', run_id: run, user_id: ME.subject, data: {} },
      { type: 'tool_completed', run_id: run, user_id: ME.subject, data: {} },
      critical('agent_completed', { status: 'completed', result: {} }),
    ].map((json, i) => frame(json, at(i)));
  }

  it("frames of another run before start_agent (negative atMs) are counted, never this run's", () => {
    // The other run's middle and end arrive before ours starts: its tool frames name only the run.
    const before = otherRun('thread_5_222e92cd', 'run_chat_1_2_3', (i) => -50 + i).slice(3);
    const out = judgeAgentRun([...before, ...realStream()], CREATED);
    assert.equal(out.status, 'pass', out.evidence.join(' | '));
    assert.ok(
      out.events!.every((e) => e.atMs >= 0),
      JSON.stringify(out.events),
    );
    assert.equal(out.evidence[0], 'all five events in 40 ms (run run_1)');
    assert.ok(out.evidence.some((e) => e.startsWith('ignored 3 frame(s) of another run or thread of this user')));
  });

  it("another run that began before this socket: its tool frames after start_agent are not taken as this run's", () => {
    // Nothing of it came before start_agent; its run-only tool frames come first, then its agent_completed.
    const theirs = otherRun('thread_5_222e92cd', 'run_chat_1_2_3', (i) => i).slice(3);
    const mine = realStream().map((f) => (f.kind === 'frame' ? { ...f, atMs: (f.atMs ?? 0) + 10 } : f));
    const out = judgeAgentRun([...theirs, ...mine], CREATED);
    assert.equal(out.status, 'pass', out.evidence.join(' | '));
    assert.ok(!out.evidence.some((e) => e.includes('taken as this run')));
  });

  it("interleaved acknowledgements: the other run's ack and events between ours do not count", () => {
    const theirs = otherRun('thread_5_222e92cd', 'thread_8d93b5c9d66acca7_run_1_2', (i) => 2 + i * 10);
    const mine = realStream('run_session_1_2_3_4');
    const merged = [...theirs, ...mine].sort(
      (a, b) => ((a as { atMs: number }).atMs ?? 0) - ((b as { atMs: number }).atMs ?? 0),
    );
    const out = judgeAgentRun(merged, CREATED);
    assert.equal(out.status, 'pass', out.evidence.join(' | '));
    assert.match(out.evidence[0]!, /\(run run_session_1_2_3_4\)$/);
    assert.deepEqual(
      out.events!.map((e) => e.type),
      ['agent_started', 'agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed'],
    );
    assert.ok(out.evidence.some((e) => e.startsWith('ignored 4 frame(s) of another run or thread of this user')));
  });

  it("another run's thread as user_id (never announced here) is counted, not CROSS_USER_EVENT", () => {
    const stray = frame(
      { type: 'agent_started', run_id: 'demo_run_1_2_3', user_id: 'thread_10_ed092e98', data: {} },
      1,
    );
    const out = judgeAgentRun([stray, ...realStream()], CREATED);
    assert.equal(out.status, 'pass', out.evidence.join(' | '));
  });

  it('a plain capture can mark the frames before start_agent (beforeStart) without timing', () => {
    const early: JudgeInput = {
      kind: 'frame',
      json: { type: 'agent_completed', run_id: 'r0', user_id: ME.subject },
      form: 'json',
      beforeStart: true,
    };
    const out = judgeAgentRun([early, ...realStream()], CREATED);
    assert.equal(out.status, 'pass', out.evidence.join(' | '));
    assert.equal(out.events!.filter((e) => e.type === 'agent_completed').length, 1);
  });

  it('a thread-less run alone on a quiet socket is taken at the end of the wait (the routing signature stays)', () => {
    const bridge = (type: string) => frame({ type, run_id: 'run_1', user_id: ME.subject, data: {} }, 5);
    const lone = [bridge('agent_started'), bridge('tool_executing'), bridge('tool_completed')];
    const out = judgeAgentRun(lone, CREATED);
    assert.equal(out.code, 'AGENT_EVENTS_MISSING');
    assert.deepEqual(out.missing, ['agent_thinking', 'agent_completed']);
    assert.ok(out.evidence.some((e) => e.startsWith('known signature critical_events_routed_by_thread_id')));
    // With another run of this user seen before start_agent, the same frames are not taken: nothing of ours came.
    const busy = judgeAgentRun(
      [frame({ type: 'agent_started', run_id: 'run_0', user_id: 'thread_2_bbbbbbbb' }, -5), ...lone],
      CREATED,
    );
    assert.equal(busy.code, 'AGENT_EVENTS_MISSING');
    assert.equal(busy.evidence[1], 'received no agent event');
  });
});
