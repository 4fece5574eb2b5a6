// golden-probe replay: the probe's own transcripts and plain captured frames, judged offline by the same
// agent.run rules as a live run, with the same verdict lines and exit codes; hostile files exit 2 quietly.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { agentDeadlinesFor } from '../support/fault-rows.ts';
import { runCli } from '../support/run-cli.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'golden-probe-replay-'));
});
after(() => rm(dir, { recursive: true, force: true }));

/** The verdict block of a summary: from the PASS/FAIL/DEGRADED line to the end. */
const verdictLines = (text: string) => text.slice(text.search(/^(PASS|FAIL|DEGRADED) {2}/m)).split('\n');

describe("replay of the probe's own --transcript gives the live run's verdict", { concurrency: 3 }, () => {
  const faults: Array<[string, string, number]> = [
    ['healthy', 'PASS', 0],
    ['nested_events', 'PASS', 0],
    ['thread_user_id', 'PASS', 0],
    ['fallback_envelope', 'PASS', 0],
    ['slow_agent', 'LATENCY_DEGRADED', 0],
    ['agent_stall', 'AGENT_EVENTS_MISSING', 1],
    ['events_dropped_by_routing', 'AGENT_EVENTS_MISSING', 1],
    ['agent_error', 'AGENT_FAILED', 1],
    ['ws_abort', 'AGENT_RUN_ABORTED', 1],
    ['events_out_of_order', 'AGENT_EVENTS_OUT_OF_ORDER', 1],
    ['cross_user_leak', 'CROSS_USER_EVENT', 1],
  ];
  for (const [fault, code, exit] of faults) {
    it(`${fault} → ${code}, exit ${exit}`, async () => {
      const transcript = join(dir, `${fault}.jsonl`);
      // The live run's deadlines, kept far from where the double's agent lands (fault-rows.ts); the replay
      // judges the transcript's times against the same two.
      const deadlines = agentDeadlinesFor({ fault, code });
      const live = await runCli(['demo', '--fault', fault, ...deadlines, '--transcript', transcript]);
      assert.equal(live.report?.verdict.code, code, live.stderr);
      const agentFlags = ['--agent-degraded-ms', '--agent-timeout-ms'].flatMap((f) => [
        f,
        deadlines[deadlines.indexOf(f) + 1]!,
      ]);
      const replayed = await runCli(['replay', transcript, ...agentFlags]);
      assert.equal(replayed.code, exit, replayed.stdout + replayed.stderr);
      assert.equal(replayed.stderr, '');
      const [headline, summary, firstEvidence] = verdictLines(replayed.stdout);
      // The code is on the line when it says more than the result: "PASS  (12 ms)", "FAIL  AGENT_FAILED at …".
      const result = live.report!.result.toUpperCase();
      assert.match(headline!, new RegExp(`^${result} {2}${code === result ? '\\(' : code}`));
      // The same sentence for the person on call, and the same first fact (a deadline says how it ended).
      // (A degraded run's sentence quotes the hop's duration, which a transcript knows only up to agent_completed.)
      // A passing replay says what a capture proves (the agent run), not what the live run's other hops did.
      if (code === 'PASS') assert.match(summary!, /^ {2}The captured agent run delivered its events, in order/);
      else if (code !== 'LATENCY_DEGRADED') assert.equal(summary!.trim(), live.report!.verdict.summary);
      if (code !== 'AGENT_EVENTS_MISSING' && code !== 'PASS' && code !== 'LATENCY_DEGRADED') {
        assert.equal(firstEvidence, `  - ${live.report!.verdict.evidence[0]}`);
      }
    });
  }
});

