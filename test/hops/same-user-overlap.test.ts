// One probe user's runs at once against one double (healthy): the deployed probe runs every minute with runs of up
// to 180 s, so runs of the SAME user overlap by design, and the backend sends every run of a user to every socket
// of that user (docs/agent-events.md, "Whose frame it is"; netra-protocol.md §4a). Each run must pass on its own
// thread and its own run id, counting the others' frames, never borrowing them and never calling them another
// user's. In this process (the real run function, runProbe), a few rounds of several runs started together.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningDouble, startDouble } from '../../src/double/index.ts';
import type { Report } from '../../src/report/types.ts';
import { runProbe } from '../../src/runner/run-probe.ts';
import { type ProbeSetup, probeSetup } from '../soak/support.ts';
import { testCredentials } from '../support/test-credentials.ts';

const RUNS = Number(process.env.OVERLAP_RUNS ?? 6);
const ROUNDS = Number(process.env.OVERLAP_ROUNDS ?? 4);

function agentHop(report: Report) {
  return report.hops.find((h) => h.name === 'agent.run');
}

/** The run id this run's agent.run evidence names: "… (run <id>)". */
function runIdOf(report: Report): string | undefined {
  for (const line of agentHop(report)?.evidence ?? []) {
    const m = / \(run ([^)]+)\)/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

describe(`one user's runs at once on one double: ${RUNS} runs × ${ROUNDS} rounds`, () => {
  const credentials = testCredentials('same-user-overlap');
  let double: RunningDouble;
  let setup: ProbeSetup;
  const rounds: Report[][] = [];
  before(async () => {
    double = await startDouble({ fault: 'healthy', credentials });
    setup = await probeSetup(double, credentials);
    for (let round = 0; round < ROUNDS; round++) {
      // Started a few ms apart, as the cron and a smoke check would be: every start_agent lands while others run.
      const runs = Array.from({ length: RUNS }, async (_, i) => {
        await new Promise((r) => setTimeout(r, i * 7));
        return runProbe({ ...setup });
      });
      rounds.push(await Promise.all(runs));
    }
  });
  after(() => double?.close());

  it('every run passes', () => {
    const failures = rounds
      .flat()
      .filter((r) => r.verdict.code !== 'PASS')
      .map((r) => `${r.verdict.code}: ${r.verdict.evidence.join(' | ')}`);
    assert.deepEqual(failures, []);
  });

  it('each run has its own thread and its own run id', () => {
    for (const reports of rounds) {
      const threads = reports.map((r) => r.transcript?.thread);
      const runIds = reports.map(runIdOf);
      assert.ok(
        threads.every((t) => t),
        'every run names its thread',
      );
      assert.ok(
        runIds.every((r) => r),
        `every run names its run id: ${JSON.stringify(runIds)}`,
      );
      assert.equal(new Set(threads).size, RUNS, `threads: ${JSON.stringify(threads)}`);
      assert.equal(new Set(runIds).size, RUNS, `run ids: ${JSON.stringify(runIds)}`);
    }
  });

  it("no agent event before this run's start_agent; the others' frames are counted, not borrowed", () => {
    let counted = 0;
    for (const report of rounds.flat()) {
      const hop = agentHop(report)!;
      for (const e of hop.events ?? []) assert.ok(e.atMs >= 0, `${e.type} at ${e.atMs} ms`);
      const started = (hop.events ?? []).filter((e) => e.type === 'agent_completed');
      assert.equal(started.length, 1, `one agent_completed of its own: ${JSON.stringify(hop.events)}`);
      if (
        (hop.evidence ?? []).some((l) => l.startsWith('ignored ') && l.includes('another run or thread of this user'))
      )
        counted++;
    }
    assert.ok(counted > 0, 'runs overlapped: some run counted the frames of another');
  });
});
