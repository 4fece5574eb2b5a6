import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RevisionView } from '../../src/gcp/cloud-run.ts';
import type { SecretVersionView } from '../../src/gcp/secret-manager.ts';
import { type DeploymentSnapshot, snapshotRevision, versionAt } from '../../src/preflight/deployment.ts';
import { findProblems, unprovenNotes } from '../../src/preflight/findings.ts';
import type { ConfigFinding, Verdict } from '../../src/report/types.ts';
import { withCause } from '../../src/triage/cause-verdict.ts';

const v = (number: number, createTime: string, state = 'ENABLED'): SecretVersionView => ({ number, state, createTime });
const SERVICE_SECRET = [v(8, '2026-01-02T00:00:00Z'), v(7, '2026-01-01T00:00:00Z')];
const ONE = [v(1, '2025-01-01T00:00:00Z')];

function revision(name: string, createTime: string, env: RevisionView['env']): RevisionView {
  return { name, createTime, env };
}
const base = (serviceSecretRef: string, version = 'latest'): RevisionView['env'] => [
  { name: 'ENVIRONMENT', value: 'staging' },
  { name: 'SERVICE_ID', secret: 'service-id-staging', version: 'latest' },
  { name: 'SERVICE_SECRET', secret: serviceSecretRef, version },
  { name: 'JWT_SECRET_KEY', secret: 'jwt-secret-staging', version: 'latest' },
];
const versionsOf = (s: string) => (s.endsWith('service-secret-staging') ? SERVICE_SECRET : ONE);

function snapshot(backend: RevisionView[], auth: RevisionView[]): DeploymentSnapshot {
  return {
    revisions: [
      ...backend.map((r, i) => snapshotRevision('backend', 'be', i === 0 ? 90 : 10, r, versionsOf)),
      ...auth.map((r) => snapshotRevision('auth', 'au', 100, r, versionsOf)),
    ],
    services: { auth: { name: 'au', urls: ['https://au.example'], serving: [] } },
    trouble: [],
  };
}
const exp = { project: 'p', environment: 'staging', authUrl: undefined };
const withAuthUrl = (env: RevisionView['env']) => [...env, { name: 'AUTH_SERVICE_URL', value: 'https://au.example/' }];

describe('configuration findings', () => {
  it('latest resolves to the newest version created by the revision start', () => {
    assert.equal(versionAt(SERVICE_SECRET, '2026-01-01T12:00:00Z')?.number, 7);
    assert.equal(versionAt(SERVICE_SECRET, '2026-01-03T00:00:00.123456789Z')?.number, 8);
  });

  it('a traffic split: the old revision that still serves 10% is the one told to redeploy', () => {
    const snap = snapshot(
      [
        revision('be-2', '2026-01-02T01:00:00Z', withAuthUrl(base('service-secret-staging'))),
        revision('be-1', '2026-01-01T01:00:00Z', withAuthUrl(base('service-secret-staging'))),
      ],
      [revision('au-1', '2026-01-02T01:00:00Z', base('service-secret-staging'))],
    );
    const found = findProblems(snap, exp);
    assert.deepEqual(
      found.map((f) => f.code),
      ['CONFIG_SECRET_ROTATED_AFTER_START'],
    );
    assert.match(
      found[0]!.fix,
      /^Redeploy be: version 8 of service-secret-staging was added at 2026-01-02T00:00:00Z, after revision be-1 started/,
    );
  });

  it('a cross-project reference to the same secret is the same secret', () => {
    const snap = snapshot(
      [revision('be-1', '2026-01-02T01:00:00Z', withAuthUrl(base('projects/p/secrets/service-secret-staging')))],
      [revision('au-1', '2026-01-02T01:00:00Z', base('service-secret-staging'))],
    );
    assert.deepEqual(findProblems(snap, exp), []);
  });

  it('a pinned version that does not exist is unusable', () => {
    const snap = snapshot(
      [revision('be-1', '2026-01-02T01:00:00Z', withAuthUrl(base('service-secret-staging', '9')))],
      [revision('au-1', '2026-01-02T01:00:00Z', base('service-secret-staging', '9'))],
    );
    const codes = findProblems(snap, exp).map((f) => f.code);
    assert.deepEqual(codes, ['CONFIG_SECRET_VERSION_UNUSABLE', 'CONFIG_SECRET_VERSION_UNUSABLE']);
  });
});

