// Issue 22 item 3: a person at a terminal gets the table hop by hop and a live wait line in agent.run, with
// no JSON log lines; a pipe (CI, Cloud Run) gets JSON logs on stdout and never the wait line. The terminal is
// a real pseudo-terminal: util-linux `script` runs the CLI with its stdout on one.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { type RunningDouble, startDouble } from '../../src/double/index.ts';
import { BIN, runCli } from '../support/run-cli.ts';
import { probeEnv, testCredentials } from '../support/test-credentials.ts';

const credentials = testCredentials('terminal');
let stalled: RunningDouble;
let healthy: RunningDouble;
before(async () => {
  [stalled, healthy] = await Promise.all([
    startDouble({ fault: 'agent_stall', credentials }),
    startDouble({ fault: 'healthy', credentials }),
  ]);
});
after(async () => {
  await Promise.all([stalled.close(), healthy.close()]);
});

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

interface TtyRun {
  code: number | null;
  /** Everything the terminal showed, \r\n as \n. */
  screen: string;
  /** When each line (by its first words) first appeared, ms after the start. */
  seenAt: (text: string) => number | undefined;
  endedAt: number;
}

/** The CLI with stdout and stderr on a pseudo-terminal. */
function onTerminal(args: string[], env: Record<string, string | undefined>): Promise<TtyRun> {
  const clean: NodeJS.ProcessEnv = { TERM: 'xterm' };
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('PROBE_') && !k.startsWith('OTEL_') && k !== 'NODE_TEST_CONTEXT') clean[k] = v;
  const command = [process.execPath, BIN, ...args].map(quote).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { ...clean, ...env } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = performance.now();
  let raw = '';
  const firstSeen: Array<[number, number]> = [];
  child.stdout.on('data', (c: Buffer) => {
    raw += c.toString();
    firstSeen.push([raw.length, performance.now() - started]);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      const endedAt = performance.now() - started;
      resolve({
        code,
        screen: raw.replaceAll('\r\n', '\n'),
        endedAt,
        seenAt: (text) => {
          const at = raw.indexOf(text);
          return at === -1 ? undefined : firstSeen.find(([len]) => len > at)?.[1];
        },
      });
    }),
  );
}

const STALL = ['run', '--agent-timeout-ms', '3000', '--agent-degraded-ms', '1000', '--timeout-ms', '10000'];

describe('output for a person at a terminal, and for machines', { concurrency: 2 }, () => {
  it('TTY: the table streams, agent.run shows its wait, no JSON log line', async () => {
    const out = await onTerminal(STALL, probeEnv(stalled, credentials));
    assert.equal(out.code, 1, out.screen);
    assert.doesNotMatch(out.screen, /\{"/, 'no JSON log line on the terminal');
    assert.match(out.screen, /^golden-path-probe · golden-path · run /m);
    assert.match(out.screen, /waiting for agent events [12]\/3 s: agent_started/);
    // The rows came as the hops finished: ws.connect's long before the run ended (agent.run waited 3 s).
    const wsAt = out.seenAt('  ws.connect ');
    assert.ok(wsAt !== undefined && out.endedAt - wsAt > 2_000, `ws.connect at ${wsAt} ms, end at ${out.endedAt} ms`);
    // The wait line is erased before the row that replaces it, and the table is shown once.
    assert.match(out.screen, /\r\x1b\[2K {2}agent\.run +fail/);
    assert.equal(out.screen.split('  hop                   status').length - 1, 1);
    assert.match(out.screen, /^FAIL {2}AGENT_EVENTS_MISSING at agent\.run/m);
  });

  it('TTY with --log-format json: JSON logs on stdout as in CI, no live line', async () => {
    const out = await onTerminal([...STALL, '--log-format', 'json'], probeEnv(stalled, credentials));
    assert.match(out.screen, /\{"severity":"INFO"/);
    assert.doesNotMatch(out.screen, /waiting for agent events/);
  });

  it('TTY with --log-level: the log lines go to stderr, the table still streams', async () => {
    const out = await onTerminal(['run', '--log-level', 'info'], probeEnv(healthy, credentials));
    assert.equal(out.code, 0, out.screen);
    assert.match(out.screen, /"hop":"agent\.run"/);
    assert.match(out.screen, /^PASS {2}\(\d+ ms\)$/m);
  });

  it('demo --log-format json: only JSON log lines on stdout; the banner and the summary on stderr', async () => {
    const out = await runCli(['demo', '--log-format', 'json']);
    assert.equal(out.code, 0, out.stderr);
    const lines = out.stdout.split('\n').filter((l) => l !== '');
    assert.ok(lines.length > 0, 'JSON log lines at info by default');
    for (const line of lines) assert.doesNotThrow(() => JSON.parse(line), line);
    assert.match(out.stderr, /^staging double on loopback, fault healthy$/m);
    assert.match(out.stderr, /^PASS {2}\(\d+ ms\)$/m);
  });

  it('not a TTY: JSON logs on stdout, the summary on stderr, never a wait line or an escape', async () => {
    const out = await runCli(STALL, { env: probeEnv(stalled, credentials) });
    assert.equal(out.code, 1);
    assert.match(out.stdout, /^\{"severity":"INFO"/m);
    assert.doesNotMatch(out.stdout + out.stderr, /waiting for agent events|\x1b\[|\r/);
    assert.match(out.stderr, /^ {2}agent\.run +fail/m);
  });
});
