// The conformance corpus: frames the real backend sent on staging (netra-systems/zen recordings, see
// corpus.json for each frame's source line), replayed through the real `golden-probe replay` CLI. The verdict
// each must give is the one the recording implies; above all, no real single-user sequence is a leak.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../support/run-cli.ts';

interface CorpusFixture {
  id: string;
  file: string;
  singleUser: boolean;
  connectTime: boolean;
  /** completedAtMs: when this run's own agent_completed came (ms after the request), so none is borrowed. */
  expected: { code: string | string[]; hop: string | null; completedAtMs?: number };
  why: string;
}

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const corpus = JSON.parse(readFileSync(here('corpus.json'), 'utf8')) as { fixtures: CorpusFixture[] };

/** No flags: the run's own defaults judge the recording (a real agent takes 85 s; the defaults must allow it). */
async function replayed(fixture: CorpusFixture) {
  const out = await runCli(['replay', here(fixture.file)]);
  assert.equal(out.stderr, '', `${fixture.id}: ${out.stderr}`);
  assert.ok(out.report, `${fixture.id}: replay --json wrote no report (exit ${out.code})\n${out.stdout}`);
  return { ...out, report: out.report };
}

describe('conformance corpus: each recording replays to the verdict it implies', { concurrency: 2 }, () => {
  for (const fixture of corpus.fixtures) {
    const codes = [fixture.expected.code].flat();
    it(`${fixture.id} → ${codes.join(' or ')}${fixture.expected.hop ? ` at ${fixture.expected.hop}` : ''}`, async () => {
      const { report, code, stdout } = await replayed(fixture);
      const { verdict } = report;
      const said = `${verdict.code} at ${verdict.hop ?? '-'}: ${verdict.summary}\n${verdict.evidence.join('\n')}`;
      if (fixture.singleUser) {
        assert.notEqual(verdict.code, 'CROSS_USER_EVENT', `${fixture.id} is one user's frames; replay said ${said}`);
      }
      assert.ok(codes.includes(verdict.code), `${fixture.id}: expected ${codes.join(' or ')}, replay said ${said}`);
      assert.equal(verdict.hop, fixture.expected.hop, `${fixture.id}: ${said}`);
      assert.equal(code, report.result === 'fail' ? 1 : 0, stdout);
      if (fixture.expected.completedAtMs !== undefined) {
        const agent = report.hops.find((h) => h.name === 'agent.run');
        const completed = agent?.events?.filter((e) => e.type === 'agent_completed').map((e) => e.atMs);
        assert.deepEqual(completed, [fixture.expected.completedAtMs], `${fixture.id}: another run's completion taken`);
      }
    });
  }
});

describe('the corpus manifest', () => {
  it('names every fixture once, with a source on every frame line, and other-user fixtures that must be leaks', () => {
    const files = corpus.fixtures.map((f) => f.file);
    assert.equal(new Set(files).size, files.length);
    for (const fixture of corpus.fixtures) {
      const lines = readFileSync(here(fixture.file), 'utf8').trim().split('\n');
      for (const [i, line] of lines.slice(1).entries()) {
        const entry = JSON.parse(line) as { source?: unknown };
        assert.equal(typeof entry.source, 'string', `${fixture.file}:${i + 2} has no source`);
      }
      assert.ok(fixture.why.length > 0, `${fixture.id} says why its verdict is right`);
    }
    const leaks = corpus.fixtures.filter((f) => !f.singleUser);
    assert.ok(leaks.length > 0, 'at least one fixture has another user on the socket');
    for (const leak of leaks) assert.equal(leak.expected.code, 'CROSS_USER_EVENT', leak.id);
  });

  it('holds no JWT-shaped string and no e-mail address', () => {
    for (const fixture of corpus.fixtures) {
      const text = readFileSync(here(fixture.file), 'utf8');
      assert.doesNotMatch(text, /eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/, fixture.file);
      assert.doesNotMatch(text, /[\w.+-]+@[\w-]+\.[\w.]+/, fixture.file);
    }
  });
});