describe('replay of plain captured frames (devtools, wscat)', { concurrency: 3 }, () => {
  const USER = 'user-7';
  const THREAD = 'thread_abc';
  const bridge = (type: string, user = USER, run = 'run_1') =>
    JSON.stringify({ type, run_id: run, user_id: user, data: { status: type } });
  const critical = (type: string, extra: object = {}) =>
    JSON.stringify({ critical: true, type, ...extra, run_id: 'run_1', thread_id: THREAD, user_id: THREAD });
  const established = JSON.stringify({ type: 'connection_established', data: { user_id: 'user-7...' } });
  const start = JSON.stringify({ type: 'start_agent', payload: { user_request: 'x', thread_id: THREAD } });
  const wire = [
    bridge('agent_started'),
    critical('agent_thinking', { reasoning: 'r' }),
    JSON.stringify({ type: 'heartbeat', data: { connection_id: 'main_1' } }),
    bridge('tool_executing'),
    bridge('tool_completed'),
    critical('agent_completed', { status: 'completed', final_response: {}, result: {} }),
  ];

  async function replay(name: string, lines: string[], args: string[] = []) {
    const file = join(dir, name);
    await writeFile(file, `${lines.join('\n')}\n`);
    return runCli(['replay', file, ...args]);
  }

  it("wscat's < and > with start_agent: the thread comes from the sent frame; the real wire passes", async () => {
    const lines = [`< ${established}`, `> ${start}`, ...wire.map((l) => `< ${l}`)];
    const out = await replay('wscat.txt', lines, ['--user', USER]);
    assert.equal(out.code, 0, out.stdout + out.stderr);
    assert.match(out.stdout, /plain captured frames · 8 frames/);
    // The thread is the one start_agent named (payload.thread_id), not guessed from the first frame naming one.
    assert.doesNotMatch(out.stdout, /thread taken from the first frame/);
    // The frame before start_agent is ws.connect's, judged by its rules.
    assert.match(out.stdout, /ws\.connect +pass .*connection_established for user "user-7\.\.\."/);
    assert.match(out.stdout, /agent events \(no timing in the capture\):/);
    assert.match(out.stdout, /✓ agent_thinking +×1/);
    assert.match(out.stdout, /- the backend labels user_id with the thread id \(2 frames of this run\)/);
    // No timing in a plain capture: no "0 ms" anywhere, in the table or the headline.
    assert.match(out.stdout, /^PASS {2}\(no timing in the capture\)$/m);
    assert.match(out.stdout, /^ {2}agent\.run +pass +— +all five events/m);
    assert.doesNotMatch(out.stdout, /\b0 ms\b/);
    assert.doesNotMatch(out.stdout, /A real user|chat messages|WebSocket, run/);
  });

  it('a plain capture that just ends is told so, not "in time"', async () => {
    const out = await replay('ended.txt', wire.slice(0, 3), ['--user', USER, '--thread', THREAD]);
    assert.equal(out.code, 1);
    assert.match(out.stdout, /The capture ends before the agent run delivered agent_completed:/);
    assert.doesNotMatch(out.stdout, /in time/);
  });

  it('devtools lines with --thread and --user pass; without --thread the first named thread is taken', async () => {
    const given = await replay('devtools.txt', [established, ...wire], ['--thread', THREAD, '--user', USER]);
    assert.equal(given.code, 0, given.stdout);
    const guessed = await replay('devtools2.txt', [established, ...wire]);
    assert.equal(guessed.code, 0, guessed.stdout);
    assert.match(guessed.stdout, /note: thread taken from the first frame that names one/);
    assert.match(guessed.stdout, /note: no --user/);
  });

  it('exactly the critical-path events missing: the known signature, exit 1', async () => {
    const bridgeOnly = wire.filter((l) => !l.includes('"critical"'));
    const out = await replay('dropped.txt', bridgeOnly, ['--user', USER, '--thread', THREAD]);
    assert.equal(out.code, 1);
    assert.match(out.stdout, /^FAIL {2}AGENT_EVENTS_MISSING at agent\.run/m);
    assert.match(out.stdout, /emit_agent_event → emit_critical_event/);
    assert.match(out.stdout, /- the capture ended; still missing: agent_thinking, agent_completed/);
  });

  it('each failing verdict from plain frames', async () => {
    const cases: Array<[string, string[], string]> = [
      ['failed', [wire[0]!, JSON.stringify({ type: 'agent_error', run_id: 'run_1', data: {} })], 'AGENT_FAILED'],
      ['order', [wire[0]!, wire[1]!, wire[4]!, wire[3]!, wire[5]!], 'AGENT_EVENTS_OUT_OF_ORDER'],
      ['missing', wire.slice(0, 3), 'AGENT_EVENTS_MISSING'],
      ['leak', [wire[0]!, bridge('tool_executing', 'user-8', 'run_8'), ...wire.slice(1)], 'CROSS_USER_EVENT'],
    ];
    for (const [name, lines, code] of cases) {
      const out = await replay(`${name}.txt`, lines, ['--user', USER, '--thread', THREAD]);
      assert.equal(out.code, 1, `${name}: ${out.stdout}`);
      assert.match(out.stdout, new RegExp(`^FAIL {2}${code} at agent\\.run`, 'm'), name);
    }
  });

  it('without --user, another run is ignored and noted: no user can be called another', async () => {
    const leak = [wire[0]!, bridge('tool_executing', 'user-8', 'run_8'), ...wire.slice(1)];
    const unsure = await replay('leak-anon.txt', leak, ['--thread', THREAD]);
    assert.equal(unsure.code, 0, unsure.stdout);
    assert.match(unsure.stdout, /ignored 1 frame\(s\) of another run or thread/);
  });
});

