// Issue 14, item 4: the summary's headline line. One user: no "PASS  PASS". Many users: the most frequent
// failure (ties: the verdict whose hop comes first), with the counts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { probe as golden } from '../../probes/golden-path.ts';
import type { VerdictCode } from '../../src/domain/verdict-codes.ts';
import { renderHumanSummary } from '../../src/report/human-summary.ts';
import type { Report } from '../../src/report/types.ts';
import { headlineUser } from '../../src/runner/run-users.ts';
import { sampleReport } from '../telemetry/fixtures/sample-report.ts';

const HOPS = golden.hops;

function userReport(code: VerdictCode | 'PASS', hop: string | null): Report {
  const result = code === 'PASS' ? 'pass' : 'fail';
  const at = hop as Report['failedHop'];
  return sampleReport({ result, failedHop: at, verdict: { code, hop: at, summary: code, evidence: [] } });
}

const headlineOf = (report: Report) => {
  return renderHumanSummary(report)
    .split('\n')
    .find((l) => /^(PASS|FAIL|DEGRADED)\b/.test(l));
};

describe('headline of a many-user run', () => {
  it('is the most frequent failure, not the first user to fail', () => {
    const reports = [
      userReport('BACKEND_AUTH_UNAVAILABLE', 'ws.connect'),
      ...Array.from({ length: 5 }, () => userReport('LOGIN_UNAVAILABLE', 'login')),
      userReport('PASS', null),
      userReport('BACKEND_AUTH_UNAVAILABLE', 'ws.connect'),
    ];
    assert.equal(headlineUser(reports, HOPS), 1);
  });

  it('a tie goes to the verdict whose hop comes first in hop order', () => {
    const late = () => userReport('BACKEND_ERROR', 'chat.messages.list');
    const early = () => userReport('AGENT_FAILED', 'agent.run');
    const reports = [late(), early(), late(), early()];
    assert.equal(headlineUser(reports, HOPS), 1);
  });

  it('with no failure, the first degraded user, else the first', () => {
    assert.equal(headlineUser([userReport('PASS', null), sampleReport()], HOPS), 1);
    assert.equal(headlineUser([userReport('PASS', null), userReport('PASS', null)], HOPS), 0);
  });

  it('the line carries the count and the other verdicts, most frequent first', () => {
    const report: Report = {
      ...userReport('LOGIN_UNAVAILABLE', 'login'),
      users: {
        count: 1000,
        passed: 707,
        degraded: 0,
        failed: 293,
        verdicts: { PASS: 707, BACKEND_AUTH_UNAVAILABLE: 7, LOGIN_UNAVAILABLE: 286 },
        perHop: [],
        shownUser: 12,
      },
    };
    const line = 'FAIL  LOGIN_UNAVAILABLE at login: 286 of 1000 users; also BACKEND_AUTH_UNAVAILABLE ×7  (17420 ms)';
    assert.equal(headlineOf(report), line);
  });
});

describe('headline of one run', () => {
  it('says PASS once, not "PASS  PASS"', () => {
    assert.equal(headlineOf(userReport('PASS', null)), 'PASS  (17420 ms)');
  });

  it('names the code and hop when they say more than the result', () => {
    const failed = userReport('SERVICE_SECRET_MISMATCH', 'service.auth');
    assert.equal(headlineOf(failed), 'FAIL  SERVICE_SECRET_MISMATCH at service.auth  (17420 ms)');
    assert.equal(headlineOf(sampleReport()), 'DEGRADED  LATENCY_DEGRADED at agent.run  (17420 ms)');
  });
});