describe('one verdict: the cause first, the symptom second', () => {
  const finding = (code: ConfigFinding['code']): ConfigFinding => ({
    code,
    services: ['be'],
    variables: [],
    versions: [],
    times: [],
    evidence: [`${code} evidence`],
    fix: `Fix ${code}.`,
  });
  const failed = (code: Verdict['code'], hop: Verdict['hop']): Verdict => ({
    code,
    hop,
    summary: 'symptom summary',
    evidence: ['symptom evidence'],
  });

  it('a wrong ENVIRONMENT explains a rejected login; a split secret does not', () => {
    assert.equal(
      withCause(failed('LOGIN_REJECTED', 'login'), [finding('CONFIG_ENVIRONMENT_MISMATCH')], undefined).code,
      'CONFIG_ENVIRONMENT_MISMATCH',
    );
    assert.equal(
      withCause(failed('LOGIN_REJECTED', 'login'), [finding('CONFIG_SECRET_DIFFERS')], undefined).code,
      'LOGIN_REJECTED',
    );
  });

  it('an agent failure keeps its own code: no configuration finding explains it', () => {
    const v2 = withCause(failed('AGENT_EVENTS_MISSING', 'agent.run'), [finding('CONFIG_VARIABLE_MISSING')], undefined);
    assert.equal(v2.code, 'AGENT_EVENTS_MISSING');
    assert.equal(v2.symptom, undefined);
    assert.equal(v2.evidence.at(-1), 'hop config also found: CONFIG_VARIABLE_MISSING');
  });

  it('the explaining finding is named first even when it is not the first finding', () => {
    const v3 = withCause(
      failed('LOGIN_UNAVAILABLE', 'login'),
      [finding('CONFIG_SECRET_DIFFERS'), finding('CONFIG_ENVIRONMENT_MISMATCH')],
      undefined,
    );
    assert.equal(v3.code, 'CONFIG_ENVIRONMENT_MISMATCH');
    assert.match(
      v3.summary,
      /^Fix CONFIG_ENVIRONMENT_MISMATCH\. Symptom: LOGIN_UNAVAILABLE at login: symptom summary$/,
    );
    assert.deepEqual(v3.symptom, { code: 'LOGIN_UNAVAILABLE', hop: 'login' });
  });

  it('findings on a passing golden path: degraded at hop config with the first finding', () => {
    const pass: Verdict = { code: 'PASS', hop: null, summary: 'ok', evidence: [] };
    const v4 = withCause(pass, [finding('CONFIG_VARIABLE_MISSING'), finding('CONFIG_AUTH_URL_MISMATCH')], undefined);
    assert.equal(v4.code, 'CONFIG_VARIABLE_MISSING');
    assert.equal(v4.hop, 'config');
    assert.equal(v4.summary, 'Fix CONFIG_VARIABLE_MISSING. (1 more finding below)');
    assert.deepEqual(v4.evidence, [
      'CONFIG_VARIABLE_MISSING evidence',
      'CONFIG_AUTH_URL_MISMATCH: Fix CONFIG_AUTH_URL_MISMATCH.',
      'CONFIG_AUTH_URL_MISMATCH evidence',
    ]);
  });

  describe('no finding that is not proven', () => {
    const be = (env: RevisionView['env'], at = '2026-01-02T01:00:00Z') => revision('be-1', at, withAuthUrl(env));
    const au = (env: RevisionView['env'], at = '2026-01-02T01:00:00Z') => revision('au-1', at, env);
    const codes = (snap: DeploymentSnapshot) => findProblems(snap, exp).map((f) => f.code);

    it('a pinned version equal to the newest is what latest gives: no version split', () => {
      // The backend pins 8, the newest; the auth service reads latest and started after 8 was added.
      assert.deepEqual(
        codes(snapshot([be(base('service-secret-staging', '8'))], [au(base('service-secret-staging'))])),
        [],
      );
      // Started before 8 was added: its instances hold 7 or 8, so only the rotation is reported, not a split.
      assert.deepEqual(
        codes(
          snapshot(
            [be(base('service-secret-staging', '8'))],
            [au(base('service-secret-staging'), '2026-01-01T12:00:00Z')],
          ),
        ),
        ['CONFIG_SECRET_ROTATED_AFTER_START'],
      );
      // Pinned 7 against latest that can only be 8: proven.
      assert.deepEqual(
        codes(snapshot([be(base('service-secret-staging', '7'))], [au(base('service-secret-staging'))])),
        ['CONFIG_SECRET_VERSION_DIFFERS'],
      );
    });

    it('a secret mounted as a file the service loads: a missing variable is a note, not a finding', () => {
      const withoutId = base('service-secret-staging').filter((e) => e.name !== 'SERVICE_ID');
      const mounted = (flag: string | undefined): RevisionView => ({
        ...be([...withoutId, ...(flag ? [{ name: 'ENABLE_LOCAL_CONFIG_FILES', value: flag }] : [])]),
        secretFiles: [{ secret: 'backend-env-staging', mountPath: '/app/config' }],
      });
      const loads = snapshot([mounted('true')], [au(base('service-secret-staging'))]);
      assert.deepEqual(codes(loads), []);
      assert.deepEqual(unprovenNotes(loads), [
        'be revision be-1: SERVICE_ID not in its environment, but it mounts backend-env-staging at /app/config as files the service may load; not reported as missing',
      ]);
      // In staging without ENABLE_LOCAL_CONFIG_FILES=true the service loads no file (isolated_environment.py:224-230).
      const ignores = snapshot([mounted(undefined)], [au(base('service-secret-staging'))]);
      assert.deepEqual(codes(ignores), ['CONFIG_VARIABLE_MISSING']);
      assert.deepEqual(unprovenNotes(ignores), []);
    });

    it("a variable held as a plain value on one service is not proven to differ from the other's secret", () => {
      const plainSecret = base('service-secret-staging').map((e) =>
        e.name === 'SERVICE_SECRET' ? { name: 'SERVICE_SECRET', value: '' } : e,
      );
      const snap = snapshot([be(plainSecret)], [au(base('service-secret-staging'))]);
      assert.deepEqual(codes(snap), []);
      assert.deepEqual(unprovenNotes(snap), [
        'SERVICE_SECRET: au reads service-secret-staging, be a plain value (not read): whether they match is not known; not reported',
      ]);
    });

    it('a JWT variable set as a plain value is not proven to differ from the secret', () => {
      const plainJwt = [...base('service-secret-staging'), { name: 'JWT_SECRET', value: '' }];
      assert.deepEqual(codes(snapshot([be(plainJwt)], [au(base('service-secret-staging'))])), []);
    });
  });
});
