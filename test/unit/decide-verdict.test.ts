import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HopReport } from '../../src/report/types.ts';
import { decideVerdict, refineWithTriage } from '../../src/triage/decide-verdict.ts';
import type { TriageFindings } from '../../src/triage/triage.ts';

const valid = { status: 200, valid: true, error: null, message: null };
const invalid = (error: string) => ({ status: 200, valid: false, error, message: null });
const triage = (o: Partial<TriageFindings> = {}): TriageFindings => ({
  plain: undefined,
  withService: undefined,
  evidence: [],
  ...o,
});

describe('refineWithTriage', () => {
  it('keeps the symptom when triage could not reach the auth service', () => {
    assert.equal(refineWithTriage('WS_AUTH_FAILED', triage()), 'WS_AUTH_FAILED');
    assert.equal(refineWithTriage('REST_REJECTED', triage()), 'REST_REJECTED');
  });
  it('blames the backend when the auth service accepts the token (and the service credentials)', () => {
    assert.equal(refineWithTriage('WS_AUTH_FAILED', triage({ plain: valid })), 'BACKEND_REJECTS_VALID_TOKEN');
    assert.equal(
      refineWithTriage('REST_REJECTED', triage({ plain: valid, withService: valid })),
      'BACKEND_REJECTS_VALID_TOKEN',
    );
  });
  it('names the service credential problem that triage proves', () => {
    assert.equal(
      refineWithTriage('WS_AUTH_FAILED', triage({ plain: valid, withService: invalid('invalid_service_secret') })),
      'SERVICE_SECRET_MISMATCH',
    );
    assert.equal(
      refineWithTriage('REST_REJECTED', triage({ plain: valid, withService: invalid('invalid_service_id') })),
      'SERVICE_ID_INVALID',
    );
    assert.equal(
      refineWithTriage('REST_REJECTED', triage({ plain: valid, withService: invalid('service_not_configured') })),
      'SERVICE_AUTH_NOT_CONFIGURED',
    );
  });
  it('says the auth service rejects its own token when plain validation fails', () => {
    assert.equal(
      refineWithTriage('WS_AUTH_FAILED', triage({ plain: invalid('invalid_token') })),
      'TOKEN_REJECTED_BY_AUTH',
    );
  });
  it('never rewrites codes that are not auth symptoms', () => {
    for (const code of ['WS_UPGRADE_REJECTED', 'AUTH_BYPASSED', 'AGENT_FAILED', 'BACKEND_ERROR'] as const) {
      assert.equal(refineWithTriage(code, triage({ plain: valid })), code);
    }
  });
});

describe('decideVerdict', () => {
  const hop = (o: Partial<HopReport> & Pick<HopReport, 'name' | 'status'>): HopReport => ({
    durationMs: 10,
    startMs: 0,
    ...o,
  });
  it('points at the first failed hop and appends triage evidence', () => {
    const v = decideVerdict(
      [
        hop({ name: 'login', status: 'pass' }),
        hop({ name: 'ws.connect', status: 'fail', code: 'WS_AUTH_FAILED', httpStatus: 101, evidence: ['closed 1008'] }),
        hop({ name: 'chat.messages.list', status: 'fail', code: 'REST_REJECTED' }),
      ],
      triage({ plain: valid, evidence: ['triage: valid'] }),
      new Map(),
    );
    assert.equal(v.code, 'BACKEND_REJECTS_VALID_TOKEN');
    assert.equal(v.hop, 'ws.connect');
    assert.deepEqual(v.evidence, ['closed 1008', 'triage: valid']);
    assert.match(v.summary, /ws\.connect/);
  });
  it('reports LATENCY_DEGRADED at the first slow hop', () => {
    const v = decideVerdict(
      [hop({ name: 'login', status: 'pass' }), hop({ name: 'agent.run', status: 'degraded', durationMs: 16000 })],
      triage(),
      new Map([['agent.run', 15000]]),
    );
    assert.equal(v.code, 'LATENCY_DEGRADED');
    assert.equal(v.hop, 'agent.run');
    assert.match(v.summary, /16000 ms .*15000 ms/);
  });
  it('passes when every hop passed or was skipped', () => {
    const v = decideVerdict(
      [hop({ name: 'login', status: 'pass' }), hop({ name: 'service.auth', status: 'skip' })],
      triage(),
      new Map(),
    );
    assert.deepEqual([v.code, v.hop, v.evidence], ['PASS', null, []]);
  });
});

import { percentile } from '../../src/runner/percentile.ts';

describe('percentile (nearest rank)', () => {
  it('picks ranks, handles one value and none', () => {
    const v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    assert.deepEqual([percentile(v, 50), percentile(v, 95), percentile(v, 100)], [5, 10, 10]);
    assert.equal(percentile([7], 95), 7);
    assert.equal(percentile([], 50), null);
  });
});
