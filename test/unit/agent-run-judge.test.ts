// The agent.run rules without a socket: who a frame belongs to, and what a stream of frames adds up to.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type JudgeInput, judgeAgentRun } from '../../src/agent/agent-run-judge.ts';
import { ownerOf } from '../../src/agent/frame-owner.ts';

const ME = { subject: 'e2e-golden-probe', threadId: 'thread_probe_0123456789abcdef' };
const T = ME.threadId;

const frame = (json: unknown, atMs?: number): JudgeInput => ({ kind: 'frame', json, form: 'json', atMs });

/** The real backend's wire: the bridge's dicts with the user's id, the critical path flat with the thread id. */
function realStream(run = 'run_1'): JudgeInput[] {
  const bridge = (type: string, at: number) =>
    frame({ type, run_id: run, user_id: ME.subject, data: { status: type } }, at);
  const critical = (type: string, at: number, extra: object) =>
    frame({ timestamp: 'x', critical: true, type, ...extra, run_id: run, thread_id: T, user_id: T }, at);
  return [
    bridge('agent_started', 5),
    critical('agent_thinking', 9, { reasoning: 'r', step_number: 1 }),
    frame({ type: 'heartbeat', data: { connection_id: 'c' } }, 10),
    bridge('tool_executing', 20),
    bridge('tool_completed', 30),
    critical('agent_completed', 40, { status: 'completed', final_response: {}, result: {} }),
  ];
}

describe('ownerOf: whose frame is it', () => {
  it('this thread or this run: ours, whatever user_id says', () => {
    const labelled = { kind: 'own', labelledByThread: true };
    const plain = { kind: 'own', labelledByThread: false };
    assert.deepEqual(ownerOf({ type: 'agent_thinking', thread_id: T, user_id: T }, ME), labelled);
    assert.deepEqual(ownerOf({ type: 'x', thread_id: T, user_id: 'someone-else' }, ME), plain);
    const run = { ...ME, runId: 'r1' };
    assert.deepEqual(ownerOf({ type: 'x', run_id: 'r1', user_id: 'someone-else' }, run), plain);
    assert.equal(ownerOf({ type: 'x', run_id: 'r1', thread_id: 'thread_x', user_id: 'u2' }, run).kind, 'own');
  });

  it('user_id = this thread id with no run or thread field: ours, labelled', () => {
    assert.deepEqual(ownerOf({ type: 'agent_started', user_id: T }, ME), { kind: 'own', labelledByThread: true });
  });

  it('no run id yet: a frame with a run id and this user is ours (the run is learnt from it)', () => {
    assert.equal(ownerOf({ type: 'agent_started', run_id: 'r9', user_id: ME.subject }, ME).kind, 'own');
  });

  it('no run id yet: another user on a frame naming no thread of ours is a leak', () => {
    assert.equal(ownerOf({ type: 'agent_started', run_id: 'r9', user_id: 'other-user' }, ME).kind, 'leak');
  });

  it('frames without ids (heartbeat, pong, binary, non-JSON) are ours', () => {
    for (const f of [{ type: 'heartbeat', data: { connection_id: 'c' } }, { type: 'pong' }, undefined, 'text']) {
      assert.equal(ownerOf(f, ME).kind, 'own', JSON.stringify(f));
    }
  });

  it("connection_established's cut user_id: this user's prefix is ours; another prefix alone accuses nobody", () => {
    assert.equal(ownerOf({ type: 'connection_established', data: { user_id: 'e2e-gold...' } }, ME).kind, 'own');
    assert.equal(ownerOf({ type: 'connection_established', data: { user_id: 'thread_p...' } }, ME).kind, 'own');
    assert.equal(ownerOf({ type: 'connection_established', data: { user_id: 'other-us...' } }, ME).kind, 'own');
    // …but with another thread it is enough.
    const elsewhere = { type: 'agent_started', thread_id: 'thread_x', data: { user_id: 'other-us...' } };
    assert.equal(ownerOf(elsewhere, ME).kind, 'leak');
  });

  it('another user and another run or thread: a leak', () => {
    assert.equal(ownerOf({ type: 'agent_thinking', thread_id: 'thread_x', user_id: 'thread_x' }, ME).kind, 'leak');
    assert.equal(ownerOf({ type: 'heartbeat', run_id: 'r2', user_id: 'u2' }, { ...ME, runId: 'r1' }).kind, 'leak');
  });

  it('another run of this same user: not counted, not a leak', () => {
    const sameUser = { type: 'agent_started', run_id: 'r2', user_id: ME.subject };
    assert.equal(ownerOf(sameUser, { ...ME, runId: 'r1' }).kind, 'other_run');
    assert.equal(ownerOf({ type: 'agent_started', thread_id: 'thread_x' }, ME).kind, 'other_run');
  });

  it('without the token subject, no user can be called another: other runs are ignored', () => {
    const anon = { threadId: T, runId: 'r1' };
    assert.equal(ownerOf({ type: 'agent_started', run_id: 'r2', user_id: 'u2' }, anon).kind, 'other_run');
    assert.equal(ownerOf({ type: 'agent_started', user_id: 'u2' }, anon).kind, 'own');
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
    const foreign = { type: 'agent_thinking', run_id: 'run_9', thread_id: 'thread_9', user_id: 'thread_9' };
    stream.splice(2, 0, frame(foreign));
    const out = judgeAgentRun(stream, ME);
    assert.equal(out.code, 'CROSS_USER_EVENT');
    const line = 'received a agent_thinking frame for user "thread_9", not this run\'s user';
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
    const [started, thinking, , exec, done, completed] = realStream();
    const error = frame({ type: 'agent_error', data: { error_message: 'boom' } });
    assert.equal(judgeAgentRun([started!, error], ME).code, 'AGENT_FAILED');
    assert.equal(judgeAgentRun([started!, thinking!, done!, exec!, completed!], ME).code, 'AGENT_EVENTS_OUT_OF_ORDER');
    const closed = judgeAgentRun([started!, { kind: 'closed', code: 1000, reason: 'main cleanup' }], ME);
    assert.equal(closed.code, 'AGENT_RUN_ABORTED');
    assert.match(closed.evidence[0]!, /socket closed 1000 "main cleanup" before agent_completed/);
    const untimed = realStream().map((i) => (i.kind === 'frame' ? { ...i, atMs: undefined } : i));
    assert.equal(judgeAgentRun(untimed, ME).evidence[0], 'all five events (run run_1)');
  });
});
