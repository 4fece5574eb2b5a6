// Hop agent.run (docs/hops.md): every double fault whose verdict points at it, through the real CLI, and the
// real backend's labelling and routing. The judge's own rules: test/unit/agent-run-judge.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { faultRowsAt, HEALTHY_AGENT, itGivesItsVerdict, STALLED_AGENT } from '../support/fault-rows.ts';
import { runCli } from '../support/run-cli.ts';

describe("hop agent.run: the double's faults through the CLI", { concurrency: 3 }, () => {
  for (const row of faultRowsAt('agent.run')) itGivesItsVerdict(row);
});

describe("the real backend's labelling and routing, through the CLI", { concurrency: 2 }, () => {
  it('default frames: user_id = the thread id is noted once, never a leak', async () => {
    const out = await runCli(['demo', ...HEALTHY_AGENT]);
    const agent = out.report?.hops.find((h) => h.name === 'agent.run');
    assert.equal(out.report?.verdict.code, 'PASS', out.stderr);
    const notes = (agent?.evidence ?? []).filter((e) => e.includes('labels user_id with the thread id'));
    assert.equal(notes.length, 1);
  });

  it('events_dropped_by_routing: the verdict names the known signature and where to look', async () => {
    const out = await runCli(['demo', '--fault', 'events_dropped_by_routing', ...STALLED_AGENT]);
    const { verdict } = out.report!;
    const agent = out.report!.hops.find((h) => h.name === 'agent.run');
    assert.deepEqual(agent?.missing, ['agent_thinking', 'agent_completed']);
    assert.match(verdict.summary, /emit_agent_event → emit_critical_event/);
    assert.match(verdict.summary, /thread id/);
    assert.ok(verdict.evidence.some((e) => e.startsWith('known signature critical_events_routed_by_thread_id')));
    assert.match(out.stdout, /emit_critical_event/);
  });

  it('agent_stall is not mistaken for the signature: the generic sentence', async () => {
    const out = await runCli(['demo', '--fault', 'agent_stall', ...STALLED_AGENT]);
    assert.equal(out.report!.verdict.code, 'AGENT_EVENTS_MISSING');
    assert.doesNotMatch(out.report!.verdict.summary, /emit_critical_event/);
    assert.ok(!out.report!.verdict.evidence.some((e) => e.startsWith('known signature')));
  });
});