describe('replay refuses hostile input: exit 2, the line named, nothing of it shown', { concurrency: 3 }, () => {
  const CANARY = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.c2VjcmV0LXNpZ25hdHVyZS1jYW5hcnk';

  async function refused(name: string, content: string | Buffer, problem: RegExp) {
    const file = join(dir, name);
    await writeFile(file, content);
    const out = await runCli(['replay', file], { timeoutMs: 30_000 });
    assert.equal(out.code, 2, `${name}: ${out.stdout}${out.stderr}`);
    assert.equal(out.stdout, '');
    assert.match(out.stderr, problem);
    assert.ok(!out.stderr.includes(CANARY) && !out.stderr.includes('c2VjcmV0'), 'no part of the input is shown');
    assert.ok(out.stderr.split('\n').length < 8, 'a few lines, not a dump');
  }

  it('not JSON', () =>
    refused('text.txt', `{"type":"heartbeat"}\nBearer ${CANARY} is not a frame\n`, /line 2 is not JSON/));
  it('a 10 MB line', () => {
    const line = `{"type":"agent_started","x":"${CANARY}${'a'.repeat(10 * 1024 * 1024)}"}\n`;
    return refused('long.txt', line, /line 1 is longer than 4 MiB/);
  });
  it('binary with NUL bytes', () =>
    refused('bin.dat', Buffer.concat([Buffer.from(CANARY), Buffer.from([0, 1, 2, 255, 0])]), /NUL byte.*binary input/));
  it('bytes that are not UTF-8', () => {
    const bytes = Buffer.concat([Buffer.from(`{"t":"${CANARY}`), Buffer.from([0xff, 0xfe, 0x22, 0x7d])]);
    return refused('latin.txt', bytes, /line 1 is not UTF-8/);
  });
  it('an empty file, a missing one and a directory', async () => {
    await refused('empty.txt', '\n\n', /is empty/);
    const missing = await runCli(['replay', join(dir, 'nope.jsonl')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /does not exist/);
    const directory = await runCli(['replay', dir]);
    assert.equal(directory.code, 2);
    assert.match(directory.stderr, /is a directory/);
  });
  it('a transcript line that is not an entry', () =>
    refused(
      'bad.jsonl',
      `{"schema":"golden-path-probe/transcript@1","thread":"t"}\n{"dir":"sideways","frame":"${CANARY}"}\n`,
      /line 2 is not a transcript entry/,
    ));
  it('no file, or two', async () => {
    const none = await runCli(['replay']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /give exactly one capture file/);
  });

  it('a valid capture quoting a token: the verdict is given, the token is not printed', async () => {
    const file = join(dir, 'quoting.txt');
    const error = { type: 'error_message', error_code: 'AUTH_FAILED', error_message: `bad token ${CANARY}` };
    await writeFile(file, `${JSON.stringify({ type: 'agent_started', run_id: 'r' })}\n${JSON.stringify(error)}\n`);
    const out = await runCli(['replay', file]);
    assert.equal(out.code, 1);
    assert.match(out.stdout, /^FAIL {2}AGENT_FAILED/m);
    assert.ok(!out.stdout.includes(CANARY) && !out.stdout.includes('c2VjcmV0'), 'the token is taken out');
    assert.match(out.stdout, /\[REDACTED\]/);
  });
});

describe('--transcript writes JSONL that replay reads back; the HTML report has the table', () => {
  it('healthy demo: header, frames both ways, the table under agent.run', async () => {
    const transcript = join(dir, 'out.jsonl');
    const html = join(dir, 'out.html');
    const out = await runCli(['demo', '--transcript', transcript, '--html', html]);
    assert.equal(out.code, 0, out.stderr);
    const text = await readFile(transcript, 'utf8');
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines[0]!.schema, 'golden-path-probe/transcript@1');
    assert.equal(lines[0]!.thread, out.report!.transcript!.thread);
    assert.deepEqual(lines.slice(1), out.report!.transcript!.frames);
    const dirs = lines.slice(1).map((l) => l.dir);
    assert.deepEqual([dirs[0], dirs[1]], ['received', 'sent']);
    const readAs = lines.slice(1, 4).map((l) => l.readAs);
    assert.deepEqual(readAs, ['connection_established', 'start_agent', 'agent_started']);
    const page = await readFile(html, 'utf8');
    assert.ok(page.indexOf('id="waterfall"') < page.indexOf('<table id="transcript">'));
    assert.equal(page.match(/<tr data-dir=/g)?.length, lines.length - 1);
  });
});
