import { type FlagSpec, parsePositiveInt, showValue } from '../config/flag-values.ts';
import { withoutJwts } from '../net/jwt-shape.ts';
import { CaptureError } from '../replay/read-lines.ts';
import { replayCapture } from '../replay/replay.ts';
import { renderRunBody } from '../report/human-summary.ts';
import { reportPathProblem } from '../report/report-path.ts';
import { writeReportFile } from '../report/write-report-file.ts';
import { help } from './cli-support.ts';
import { EXIT, UsageError } from './exit-codes.ts';
import { renderFlags } from './help.ts';
import { parseArgs } from './parse-args.ts';
import type { ProcessLifecycle } from './process-lifecycle.ts';

const REPLAY_FLAGS: readonly FlagSpec[] = [
  {
    name: 'user',
    kind: 'string',
    valueName: 'ID',
    description: "whose frames they should be: the token's sub",
    defaultText: "the transcript's header",
  },
  {
    name: 'thread',
    kind: 'string',
    valueName: 'ID',
    description: 'the thread start_agent (or user_message) named',
    defaultText: "the header, or the capture's start_agent",
  },
  {
    name: 'agent-timeout-ms',
    kind: 'int',
    valueName: 'MS',
    defaultText: '150000 (as run)',
    description: 'frames later than this after start_agent come too late',
  },
  {
    name: 'agent-degraded-ms',
    kind: 'int',
    valueName: 'MS',
    defaultText: '100000 (as run)',
    description: 'an agent run slower than this is degraded',
  },
  {
    name: 'json',
    kind: 'string',
    valueName: 'PATH',
    description: 'write the report (golden-path-probe/report@1, as run --json) to PATH; "-" prints it instead',
  },
  { name: 'fail-on-degraded', kind: 'bool', description: 'exit 1 when the result is degraded' },
  { name: 'help', kind: 'bool', description: 'show this help' },
];

const USAGE = `golden-probe replay FILE [flags]

Judges a captured WebSocket conversation offline with the ws.connect and agent.run rules of \`run\`, and
prints the same verdict lines and exit code. FILE is the probe's own --transcript JSONL, or plain captured
frames: one JSON frame per line, as copied from a browser's devtools or wscat (its "< " and "> " marks are
understood). The run starts at the sent start_agent (or user_message); the frames before it are ws.connect's.

`;

/** `golden-probe replay FILE`: the agent.run verdict for a transcript or a capture from real staging. */
export async function replayCommand(_life: ProcessLifecycle, argv: readonly string[]): Promise<number> {
  const { values, positionals, problems } = parseArgs(argv, REPLAY_FLAGS);
  if (values.get('help')) return help(`${USAGE}${renderFlags(REPLAY_FLAGS)}\n`);
  if (positionals.length !== 1) problems.push(`FILE: give exactly one capture file (got ${positionals.length})`);
  const ms = (name: string, fallback: number) => {
    const raw = values.get(name);
    return typeof raw === 'string' ? parsePositiveInt(raw, `--${name}`, problems) : fallback;
  };
  const agentTimeoutMs = ms('agent-timeout-ms', 150_000);
  const agentDegradedMs = ms('agent-degraded-ms', 100_000);
  const jsonPath = values.get('json');
  if (typeof jsonPath === 'string' && jsonPath !== '-') {
    // Checked before reading the capture, as run checks before it runs: a verdict is never lost to a bad path.
    const problem = reportPathProblem(jsonPath, showValue);
    if (problem) {
      const why =
        problem.kind === 'directory' ? 'is a directory; give a file path' : `cannot be written: ${problem.why}`;
      problems.push(`--json: ${showValue(jsonPath)} ${why}`);
    }
  }
  if (problems.length > 0 || agentTimeoutMs === undefined || agentDegradedMs === undefined) {
    throw new UsageError(problems);
  }
  const path = positionals[0]!;
  const user = values.get('user');
  const thread = values.get('thread');

  let replayed: Awaited<ReturnType<typeof replayCapture>>;
  try {
    replayed = await replayCapture({
      path,
      user: typeof user === 'string' ? user : undefined,
      thread: typeof thread === 'string' ? thread : undefined,
      agentTimeoutMs,
      agentDegradedMs,
    });
  } catch (err) {
    if (err instanceof CaptureError) throw new UsageError([`FILE ${showValue(path)} ${err.message}`]);
    throw err;
  }
  const { header, report, notes, frames, timed } = replayed;
  const run = header.runId ?? 'unknown';
  const form = header.form === 'transcript' ? `the probe's transcript of run ${run}` : 'plain captured frames';
  const lines = [
    `golden-path-probe · replay ${showValue(path)} · ${form} · ${frames} frames`,
    ...notes.map((n) => `note: ${n}`),
  ];
  // The capture may hold tokens the probe never knew: anything JWT-shaped is taken out of what is printed.
  // A passing verdict lists no evidence; a replay shows the hop's, which is what was checked.
  const evidence =
    report.result === 'fail'
      ? []
      : (report.hops.find((h) => h.name === 'agent.run')?.evidence ?? []).map((e) => `  - ${e}\n`);
  const body = renderRunBody(report, { untimed: !timed });
  // The JSON carries the same scrubbing as the summary: a JWT-shaped string a frame quoted is not written out.
  const json = typeof jsonPath === 'string' ? withoutJwts(`${JSON.stringify(report, null, 2)}\n`) : undefined;
  if (json !== undefined && jsonPath !== '-') await writeReportFile(jsonPath as string, json);
  if (jsonPath === '-') process.stdout.write(json ?? '');
  else process.stdout.write(withoutJwts(`${lines.join('\n')}\n${body}${evidence.join('')}`));
  const failed = report.result === 'fail' || (report.result === 'degraded' && values.get('fail-on-degraded') === true);
  return failed ? EXIT.failed : EXIT.ok;
}
