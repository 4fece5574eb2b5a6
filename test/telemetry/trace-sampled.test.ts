// Cloud Logging turns a line's trace into a link when trace_sampled is true: the flag must say whether the
// run's spans were exported, not only that a trace id exists.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../support/run-cli.ts';

async function traceLines(env: Record<string, string>): Promise<Record<string, unknown>[]> {
  const out = await runCli(['demo', '--log-level', 'info', '--fault', 'rest_403'], { env });
  return out.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => typeof l.trace_id === 'string');
}

describe('logging.googleapis.com/trace_sampled', () => {
  it('is false on every line when no span is exported, though the lines keep their trace ids', async () => {
    const lines = await traceLines({});
    assert.ok(lines.length >= 8, `hop lines and the summary line (got ${lines.length})`);
    for (const line of lines) assert.equal(line['logging.googleapis.com/trace_sampled'], false, JSON.stringify(line));
  });

  it('is true on every line when the spans go to an exporter', async () => {
    const lines = await traceLines({ OTEL_TRACES_EXPORTER: 'console' });
    assert.ok(lines.length >= 8);
    for (const line of lines) assert.equal(line['logging.googleapis.com/trace_sampled'], true, JSON.stringify(line));
  });
});
